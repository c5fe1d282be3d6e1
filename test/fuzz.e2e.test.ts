/**
 * E2E fuzz: a few thousand malformed requests across Security Hub (restJson1), SSM and CloudTrail (awsJson1_1)
 * and STS (query), signed so they reach the handlers (plus unsigned and badly signed ones). Seeded and bounded:
 * the same requests every run. No answer may be a 5xx, and no table may change except the audit trail.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import Database from 'better-sqlite3';
import pg from 'pg';
import { buildFinding } from './factories.js';
import { startInProcessServer, type InProcessServer } from './support/in-process-server.js';

const requestCount = 2000;
const concurrency = 8;
const maxRequestBytes = 64 * 1024;
const cloudTrailTarget = 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101';

/** SHA-256 and HMAC for the signer from node:crypto (thousands of signatures; the pure-JS one is slow). */
class NodeSha256 {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = this.start();
  }
  private start(): Hash | Hmac {
    if (this.secret === undefined) return createHash('sha256');
    const key =
      typeof this.secret === 'string'
        ? Buffer.from(this.secret, 'utf8')
        : ArrayBuffer.isView(this.secret)
          ? Buffer.from(this.secret.buffer, this.secret.byteOffset, this.secret.byteLength)
          : Buffer.from(this.secret);
    return createHmac('sha256', key);
  }
  update(data: string | Uint8Array): void {
    this.hash.update(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
  reset(): void {
    this.hash = this.start();
  }
}

/** A small deterministic PRNG (mulberry32), so every run sends the same requests. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** One API operation the fuzzer aims at, with a plausible body to spoil. */
interface Target {
  protocol: 'restJson1' | 'awsJson1_1' | 'query';
  /** restJson1: method and path (a `{label}` is filled in); awsJson1_1: the full X-Amz-Target. */
  method: string;
  path: string;
  xAmzTarget?: string;
  service: string;
  body: Json;
  /** Read-only: any mutation may be sent (it cannot change data even if it is valid). */
  readOnly: boolean;
}

const ssm = (operation: string, body: Json, readOnly = /^(Get|List|Describe)/.test(operation)): Target => ({
  protocol: 'awsJson1_1',
  method: 'POST',
  path: '/',
  xAmzTarget: `AmazonSSM.${operation}`,
  service: 'ssm',
  body,
  readOnly,
});
const hub = (method: string, path: string, body: Json, readOnly: boolean): Target => ({
  protocol: 'restJson1',
  method,
  path,
  service: 'securityhub',
  body,
  readOnly,
});

const documentContent = JSON.stringify({
  schemaVersion: '2.2',
  description: 'fuzz',
  mainSteps: [{ action: 'aws:runShellScript', name: 'run', inputs: { runCommand: ['echo hi'] } }],
});

function targets(accountId: string): Target[] {
  const insightArn = `arn:aws:securityhub:us-east-1:${accountId}:insight/${accountId}/custom/fuzz`;
  const finding = buildFinding({ Title: 'fuzz finding' }, { accountId }) as unknown as Json;
  return [
    hub(
      'POST',
      '/findings',
      {
        MaxResults: 10,
        SortCriteria: [{ Field: 'Title', SortOrder: 'asc' }],
        Filters: { Title: [{ Value: 'x', Comparison: 'EQUALS' }] },
      },
      true,
    ),
    hub('POST', '/findings/import', { Findings: [finding] }, false),
    hub(
      'PATCH',
      '/findings/batchupdate',
      {
        FindingIdentifiers: [{ Id: 'x', ProductArn: 'arn:aws:securityhub:us-east-1::product/x/y' }],
        Note: { Text: 'n', UpdatedBy: 'u' },
      },
      false,
    ),
    hub('POST', '/insights', { Name: 'fuzz insight', GroupByAttribute: 'Type', Filters: {} }, false),
    hub('POST', '/insights/get', { InsightArns: [insightArn] }, true),
    hub('GET', '/insights/results/{arn}', {}, true),
    hub('PATCH', '/insights/{arn}', { Name: 'renamed' }, false),
    hub('DELETE', '/insights/{arn}', {}, false),
    hub('GET', '/accounts', {}, true),
    hub('GET', '/bulwark/overview', {}, true),
    { ...hub('GET', '/bulwark/auditTrail/verification', {}, true), service: 'cloudtrail' },
    hub('PATCH', '/accounts', { AutoEnableControls: false }, false),
    hub('POST', '/tags/{arn}', { Tags: { k: 'v' } }, false),
    hub('GET', '/tags/{arn}', {}, true),
    hub(
      'POST',
      '/automationrules/create',
      {
        RuleName: 'r',
        RuleOrder: 1,
        Description: 'd',
        Criteria: {},
        Actions: [
          { Type: 'FINDING_FIELDS_UPDATE', FindingFieldsUpdate: { Note: { Text: 't', UpdatedBy: 'u' } } },
        ],
      },
      false,
    ),
    hub('POST', '/automationrules/list', {}, true),
    hub('POST', '/members', { AccountDetails: [{ AccountId: '123456789012' }] }, false),
    hub(
      'POST',
      '/findingHistory/get',
      { FindingIdentifier: { Id: 'x', ProductArn: 'arn:aws:securityhub:us-east-1::product/x/y' } },
      true,
    ),
    ssm('CreateDocument', { Name: 'fuzz-doc', Content: documentContent, DocumentType: 'Command' }),
    ssm('UpdateDocument', { Name: 'seed-doc', Content: documentContent, DocumentVersion: '$LATEST' }),
    ssm('DeleteDocument', { Name: 'seed-doc' }),
    ssm('ListDocuments', { Filters: [{ Key: 'Owner', Values: ['Self'] }], MaxResults: 10 }),
    ssm('DescribeDocument', { Name: 'seed-doc' }),
    ssm('GetDocument', { Name: 'seed-doc', DocumentVersion: '1' }),
    ssm('AddTagsToResource', {
      ResourceType: 'Document',
      ResourceId: 'seed-doc',
      Tags: [{ Key: 'k', Value: 'v' }],
    }),
    ssm('ListTagsForResource', { ResourceType: 'Document', ResourceId: 'seed-doc' }),
    ssm('PutComplianceItems', {
      ResourceId: 'mi-00000000000000001',
      ResourceType: 'ManagedInstance',
      ComplianceType: 'Custom:Fuzz',
      ExecutionSummary: { ExecutionTime: 1700000000 },
      Items: [{ Id: 'i', Severity: 'HIGH', Status: 'COMPLIANT' }],
    }),
    ssm('ListComplianceItems', {
      ResourceIds: ['mi-00000000000000001'],
      ResourceTypes: ['ManagedInstance'],
      Filters: [{ Key: 'ComplianceType', Values: ['Patch'], Type: 'EQUAL' }],
    }),
    ssm('SendCommand', { DocumentName: 'seed-doc', InstanceIds: ['mi-00000000000000001'] }),
    ssm('ListCommands', { Filters: [{ key: 'Status', value: 'Success' }] }),
    ssm('CreateActivation', { IamRole: 'SSMRole', RegistrationLimit: 1 }),
    ssm('DescribeInstanceInformation', { MaxResults: 10 }),
    ssm(
      'RegisterManagedInstance',
      {
        ActivationCode: 'code',
        ActivationId: '00000000-0000-0000-0000-000000000000',
        PublicKey: 'k',
        PublicKeyType: 'Rsa',
      },
      false,
    ),
    ssm('CreateMaintenanceWindow', {
      Name: 'mw',
      Schedule: 'rate(1 day)',
      Duration: 2,
      Cutoff: 1,
      AllowUnassociatedTargets: true,
    }),
    ssm('DescribeMaintenanceWindows', { MaxResults: 10 }),
    ssm('CreatePatchBaseline', { Name: 'pb', OperatingSystem: 'AMAZON_LINUX_2' }),
    ssm('DescribePatchBaselines', { MaxResults: 10 }),
    ssm('PutInventory', {
      InstanceId: 'mi-00000000000000001',
      Items: [
        {
          TypeName: 'Custom:Fuzz',
          SchemaVersion: '1.0',
          CaptureTime: '2024-01-01T00:00:00Z',
          Content: [{ a: 'b' }],
        },
      ],
    }),
    ssm('GetInventory', { MaxResults: 10 }),
    ssm('CreateAssociation', {
      Name: 'seed-doc',
      Targets: [{ Key: 'InstanceIds', Values: ['mi-00000000000000001'] }],
    }),
    {
      protocol: 'awsJson1_1',
      method: 'POST',
      path: '/',
      xAmzTarget: `${cloudTrailTarget}.LookupEvents`,
      service: 'cloudtrail',
      body: {
        MaxResults: 5,
        LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'GetFindings' }],
      },
      readOnly: true,
    },
    {
      protocol: 'query',
      method: 'POST',
      path: '/',
      service: 'sts',
      body: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      readOnly: true,
    },
  ];
}

