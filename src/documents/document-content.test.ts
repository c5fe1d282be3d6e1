import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { builtinDocument } from './builtin-documents.js';
import {
  DocumentContentError,
  checkParameters,
  documentHash,
  parseDocumentContent,
} from './document-content.js';
import { documentNameProblem } from './documents-model.js';

const command = (overrides: Record<string, unknown> = {}): string =>
  JSON.stringify({
    schemaVersion: '2.2',
    description: 'Say hello',
    parameters: {
      greeting: { type: 'String', default: 'hello', allowedValues: ['hello', 'hi'] },
      count: { type: 'Integer', default: 1 },
    },
    mainSteps: [
      {
        action: 'aws:runShellScript',
        name: 'hello',
        inputs: { runCommand: ['echo {{ greeting }} {{count}}'] },
      },
    ],
    ...overrides,
  });

const refusal = (
  content: string,
  exception = 'InvalidDocumentContent',
  format: 'JSON' | 'YAML' = 'JSON',
): void => {
  assert.throws(
    () => parseDocumentContent(content, format, 'Command'),
    (error: unknown) => error instanceof DocumentContentError && error.exceptionName === exception,
    content.slice(0, 80),
  );
};

describe('document content', () => {
  it('parses a schemaVersion 2.2 command document: parameters, platforms, description', () => {
    const parsed = parseDocumentContent(command(), 'JSON', 'Command');
    assert.equal(parsed.schemaVersion, '2.2');
    assert.equal(parsed.description, 'Say hello');
    assert.deepEqual(parsed.platformTypes, ['Linux', 'MacOS']);
    assert.deepEqual(
      parsed.parameters.map((p) => [p.name, p.type, p.defaultValue]),
      [
        ['greeting', 'String', 'hello'],
        ['count', 'Integer', 1],
      ],
    );
    assert.match(documentHash(command()), /^[0-9a-f]{64}$/);
  });

  it('derives platforms from preconditions and plugins', () => {
    const content = command({
      parameters: {},
      mainSteps: [
        {
          action: 'aws:runPowerShellScript',
          name: 'win',
          precondition: { StringEquals: ['platformType', 'Windows'] },
          inputs: { runCommand: 'dir' },
        },
        {
          action: 'aws:runShellScript',
          name: 'linux',
          precondition: { StringEquals: ['platformType', 'Linux'] },
          inputs: { runCommand: ['ls'] },
        },
      ],
    });
    assert.deepEqual(parseDocumentContent(content, 'JSON', 'Command').platformTypes, ['Windows', 'Linux']);
  });

  it('refuses invalid content with the SSM exception', () => {
    refusal('not json');
    refusal('[]');
    refusal(command({ schemaVersion: '9.9' }), 'InvalidDocumentSchemaVersion');
    refusal(command({ mainSteps: [] }));
    refusal(command({ mainSteps: [{ action: 'aws:nope', name: 'x', inputs: {} }] }));
    refusal(command({ mainSteps: [{ action: 'aws:runShellScript', name: 'x', inputs: {} }] }));
    refusal(
      command({
        mainSteps: [
          { action: 'aws:runShellScript', name: 'x', inputs: { runCommand: ['echo {{ missing }}'] } },
        ],
      }),
    );
    refusal(command({ parameters: { p: { type: 'Float' } } }));
    refusal(command({ parameters: { p: { type: 'String', default: 'c', allowedValues: ['a', 'b'] } } }));
    refusal(command({ parameters: { p: { type: 'String', default: 'abc', allowedPattern: '^[0-9]+$' } } }));
    refusal(command({ parameters: { p: { type: 'Integer', default: 'x' } } }));
    refusal(command({ description: 'x'.repeat(70_000) }), 'MaxDocumentSizeExceeded');
    refusal('schemaVersion: "2.2"', 'InvalidDocumentContent', 'YAML');
  });

  it('checks runtime parameters against the document', () => {
    const { parameters } = parseDocumentContent(command(), 'JSON', 'Command');
    assert.equal(checkParameters(parameters, {}), undefined);
    assert.equal(checkParameters(parameters, { greeting: ['hi'], count: ['3'] }), undefined);
    assert.match(checkParameters(parameters, { nope: ['x'] }) ?? '', /not defined/);
    assert.match(checkParameters(parameters, { greeting: ['bye'] }) ?? '', /allowed values/);
    assert.match(checkParameters(parameters, { count: ['three'] }) ?? '', /integer/);
    assert.match(checkParameters(parameters, { greeting: ['hi', 'hello'] }) ?? '', /single value/);
  });

  it('looks runtime parameters up by own name only (constructor, toString are plain names)', () => {
    const content = JSON.stringify({
      schemaVersion: '2.2',
      description: 'd',
      parameters: { constructor: { type: 'String' }, toString: { type: 'StringList', default: ['a'] } },
      mainSteps: [
        { action: 'aws:runShellScript', name: 'a', inputs: { runCommand: 'echo {{constructor}}' } },
      ],
    });
    const { parameters } = parseDocumentContent(content, 'JSON', 'Command');
    assert.match(checkParameters(parameters, {}) ?? '', /Parameter constructor is required/);
    assert.equal(checkParameters(parameters, { constructor: ['x'] }), undefined);
    const inherited = JSON.parse('{"__proto__":["x"],"constructor":["y"]}') as Record<string, string[]>;
    assert.match(checkParameters(parameters, inherited) ?? '', /__proto__ is not defined/);
  });

  it('ships the built-in documents: AWS-RunPatchBaseline and AWS-RunShellScript', () => {
    const patch = builtinDocument('AWS-RunPatchBaseline', 'us-east-1');
    assert.ok(patch);
    assert.equal(patch.document.owner, 'Amazon');
    assert.deepEqual(
      patch.version.parameters.map((p) => p.name),
      ['Operation', 'SnapshotId', 'InstallOverrideList', 'BaselineOverride', 'RebootOption', 'AssociationId'],
    );
    assert.match(checkParameters(patch.version.parameters, {}) ?? '', /Operation is required/);
    assert.equal(checkParameters(patch.version.parameters, { Operation: ['Scan'] }), undefined);
    assert.match(
      checkParameters(patch.version.parameters, { Operation: ['Install'], RebootOption: ['Always'] }) ?? '',
      /allowed/,
    );
    assert.match(
      checkParameters(patch.version.parameters, { Operation: ['Scan'], SnapshotId: ['abc'] }) ?? '',
      /pattern/,
    );
    const shell = builtinDocument('AWS-RunShellScript', 'us-east-1');
    assert.deepEqual(shell?.version.platformTypes, ['Linux', 'MacOS']);
    assert.equal(checkParameters(shell?.version.parameters ?? [], { commands: ['uptime'] }), undefined);
  });

  it('checks document names: pattern and reserved prefixes', () => {
    assert.equal(documentNameProblem('My-Doc_1.0'), undefined);
    for (const bad of ['ab', 'AWS-Mine', 'amazonThing', 'AmznX', 'has space'])
      assert.ok(documentNameProblem(bad), bad);
  });
});
