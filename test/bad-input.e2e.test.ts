/** E2E: malformed input at the HTTP edge gets an AWS-shaped 4xx and changes nothing; it never gets a 5xx. */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { EnableSecurityHubCommand, GetInsightsCommand } from '@aws-sdk/client-securityhub';
import { rawFetch, signRaw, type RawRequest } from './support/aws-request.js';
import { ConsoleBrowser, createConsoleUser } from './support/console.js';
import { startInProcessServer, type InProcessServer } from './support/in-process-server.js';

const cloudTrailTarget = 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101';
const maxRequestBytes = 256 * 1024;

describe('bad input at the HTTP edge (e2e)', () => {
  let server: InProcessServer;

  before(async () => {
    server = await startInProcessServer({ env: { BULWARK_MAX_REQUEST_BYTES: String(maxRequestBytes) } });
    await server.client().send(new EnableSecurityHubCommand({}));
  });
  after(async () => {
    await server?.dispose();
  });

  const send = (request: RawRequest): Promise<Response> =>
    rawFetch(server.endpoint, request, server.credentials);
  const ssm = (operation: string, body: unknown): Promise<Response> =>
    send({
      method: 'POST',
      path: '/',
      service: 'ssm',
      headers: { 'x-amz-target': `AmazonSSM.${operation}`, 'content-type': 'application/x-amz-json-1.1' },
      body,
    });
  const trail = (operation: string, body: unknown): Promise<Response> =>
    send({
      method: 'POST',
      path: '/',
      service: 'cloudtrail',
      headers: {
        'x-amz-target': `${cloudTrailTarget}.${operation}`,
        'content-type': 'application/x-amz-json-1.1',
      },
      body,
    });

  /** Asserts an AWS JSON error with `status` and `exception`; returns its message. */
  async function expectJsonError(response: Response, status: number, exception: string): Promise<string> {
    const text = await response.text();
    assert.equal(response.status, status, `status (body ${text})`);
    const body = JSON.parse(text) as Record<string, string>;
    assert.equal(body['__type'], exception, text);
    assert.equal(response.headers.get('x-amzn-errortype'), exception);
    return body['Message'] ?? '';
  }

  async function insightNames(): Promise<string[]> {
    const listed = await server.client().send(new GetInsightsCommand({}));
    return (listed.Insights ?? []).map((insight) => insight.Name ?? '');
  }

  it('answers malformed percent-encoding in a REST path with InvalidInputException', async () => {
    for (const path of ['/insights/results/%E0%A4%A', '/tags/%', '/insights/%ZZ', '/tags/%C3%28']) {
      const method = path.startsWith('/tags')
        ? 'GET'
        : path.startsWith('/insights/results')
          ? 'GET'
          : 'PATCH';
      const message = await expectJsonError(
        await send({ method, path, ...(method === 'PATCH' ? { body: { Name: 'x' } } : {}) }),
        400,
        'InvalidInputException',
      );
      assert.match(message, /percent-encod/i, path);
    }
  });

  it('rejects SortCriteria fields named after Object.prototype members', async () => {
    for (const field of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
      const message = await expectJsonError(
        await send({ method: 'POST', path: '/findings', body: { SortCriteria: [{ Field: field }] } }),
        400,
        'InvalidInputException',
      );
      assert.match(message, /not supported/, field);
    }
  });

  it('rejects prototype member names as filter keys, document plugins, compliance types and command statuses', async () => {
    await expectJsonError(
      await send({
        method: 'POST',
        path: '/findings',
        body: { Filters: { constructor: [{ Value: 'x', Comparison: 'EQUALS' }] } },
      }),
      400,
      'InvalidInputException',
    );
    for (const plugin of ['constructor', 'toString', '__proto__']) {
      const v12 = `{"schemaVersion":"1.2","description":"x","runtimeConfig":{"${plugin}":{"properties":[{}]}}}`;
      await expectJsonError(
        await ssm('CreateDocument', { Name: `v12-${plugin.replace(/_/g, 'u')}`, Content: v12 }),
        400,
        'InvalidDocumentContent',
      );
      const v22 = JSON.stringify({
        schemaVersion: '2.2',
        description: 'x',
        mainSteps: [{ action: plugin, name: 'one', inputs: {} }],
      });
      await expectJsonError(
        await ssm('CreateDocument', { Name: `v22-${plugin.replace(/_/g, 'u')}`, Content: v22 }),
        400,
        'InvalidDocumentContent',
      );
    }
    const listed = await ssm('ListDocuments', { Filters: [{ Key: 'Owner', Values: ['Self'] }] });
    assert.equal(listed.status, 200);
    assert.deepEqual(await listed.json(), { DocumentIdentifiers: [] });

    for (const type of ['constructor', 'toString', '__proto__']) {
      const response = await ssm('ListComplianceItems', {
        ResourceIds: ['mi-00000000000000001'],
        ResourceTypes: ['ManagedInstance'],
        Filters: [{ Key: 'ComplianceType', Values: ['Patch'], Type: type }],
      });
      assert.equal(response.status, 400, `compliance filter Type ${type}: ${await response.text()}`);
    }
    // An unknown Status matches no command, whatever the spelling.
    for (const status of ['constructor', 'toString', '__proto__']) {
      const response = await ssm('ListCommands', { Filters: [{ key: 'Status', value: status }] });
      assert.equal(response.status, 200, `ListCommands Status ${status}`);
      assert.deepEqual(((await response.json()) as { Commands: unknown[] }).Commands, []);
    }
  });

  it('rejects JSON nested thousands deep on every JSON protocol', async () => {
    const deep = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const deepObject = (depth: number): string => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    for (const nested of [deep(5000), deepObject(5000), deep(100_000)]) {
      const message = await expectJsonError(
        await send({
          method: 'POST',
          path: '/insights',
          body: `{"Name":"n","GroupByAttribute":"Type","Filters":{"x":${nested}}}`,
        }),
        400,
        'InvalidInputException',
      );
      assert.match(message, /nest/i);
      await expectJsonError(
        await send({
          method: 'POST',
          path: '/findings/import',
          body: `{"Findings":[{"ProductFields":${nested}}]}`,
        }),
        400,
        'InvalidInputException',
      );
      const ssmResponse = await ssm('PutComplianceItems', `{"ResourceId":${nested}}`);
      assert.equal(ssmResponse.status, 400, await ssmResponse.text());
      const trailResponse = await trail('LookupEvents', `{"LookupAttributes":${nested}}`);
      assert.equal(trailResponse.status, 400, await trailResponse.text());
    }
    assert.deepEqual(await insightNames(), []);
  });

  it('rejects SSM document content nested thousands deep, in JSON and in YAML', async () => {
    for (const depth of [5000, 50_000]) {
      const json = `{"schemaVersion":"2.2","description":"d","mainSteps":[{"action":"aws:runShellScript","name":"a","inputs":{"runCommand":"x","deep":${'['.repeat(depth)}${']'.repeat(depth)}}}]}`;
      const yaml = `schemaVersion: "2.2"\ndescription: d\nmainSteps:\n- action: aws:runShellScript\n  name: a\n  inputs:\n    runCommand: x\n    deep: ${'['.repeat(depth)}${']'.repeat(depth)}\n`;
      const fromJson = await ssm('CreateDocument', { Name: `deep-json-${depth}`, Content: json });
      assert.equal(fromJson.status, 400, await fromJson.text());
      const fromYaml = await ssm('CreateDocument', {
        Name: `deep-yaml-${depth}`,
        Content: yaml,
        DocumentFormat: 'YAML',
      });
      assert.equal(fromYaml.status, 400, await fromYaml.text());
    }
  });

  it('rejects a LookupEvents NextToken that decodes to anything but a token', async () => {
    for (const decoded of ['null', '1', '"text"', '[]', 'true', '{"t":1e400,"s":1,"q":"x"}', '{}']) {
      const token = Buffer.from(decoded, 'utf8').toString('base64url');
      await expectJsonError(
        await trail('LookupEvents', { NextToken: token }),
        400,
        'InvalidNextTokenException',
      );
    }
  });

  it('rejects NUL characters in ids, names, filter values and path labels, on either engine', async () => {
    await expectJsonError(
      await send({
        method: 'POST',
        path: '/insights',
        body: { Name: 'nul\u0000name', GroupByAttribute: 'Type', Filters: {} },
      }),
      400,
      'InvalidInputException',
    );
    await expectJsonError(
      await send({
        method: 'POST',
        path: '/findings',
        body: { Filters: { Title: [{ Value: 'a\u0000b', Comparison: 'EQUALS' }] } },
      }),
      400,
      'InvalidInputException',
    );
    await expectJsonError(
      await send({ method: 'GET', path: '/insights/results/arn%00x' }),
      400,
      'InvalidInputException',
    );
    await expectJsonError(
      await send({ method: 'POST', path: '/insights/get', body: { InsightArns: ['arn:\u0000'] } }),
      400,
      'InvalidInputException',
    );
    const response = await ssm('AddTagsToResource', {
      ResourceType: 'ManagedInstance',
      ResourceId: 'mi-0000000000000000\u0000',
      Tags: [{ Key: 'k', Value: 'v' }],
    });
    assert.equal(response.status, 400, await response.text());
    const keyed = await send({ method: 'POST', path: '/insights', body: { 'Na\u0000me': 'x' } });
    assert.equal(keyed.status, 400, await keyed.text());
    assert.deepEqual(await insightNames(), []);
  });

  it('rejects a body that is not valid UTF-8 instead of storing replacement characters', async () => {
    const prefix = Buffer.from('{"Name":"bad ', 'utf8');
    const suffix = Buffer.from('","GroupByAttribute":"Type","Filters":{}}', 'utf8');
    for (const invalid of [[0xff], [0xc3, 0x28], [0xe0, 0xa4], [0xed, 0xa0, 0x80]]) {
      const body = new Uint8Array(Buffer.concat([prefix, Buffer.from(invalid), suffix]));
      const message = await expectJsonError(
        await send({ method: 'POST', path: '/insights', body }),
        400,
        'InvalidInputException',
      );
      assert.match(message, /UTF-8/);
    }
    for (const escaped of ['\\ud800', '\\udc00x', '\\uD83D\\u0041']) {
      const message = await expectJsonError(
        await send({
          method: 'POST',
          path: '/insights',
          body: `{"Name":"bad ${escaped}","GroupByAttribute":"Type","Filters":{}}`,
        }),
        400,
        'InvalidInputException',
      );
      assert.match(message, /UTF-8/, escaped);
    }
    const form = await rawFetch(
      server.endpoint,
      {
        method: 'POST',
        path: '/',
        service: 'sts',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'Action=GetCallerIdentity&Version=2011-06-15&Junk=%FF',
      },
      server.credentials,
    );
    assert.equal(form.status, 400, await form.clone().text());
    assert.match(await form.text(), /<Code>[A-Za-z]+<\/Code>.*UTF-8/s);
    assert.deepEqual(await insightNames(), []);
  });

  /** Sends raw bytes and returns everything the server answered before closing the connection. */
  function exchange(head: string, body: (socket: ReturnType<typeof connect>) => void): Promise<string> {
    const url = new URL(server.endpoint);
    return new Promise((resolve, reject) => {
      const socket = connect(Number(url.port), url.hostname);
      let received = '';
      socket.setEncoding('latin1');
      socket.on('data', (chunk: string) => (received += chunk));
      socket.on('error', (error: NodeJS.ErrnoException) => {
        // The server may close while we are still writing; what it answered first is what counts.
        if (error.code === 'EPIPE' || error.code === 'ECONNRESET') resolve(received);
        else reject(error);
      });
      socket.on('close', () => resolve(received));
      socket.write(head, () => body(socket));
    });
  }

  async function signedHead(path: string, headers: Record<string, string>): Promise<string> {
    const signed = await signRaw(server.endpoint, { method: 'POST', path, headers }, server.credentials);
    const lines = Object.entries({ ...signed.headers, ...headers }).map(
      ([name, value]) => `${name}: ${value}`,
    );
    return `POST ${path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`;
  }

  it('answers a Content-Length over the limit with 413 without reading the body', async () => {
    const head = await signedHead('/findings/import', {
      'content-type': 'application/json',
      'content-length': String(maxRequestBytes + 1),
    });
    const answer = await exchange(head, () => undefined);
    assert.match(answer, /^HTTP\/1\.1 413 /);
    assert.match(answer, /RequestEntityTooLargeException/);
  });

  it('answers an oversize chunked body with 413 before closing the connection', async () => {
    const head = await signedHead('/findings/import', {
      'content-type': 'application/json',
      'transfer-encoding': 'chunked',
    });
    const chunk = 'x'.repeat(64 * 1024);
    const answer = await exchange(head, (socket) => {
      let sent = 0;
      const pump = (): void => {
        if (socket.destroyed || sent > maxRequestBytes * 3) return;
        sent += chunk.length;
        socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`, () => setImmediate(pump));
      };
      pump();
    });
    assert.match(answer, /^HTTP\/1\.1 413 /);
    assert.match(answer, /RequestEntityTooLargeException/);
  });

  it('tells a client whose endpoint URL has a path that the endpoint must be path-less', async () => {
    const rest = await send({ method: 'POST', path: '/securityhub/findings', body: {} });
    const message = await expectJsonError(rest, 404, 'UnknownOperationException');
    assert.match(message, /endpoint/i);
    assert.match(message, /path/i);
    const json = await rawFetch(
      server.endpoint,
      {
        method: 'POST',
        path: '/ssm',
        service: 'ssm',
        headers: { 'x-amz-target': 'AmazonSSM.ListDocuments', 'content-type': 'application/x-amz-json-1.1' },
        body: {},
      },
      server.credentials,
    );
    const jsonMessage = await expectJsonError(json, 400, 'UnknownOperationException');
    assert.match(jsonMessage, /endpoint/i);
    const query = await rawFetch(
      server.endpoint,
      {
        method: 'POST',
        path: '/sts',
        service: 'sts',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'Action=GetCallerIdentity&Version=2011-06-15',
      },
      server.credentials,
    );
    assert.ok(query.status >= 400 && query.status < 500, `status ${query.status}`);
    assert.match(await query.text(), /endpoint/i);
  });

  it('audits calls refused before the pipeline, with their error code', async () => {
    // Earlier tests sent an oversize body, unknown paths and a path label that is not valid percent-encoding.
    const lookup = await trail('LookupEvents', { MaxResults: 50 });
    assert.equal(lookup.status, 200);
    const { Events } = (await lookup.json()) as { Events: { EventName: string; CloudTrailEvent: string }[] };
    const records = Events.map(
      (event) =>
        JSON.parse(event.CloudTrailEvent) as {
          eventName: string;
          eventSource: string;
          errorCode?: string;
          errorMessage?: string;
        },
    );
    const refused = (code: string, message: RegExp): boolean =>
      records.some((record) => record.errorCode === code && message.test(record.errorMessage ?? ''));
    assert.ok(refused('RequestEntityTooLargeException', /exceeds the limit/), 'oversize body audited');
    assert.ok(
      refused('UnknownOperationException', /endpoint URL must have no path/),
      'unknown operation audited',
    );
    assert.ok(refused('InvalidInputException', /percent-encoded/), 'bad path encoding audited');
  });

  it('answers malformed, oversize and unknown console API requests with a JSON 4xx, never a 5xx', async () => {
    const user = await createConsoleUser(server, server.accountId, 'bad-input', ['AdministratorAccess']);
    const browser = await new ConsoleBrowser(server.endpoint).signInAs(user);
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const notUtf8 = Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]);
    const cases: [method: string, path: string, body: string | Buffer | undefined, status: number][] = [
      ['POST', 'securityhub/findings', '{"Filters":', 400],
      ['POST', 'securityhub/findings', deep, 400],
      ['POST', 'securityhub/findings', notUtf8, 400],
      ['POST', 'securityhub/findings', '{"Filters":{"constructor":[]}}', 400],
      ['POST', 'securityhub/findings', 'x'.repeat(maxRequestBytes + 1), 413],
      ['GET', 'securityhub/insights/results/%zz', undefined, 400],
      ['GET', 'securityhub/no-such-path', undefined, 404],
      ['POST', 'ssm/NoSuchOperation', '{}', 404],
      ['GET', 'ssm/DescribeInstanceInformation', undefined, 404],
      ['POST', 'cloudtrail/LookupEvents/extra', '{}', 404],
      ['POST', 'cloudtrail/', '{}', 404],
      ['POST', 'nothing/here', '{}', 404],
      ['PUT', 'session', '{}', 404],
      ['DELETE', 'sign-in', undefined, 404],
      ['POST', 'ssm/DescribeInstanceInformation', '[1,2,3]', 400],
      ['POST', 'ssm/DescribeInstanceInformation', '{"MaxResults":"many"}', 400],
      ['POST', 'permissions', '{"actions":"securityhub:GetFindings"}', 400],
      ['POST', 'permissions', '{"actions":["no action"]}', 400],
      ['POST', 'permissions', 'not json', 400],
      ['POST', 'sign-in', 'not json', 400],
      ['POST', 'sign-in', '[]', 400],
      ['POST', 'sign-in', '{"userName":"bad-input","password":7}', 400],
      ['POST', 'sign-in', '{"userName":"bad-input","password":"x","__proto__":{}}', 400],
      ['POST', 'sign-in', 'x'.repeat(maxRequestBytes + 1), 413],
    ];
    for (const [method, path, body, status] of cases) {
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        cookie: browser.cookie ?? '',
        'x-csrf-token': browser.csrfToken ?? '',
      };
      const response = await fetch(`${server.endpoint}/console/api/${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body }),
      });
      const text = await response.text();
      assert.equal(response.status, status, `${method} ${path}: ${text.slice(0, 200)}`);
      assert.equal(response.headers.get('cache-control'), 'no-store', `${method} ${path}`);
      const answer = JSON.parse(text) as Record<string, unknown>;
      assert.equal(typeof answer['__type'], 'string', `${method} ${path}: ${text.slice(0, 200)}`);
      assert.equal(typeof answer['message'], 'string', `${method} ${path}: ${text.slice(0, 200)}`);
    }
    // The session survived every refusal.
    assert.equal((await browser.call('GET', 'session')).status, 200);
  });
});