/** Values that have broken handlers before: prototype member names, odd numbers, odd strings, odd shapes. */
const oddValues: Json[] = [
  'constructor',
  '__proto__',
  'toString',
  'hasOwnProperty',
  '',
  ' ',
  '%',
  '%E0%A4%A',
  '\u00ff',
  '\ud83d\ude00',
  'x'.repeat(3000),
  -1,
  0,
  1.5,
  1e308,
  -1e308,
  2 ** 53 + 2,
  null,
  true,
  [],
  {},
  { constructor: 'x' },
  [null],
  'null',
  Buffer.from('null').toString('base64url'),
  Buffer.from('{"t":1e400}').toString('base64url'),
  '$LATEST',
  '*',
];

/** Every string leaf and every container of a JSON value, by path. */
function paths(
  value: Json,
  at: (string | number)[] = [],
  out: (string | number)[][] = [],
): (string | number)[][] {
  out.push(at);
  if (Array.isArray(value)) value.forEach((item, index) => paths(item, [...at, index], out));
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) paths(item, [...at, key], out);
  }
  return out;
}

function setAt(root: Json, path: (string | number)[], value: Json): Json {
  if (path.length === 0) return value;
  const copy = structuredClone(root);
  let node = copy as Record<string | number, Json>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, Json>;
  node[path[path.length - 1] as string | number] = value;
  return copy;
}

