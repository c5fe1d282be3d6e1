import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, describe, it } from 'node:test';
import {
  FindingFileError,
  FindingScanner,
  openFindingSource,
  scanFindings,
  type SourcedFinding,
} from './finding-file-reader.js';
import { asffSamplesDir } from '../../test/support/samples-dir.js';

const samples = asffSamplesDir;

async function scan(text: string, chunkSize = text.length): Promise<SourcedFinding[]> {
  const chunks: string[] = [];
  for (let i = 0; i < text.length; i += Math.max(1, chunkSize)) chunks.push(text.slice(i, i + chunkSize));
  const out: SourcedFinding[] = [];
  for await (const finding of scanFindings(Readable.from(chunks), 'input.json')) out.push(finding);
  return out;
}

async function scanError(text: string, chunkSize?: number): Promise<FindingFileError> {
  try {
    await scan(text, chunkSize);
  } catch (error) {
    assert.ok(error instanceof FindingFileError, `expected a FindingFileError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the scan to fail');
}

const ids = (found: SourcedFinding[]): unknown[] => found.map((f) => f.finding['Id']);

const tricky = {
  Id: 'a',
  Title: 'brackets ] } [ { and "quotes" \\ and \u00e9\u4e2d',
  Nested: { List: [1, [2], { x: '}' }] },
};

describe('FindingScanner formats', () => {
  it('reads a pretty JSON array and records each finding’s start line', async () => {
    const text = JSON.stringify([{ Id: 'a' }, { Id: 'b', Resources: [{ Id: 'r' }] }], null, 2);
    const found = await scan(text);
    assert.deepEqual(ids(found), ['a', 'b']);
    assert.deepEqual(
      found.map((f) => f.line),
      [2, 5],
    );
  });

  it('reads {"Findings":[…]} as get-findings prints it, with NextToken after or keys before', async () => {
    const wrapped = JSON.stringify({ Findings: [{ Id: 'a' }, { Id: 'b' }], NextToken: 'tok' }, null, 4);
    assert.deepEqual(ids(await scan(wrapped)), ['a', 'b']);
    const keyFirst = '{"NextToken": null, "Meta": {"Findings": 1}, "Findings": [{"Id": "c"}]}';
    assert.deepEqual(ids(await scan(keyFirst)), ['c']);
    assert.deepEqual(ids(await scan('{"Findings": []}')), []);
  });

  it('reads JSON lines, skipping blank lines, with CRLF endings', async () => {
    const text = '{"Id":"a"}\n\n{"Id":"b"}\r\n   \n{"Id":"c"}';
    const found = await scan(text);
    assert.deepEqual(ids(found), ['a', 'b', 'c']);
    assert.deepEqual(
      found.map((f) => f.line),
      [1, 3, 5],
    );
  });

  it('reads one pretty-printed finding and concatenated findings', async () => {
    assert.deepEqual(ids(await scan(JSON.stringify({ Id: 'solo' }, null, 2))), ['solo']);
    assert.deepEqual(
      ids(await scan(`${JSON.stringify({ Id: 'a' }, null, 2)}\n${JSON.stringify({ Id: 'b' }, null, 2)}`)),
      ['a', 'b'],
    );
  });

  it('is not fooled by brackets, quotes and escapes inside strings, whatever the chunking', async () => {
    const text = JSON.stringify({ Findings: [tricky, { Id: 'b' }] });
    for (const size of [1, 2, 3, 7, 64, text.length]) {
      const found = await scan(text, size);
      assert.deepEqual(
        found.map((f) => f.finding),
        [tricky, { Id: 'b' }],
        `chunk size ${size}`,
      );
    }
  });

  it('skips a byte-order mark and reads an empty file as no findings', async () => {
    assert.deepEqual(ids(await scan('\ufeff[{"Id":"a"}]')), ['a']);
    assert.deepEqual(await scan(''), []);
    assert.deepEqual(await scan('  \n []\n'), []);
  });
});

describe('FindingScanner errors name the line', () => {
  it('a bad JSON line', async () => {
    const error = await scanError('{"Id":"a"}\n\n{"Id": nope}\n{"Id":"c"}\n');
    assert.equal(error.line, 3);
    assert.match(error.message, /^input\.json:3: invalid JSON/);
  });

  it('a JSON line with an unterminated string', async () => {
    const error = await scanError('{"Id":"a"}\n{"Id":"b}\n{"Id":"c"}\n');
    assert.equal(error.line, 2);
    assert.match(error.message, /unterminated string/);
  });

  it('a JSON line missing its closing brace', async () => {
    const error = await scanError('{"Id":"a"}\n{"Id":"b"\n{"Id":"c"}\n');
    assert.equal(error.line, 2);
  });

  it('a line that is not JSON at all', async () => {
    const error = await scanError('{"Id":"a"}\nhello\n');
    assert.equal(error.line, 2);
    assert.match(error.message, /expected a JSON array of findings/);
  });

  it('a syntax error deep inside a multi-line finding points at its own line when JSON.parse says where', async () => {
    const error = await scanError('[\n  {\n    "Id": "a",\n    "Title": "t",\n  }\n]');
    assert.equal(error.line, 5);
    // V8 gives no position for some errors; then the line the finding starts on is named.
    assert.equal((await scanError('[\n  {\n    "Id": "a",\n    "Title": x\n  }\n]')).line, 2);
  });

  it('findings before a bad line are returned before the error is thrown', () => {
    const scanner = new FindingScanner('lines');
    const found = scanner.push('{"Id":"a"}\n{"Id":"b"}\n]\n{"Id":"c"}\n');
    assert.deepEqual(
      found.map((f) => f.finding['Id']),
      ['a', 'b'],
    );
    assert.throws(
      () => scanner.end(),
      /lines:3: expected a JSON array of findings, an object with "Findings", or one finding per line; found "\]"$/,
    );
  });

  it('an element that is not an object, a missing or extra comma, a stray bracket', async () => {
    assert.match(
      (await scanError('[{"Id":"a"},\n 42]')).message,
      /^input\.json:2: expected a finding \(a JSON object\)/,
    );
    assert.equal((await scanError('[{"Id":"a"}\n{"Id":"b"}]')).line, 2);
    assert.match((await scanError('[{"Id":"a"},]')).message, /unexpected "\]"/);
    assert.match((await scanError('[{"Id":"a"}}')).message, /expected "," or "\]", found "}"/);
    assert.match(
      (await scanError('{"Id":"a"}}')).message,
      /^input\.json:1: expected a JSON array of findings.*found "}"$/,
    );
    assert.match(
      (await scanError('[{"Id":"a", "x": [}]')).message,
      /^input\.json:1: invalid JSON: unexpected "}"$/,
    );
  });

  it('input that ends inside a finding names where the finding started', async () => {
    const error = await scanError('[\n{"Id":"a"},\n{"Id":"b",\n"Title":"t"');
    assert.equal(error.line, 3);
    assert.match(error.message, /unexpected end of input/);
  });

  it('push/end can be driven directly', () => {
    const scanner = new FindingScanner('direct');
    assert.deepEqual(scanner.push('[{"Id"'), []);
    assert.equal(scanner.push(':"a"}]')[0]?.finding['Id'], 'a');
    scanner.end();
  });
});

describe('openFindingSource', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-reader-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the Prowler (array) and Trivy samples', async () => {
    for (const [file, count] of [
      ['prowler-asff.json', 1],
      ['trivy-asff.json', 2],
      ['ocsf-examples-securityhub.json', 4],
    ] as const) {
      const source = await openFindingSource(join(samples, file));
      const found: SourcedFinding[] = [];
      for await (const finding of source.findings()) found.push(finding);
      assert.equal(found.length, count, file);
      assert.equal(source.bytesRead(), source.size);
      assert.ok(found.every((f) => typeof f.finding['Id'] === 'string'));
    }
  });

  it('reads Trivy’s {"Findings":[…]} template output and stdin', async () => {
    const path = join(dir, 'trivy-template.json');
    writeFileSync(
      path,
      `{\n    "Findings": [\n${JSON.stringify({ Id: 't1' })},\n${JSON.stringify({ Id: 't2' })}\n    ]\n}\n`,
    );
    const file = await openFindingSource(path);
    const fromFile: unknown[] = [];
    for await (const f of file.findings()) fromFile.push(f.finding['Id']);
    assert.deepEqual(fromFile, ['t1', 't2']);

    const stdin = await openFindingSource(
      '-',
      Readable.from([Buffer.from('{"Id":"s1"}\n{"Id":"s'), Buffer.from('2"}\n')]),
    );
    assert.equal(stdin.name, 'stdin');
    const fromStdin: SourcedFinding[] = [];
    for await (const f of stdin.findings()) fromStdin.push(f);
    assert.deepEqual(ids(fromStdin), ['s1', 's2']);
    assert.equal(fromStdin[1]?.source, 'stdin');
    assert.equal(stdin.size, undefined);
  });

  it('fails for a missing file before reading anything', async () => {
    await assert.rejects(openFindingSource(join(dir, 'missing.json')), /ENOENT/);
  });
});
