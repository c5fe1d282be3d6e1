import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DocumentRunner } from './document-executor.js';
import { executionSummary } from './document-result.js';

const never = new AbortController().signal;

describe('DocumentRunner', () => {
  let dir: string;
  const hubDocuments: Record<string, unknown> = {};
  const runner = new DocumentRunner({
    fetchDocument: (name) => {
      const document = hubDocuments[name];
      return document === undefined
        ? Promise.reject(new Error(`InvalidDocument: ${name}`))
        : Promise.resolve(JSON.stringify(document));
    },
  });
  const run = (document: unknown, parameters: Record<string, string[]> = {}) =>
    runner.run({
      content: JSON.stringify(document),
      parameters,
      executionTimeoutSeconds: 60,
      signal: never,
    });

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'document-runner-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('runs schema 1.2 runtimeConfig with a StringList parameter expanded into runCommand', async () => {
    const result = await run(
      {
        schemaVersion: '1.2',
        parameters: { commands: { type: 'StringList' } },
        runtimeConfig: { 'aws:runShellScript': { properties: [{ runCommand: '{{ commands }}' }] } },
      },
      { commands: ['echo one', 'echo two'] },
    );
    assert.equal(result.status, 'Success', result.standardError);
    assert.equal(result.standardOutput, 'one\ntwo\n');
    assert.deepEqual(
      result.plugins.map((p) => [p.name, p.status]),
      [['aws:runShellScript', 'Success']],
    );
  });

  it('substitutes defaults and given values, enforces allowedValues and required parameters', async () => {
    const document = {
      schemaVersion: '2.2',
      parameters: {
        word: { type: 'String', default: 'alpha', allowedValues: ['alpha', 'beta'] },
        count: { type: 'String' },
      },
      mainSteps: [
        {
          action: 'aws:runShellScript',
          name: 'say',
          inputs: { runCommand: ['echo "{{ word }}-{{count}}"'] },
        },
      ],
    };
    assert.equal((await run(document, { count: ['2'] })).standardOutput, 'alpha-2\n');
    assert.equal((await run(document, { count: ['3'], word: ['beta'] })).standardOutput, 'beta-3\n');
    const notAllowed = await run(document, { count: ['1'], word: ['gamma'] });
    assert.equal(notAllowed.status, 'Failed');
    assert.match(notAllowed.standardError, /Parameter word: gamma is not one of alpha, beta/);
    const missing = await run(document);
    assert.equal(missing.status, 'Failed');
    assert.match(missing.standardError, /Parameter count is required/);
  });

  it('skips steps for other platforms, continues after a failure, and stops on onFailure exit', async () => {
    const result = await run({
      schemaVersion: '2.2',
      mainSteps: [
        {
          action: 'aws:runPowerShellScript',
          name: 'windows',
          precondition: { StringEquals: ['platformType', 'Windows'] },
          inputs: { runCommand: ['Get-Date'] },
        },
        { action: 'aws:runShellScript', name: 'fails', inputs: { runCommand: ['exit 4'] } },
        { action: 'aws:runShellScript', name: 'continues', inputs: { runCommand: ['echo on'] } },
        {
          action: 'aws:runShellScript',
          name: 'exits',
          onFailure: 'exit',
          inputs: { runCommand: ['exit 5'] },
        },
        { action: 'aws:runShellScript', name: 'never', inputs: { runCommand: ['echo never'] } },
      ],
    });
    assert.equal(result.status, 'Failed');
    assert.equal(result.responseCode, 4);
    assert.equal(result.standardOutput.includes('never'), false);
    assert.deepEqual(
      result.plugins.map((p) => [p.name, p.status]),
      [
        ['windows', 'Skipped'],
        ['fails', 'Failed'],
        ['continues', 'Success'],
        ['exits', 'Failed'],
        ['never', 'Skipped'],
      ],
    );
    assert.equal(
      executionSummary(result.plugins),
      '5 out of 5 plugins processed, 1 success, 2 failed, 0 timedout, 2 skipped.',
    );
  });

  it('fails a step whose plugin the agent does not run, naming the step and the plugin', async () => {
    const result = await run({
      schemaVersion: '2.2',
      mainSteps: [
        { action: 'aws:configurePackage', name: 'package', inputs: { name: 'x', action: 'Install' } },
        { action: 'aws:runShellScript', name: 'shell', inputs: { runCommand: ['echo ok'] } },
      ],
    });
    assert.equal(result.status, 'Failed');
    assert.match(
      result.standardError,
      /^Step package: plugin aws:configurePackage is not supported by this agent on Linux/,
    );
    assert.equal(result.standardOutput, 'ok\n');
  });

  it('runs documents from the hub and from files; downloads hub documents into the run directory', async () => {
    hubDocuments['Inner'] = {
      schemaVersion: '2.2',
      parameters: { who: { type: 'String', default: 'nobody' } },
      mainSteps: [
        { action: 'aws:runShellScript', name: 'hi', inputs: { runCommand: ['echo "hi {{ who }}"'] } },
      ],
    };
    const out = path.join(dir, 'out');
    const result = await run({
      schemaVersion: '2.2',
      mainSteps: [
        {
          action: 'aws:runDocument',
          name: 'hub',
          inputs: {
            documentType: 'SSMDocument',
            documentPath: 'Inner',
            documentParameters: '{"who": "hub"}',
          },
        },
        {
          action: 'aws:downloadContent',
          name: 'get',
          inputs: { sourceType: 'SSMDocument', sourceInfo: { name: 'Inner' }, destinationPath: 'docs' },
        },
        {
          action: 'aws:runDocument',
          name: 'file',
          inputs: {
            documentType: 'LocalPath',
            documentPath: 'docs/Inner.json',
            documentParameters: { who: 'file' },
          },
        },
        { action: 'aws:runShellScript', name: 'copy', inputs: { runCommand: [`cp docs/Inner.json ${out}`] } },
        {
          action: 'aws:runDocument',
          name: 'missing',
          inputs: { documentType: 'SSMDocument', documentPath: 'Nope' },
        },
        {
          action: 'aws:downloadContent',
          name: 'web',
          inputs: { sourceType: 'HTTP', sourceInfo: { url: 'https://example.com/x' } },
        },
      ],
    });
    assert.match(result.standardOutput, /^hi hub\nContent downloaded to .*docs\/Inner\.json\nhi file\n$/);
    assert.deepEqual(JSON.parse(await readFile(out, 'utf8')), hubDocuments['Inner']);
    assert.deepEqual(
      result.plugins.map((p) => [p.name, p.status]),
      [
        ['hub', 'Success'],
        ['get', 'Success'],
        ['file', 'Success'],
        ['copy', 'Success'],
        ['missing', 'Failed'],
        ['web', 'Failed'],
      ],
    );
    assert.match(
      result.standardError,
      /Step missing: document Nope could not be read from the hub: InvalidDocument/,
    );
    assert.match(result.standardError, /Step web: sourceType HTTP is not supported by this agent/);
  });

  it('refuses documents nested too deep and content that is not a document', async () => {
    hubDocuments['Loop'] = {
      schemaVersion: '2.2',
      mainSteps: [
        {
          action: 'aws:runDocument',
          name: 'again',
          inputs: { documentType: 'SSMDocument', documentPath: 'Loop' },
        },
      ],
    };
    const loop = await run(hubDocuments['Loop']);
    assert.equal(loop.status, 'Failed');
    assert.match(loop.standardError, /documents nest at most 3 deep/);
    const broken = await runner.run({
      content: '{',
      parameters: {},
      executionTimeoutSeconds: 60,
      signal: never,
    });
    assert.equal(broken.status, 'Failed');
    assert.match(broken.standardError, /not valid JSON/);
  });
});