const stringPaths = (value: Json): (string | number)[][] =>
  paths(value).filter((path) => {
    let node: Json = value;
    for (const key of path) node = (node as Record<string | number, Json>)[key] as Json;
    return typeof node === 'string';
  });

/** A request as it goes on the wire. */
interface WireRequest {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  body: Uint8Array;
  signing: 'valid' | 'none' | 'wrong-secret' | 'unknown-key' | 'wrong-service' | 'expired';
  service: string;
  label: string;
  /** Whether the call could change data if it were accepted (a mutating operation). */
  mutating: boolean;
}

function encodeBody(target: Target, body: Json): Buffer {
  if (target.protocol !== 'query') return Buffer.from(JSON.stringify(body), 'utf8');
  const form = new URLSearchParams();
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
    for (const [key, value] of Object.entries(body))
      form.append(key, typeof value === 'string' ? value : JSON.stringify(value));
  }
  return Buffer.from(form.toString(), 'utf8');
}

const bodyDefects = new Set(['truncate', 'nul', 'utf8', 'deep', 'non-object', 'garbage', 'oversize']);

/** Builds request `index`: a definite defect for any target; free mutations too for read-only ones. */
function buildRequest(random: () => number, all: readonly Target[], arn: string): WireRequest {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const target = pick(all);
  let body: Json = structuredClone(target.body);
  let path = target.path.replace('{arn}', encodeURIComponent(arn));
  let query = '';
  let xAmzTarget = target.xAmzTarget;
  let signing: WireRequest['signing'] = 'valid';
  let raw: Buffer | undefined;
  const defects = [
    'truncate',
    'nul',
    'utf8',
    'deep',
    'non-object',
    'garbage',
    'oversize',
    'bad-path',
    'unknown-operation',
    'bad-query',
    'unsigned',
    'wrong-secret',
    'unknown-key',
    'wrong-service',
    'expired',
  ];
  // A body-less call (GET, DELETE) ignores body defects: it gets a defect elsewhere.
  const bodyless = target.method === 'GET' || target.method === 'DELETE';
  const usable = bodyless ? defects.filter((name) => !bodyDefects.has(name)) : defects;
  const defect = target.readOnly && random() < 0.4 ? 'mutate' : pick(usable);
  const strings = stringPaths(body);
  switch (defect) {
    case 'mutate': {
      for (let n = 1 + Math.floor(random() * 3); n > 0; n -= 1) {
        const where = pick(paths(body));
        body =
          random() < 0.5 || where.length === 0
            ? setAt(body, where, pick(oddValues))
            : setAt(body, [...where.slice(0, -1), pick(oddValues) as string], pick(oddValues));
      }
      break;
    }
    case 'truncate': {
      const text = encodeBody(target, body);
      raw = text.subarray(0, Math.max(1, Math.floor(random() * (text.length - 1))));
      if (target.protocol === 'query') raw = Buffer.concat([raw, Buffer.from('&Action=%')]);
      break;
    }
    case 'nul':
      if (target.protocol === 'query') raw = Buffer.from(`${encodeBody(target, body).toString()}&X=a%00b`);
      else body = strings.length === 0 ? { X: 'a\u0000b' } : setAt(body, pick(strings), 'a\u0000b');
      break;
    case 'utf8': {
      const marker = 'UTF8MARKER';
      const marked =
        strings.length === 0 || target.protocol === 'query' ? body : setAt(body, pick(strings), marker);
      const text = encodeBody(target, marked).toString('utf8');
      const bad = Buffer.from(
        pick([[0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80]]),
      );
      raw =
        target.protocol === 'query'
          ? Buffer.concat([Buffer.from(`${text}&X=`), bad])
          : text.includes(marker)
            ? Buffer.concat([
                Buffer.from(text.slice(0, text.indexOf(marker))),
                bad,
                Buffer.from(text.slice(text.indexOf(marker) + marker.length)),
              ])
            : Buffer.concat([bad, Buffer.from(text)]);
      break;
    }
    case 'deep': {
      const depth = pick([65, 200, 5000]);
      const nested = `${'['.repeat(depth)}${']'.repeat(depth)}`;
      const text = encodeBody(target, body).toString('utf8');
      raw =
        target.protocol === 'query'
          ? Buffer.from(`${text}&Action=${nested}&X=%`)
          : Buffer.from(`{"Deep":${nested},${text.slice(1)}`);
      break;
    }
    case 'non-object':
      raw = Buffer.from(
        target.protocol === 'query' ? 'Action=%ZZ' : pick([JSON.stringify([body]), '"text"', '42', 'true']),
      );
      break;
    case 'garbage':
      raw = Buffer.from(
        Array.from({ length: 1 + Math.floor(random() * 200) }, () => Math.floor(random() * 256)),
      );
      if (target.protocol === 'query') raw = Buffer.concat([raw, Buffer.from('&Action=%')]);
      else raw = Buffer.concat([Buffer.from('{'), raw]);
      break;
    case 'oversize':
      raw = Buffer.concat([encodeBody(target, body), Buffer.alloc(maxRequestBytes, 0x20)]);
      break;
    case 'bad-path':
      path = target.path.includes('{arn}')
        ? target.path.replace('{arn}', pick(['%E0%A4%A', '%', '%zz', 'a%00b', '%C3%28']))
        : `${target.path === '/' ? '' : target.path}/${pick(['%', '%E0%A4%A', 'x%00'])}`;
      break;
    case 'unknown-operation':
      if (xAmzTarget !== undefined) {
        if (random() < 0.5)
          xAmzTarget = `${xAmzTarget.split('.').slice(0, -1).join('.')}.Fuzz${Math.floor(random() * 1000)}`;
        else path = pick(['/ssm', '/cloudtrail', '/x/y']);
      } else path = pick(['/securityhub/findings', '/fuzz', '/sts', '/findings/import/extra', '/accounts/x']);
      break;
    case 'bad-query':
      query = pick(['a=%', 'HubArn=%E0%A4%A', 'HubArn=a%00b', 'tagKeys=%ZZ', 'MaxResults=%FF']);
      break;
    case 'unsigned':
      signing = 'none';
      break;
    default:
      signing = defect as WireRequest['signing'];
  }
  const headers: Record<string, string> = {};
  if (target.protocol === 'query')
    headers['content-type'] = 'application/x-www-form-urlencoded; charset=utf-8';
  else if (xAmzTarget !== undefined) {
    headers['content-type'] = 'application/x-amz-json-1.1';
    headers['x-amz-target'] = xAmzTarget;
  } else headers['content-type'] = 'application/json';
  const bytes = raw ?? encodeBody(target, body);
  const method = target.method;
  return {
    method,
    path,
    query,
    headers,
    body: new Uint8Array(method === 'GET' || method === 'DELETE' ? Buffer.alloc(0) : bytes),
    signing,
    service:
      signing === 'wrong-service' ? (target.service === 'ssm' ? 'securityhub' : 'ssm') : target.service,
    label: `${defect} ${method} ${path}${query === '' ? '' : `?${query}`} ${xAmzTarget ?? ''}`,
    mutating: !target.readOnly,
  };
}

async function sendWire(server: InProcessServer, request: WireRequest): Promise<number> {
  const url = new URL(server.endpoint);
  const http = new HttpRequest({
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    method: request.method,
    path: request.path,
    query: {},
    headers: { host: url.host, ...request.headers },
    ...(request.body.length === 0 ? {} : { body: request.body }),
  });
  let headers: Record<string, string> = http.headers;
  if (request.signing !== 'none') {
    const secret =
      request.signing === 'wrong-secret'
        ? `${server.secretAccessKey.slice(0, -2)}xx`
        : server.secretAccessKey;
    const accessKeyId = request.signing === 'unknown-key' ? 'AKIAFUZZFUZZFUZZFUZZ' : server.accessKeyId;
    const signer = new SignatureV4({
      service: request.service,
      region: 'us-east-1',
      credentials: { accessKeyId, secretAccessKey: secret },
      sha256: NodeSha256,
    });
    const signingDate = request.signing === 'expired' ? new Date(Date.now() - 20 * 60 * 1000) : new Date();
    headers = ((await signer.sign(http, { signingDate })) as HttpRequest).headers;
  }
  // fetch sets Host itself.
  const sent = Object.fromEntries(Object.entries(headers).filter(([name]) => name !== 'host'));
  const response = await fetch(
    `${server.endpoint}${request.path}${request.query === '' ? '' : `?${request.query}`}`,
    {
      method: request.method,
      headers: sent,
      ...(request.body.length === 0 ? {} : { body: request.body }),
    },
  );
  await response.arrayBuffer();
  return response.status;
}

/** Every table but the audit trail's, as sorted JSON rows (the key's last-use time is bookkeeping too). */
async function snapshot(server: InProcessServer): Promise<Map<string, string[]>> {
  const tables = new Map<string, string[]>();
  const audit = (name: string): boolean => name.startsWith('audit_');
  const rowText = (row: Record<string, unknown>, table: string): string => {
    const entries = Object.entries(row)
      .filter(([column]) => !(table === 'access_keys' && column === 'last_used_at'))
      .sort(([a], [b]) => a.localeCompare(b));
    return JSON.stringify(entries, (_key, value: unknown) =>
      typeof value === 'bigint' ? String(value) : value,
    );
  };
  if (server.databaseUrl.startsWith('postgres')) {
    const client = new pg.Client({ connectionString: server.databaseUrl });
    await client.connect();
    try {
      const names = await client.query<{ table_name: string }>(
        `select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`,
      );
      for (const { table_name: name } of names.rows) {
        if (audit(name)) continue;
        const rows = await client.query<Record<string, unknown>>(`select * from "${name}"`);
        tables.set(name, rows.rows.map((row) => rowText(row, name)).sort());
      }
    } finally {
      await client.end();
    }
    return tables;
  }
  const db = new Database(server.databaseUrl, { readonly: true, fileMustExist: true });
  try {
    const names = db
      .prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`)
      .all() as { name: string }[];
    for (const { name } of names) {
      if (audit(name)) continue;
      const rows = db.prepare(`select * from "${name}"`).all() as Record<string, unknown>[];
      tables.set(name, rows.map((row) => rowText(row, name)).sort());
    }
  } finally {
    db.close();
  }
  return tables;
}

describe('fuzzing the four protocols (e2e)', () => {
  let server: InProcessServer;
  let insightArn = '';

  before(async () => {
    // API role only: no worker or scheduler changes data on its own while the fuzzer runs.
    server = await startInProcessServer({
      env: { BULWARK_ROLES: 'api', BULWARK_MAX_REQUEST_BYTES: String(maxRequestBytes) },
    });
    const seed = async (
      request: Omit<WireRequest, 'signing' | 'label' | 'query' | 'mutating'>,
    ): Promise<void> => {
      const status = await sendWire(server, {
        ...request,
        signing: 'valid',
        query: '',
        label: 'seed',
        mutating: true,
      });
      assert.equal(
        status,
        200,
        `seed ${request.method} ${request.path} ${request.headers['x-amz-target'] ?? ''}`,
      );
    };
    const json = (body: Json): Uint8Array => new Uint8Array(Buffer.from(JSON.stringify(body)));
    const hubCall = (method: string, path: string, body: Json = {}): Promise<void> =>
      seed({
        method,
        path,
        service: 'securityhub',
        headers: { 'content-type': 'application/json' },
        body: json(body),
      });
    const ssmCall = (operation: string, body: Json): Promise<void> =>
      seed({
        method: 'POST',
        path: '/',
        service: 'ssm',
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AmazonSSM.${operation}` },
        body: json(body),
      });
    await hubCall('POST', '/accounts');
    await hubCall('POST', '/insights', { Name: 'seed insight', GroupByAttribute: 'Type', Filters: {} });
    await hubCall('POST', '/findings/import', {
      Findings: [buildFinding({ Title: 'seed finding' }, { accountId: server.accountId }) as unknown as Json],
    });
    await ssmCall('CreateDocument', { Name: 'seed-doc', Content: documentContent, DocumentType: 'Command' });
    await ssmCall('AddTagsToResource', {
      ResourceType: 'Document',
      ResourceId: 'seed-doc',
      Tags: [{ Key: 'seed', Value: 'v' }],
    });
    const db = await snapshot(server);
    const insight = (db.get('insights') ?? [])[0] ?? '';
    insightArn =
      /arn:aws:securityhub:[^"]+insight[^"]+/.exec(insight)?.[0] ??
      `arn:aws:securityhub:us-east-1:${server.accountId}:insight/x`;
  });
  after(async () => {
    await server?.dispose();
  });

  it(`answers ${requestCount} malformed requests with no 5xx and changes nothing but the audit trail`, async (t) => {
    const random = prng(0x5eed13);
    const all = targets(server.accountId);
    const requests = Array.from({ length: requestCount }, () => buildRequest(random, all, insightArn));
    const before = await snapshot(server);
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < requests.length) {
        const request = requests[next] as WireRequest;
        next += 1;
        let status: number;
        try {
          status = await sendWire(server, request);
        } catch (error) {
          failures.push(`${request.label}: ${(error as Error).message}`);
          continue;
        }
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (status >= 500) failures.push(`${status} ${request.label}`);
        if (status < 300 && request.mutating) failures.push(`${status} for a defective ${request.label}`);
      }
    };
    const started = Date.now();
    await Promise.all(Array.from({ length: concurrency }, worker));
    t.diagnostic(
      `${requests.length} requests in ${Date.now() - started} ms: ${JSON.stringify(Object.fromEntries(statuses))}`,
    );
    assert.deepEqual(failures.slice(0, 20), [], `${failures.length} requests failed or got a 5xx`);
    const afterwards = await snapshot(server);
    for (const [table, rows] of before)
      assert.deepEqual(afterwards.get(table), rows, `table ${table} changed`);
    assert.deepEqual([...afterwards.keys()].sort(), [...before.keys()].sort());
  });
});
