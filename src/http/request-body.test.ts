import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../kernel/index.js';
import { decodePathLabel, decodeUtf8, InFlightBodyBudget, parseForm, parseJsonBody } from './request-body.js';
import { jsonNestingExceeds } from '../kernel/json-text.js';

const rejects = (run: () => unknown, message: RegExp): void => {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof ApiError);
    assert.equal(error.kind, 'InvalidInput');
    assert.match(error.message, message);
    return true;
  });
};

describe('request bodies at the edge', () => {
  it('parses JSON within the nesting limit and refuses deeper JSON without recursing', () => {
    assert.deepEqual(parseJsonBody(Buffer.from('{"a":[[1]]}'), 3), { a: [[1]] });
    rejects(() => parseJsonBody(Buffer.from('{"a":[[[1]]]}'), 3), /deeper than 3 levels/);
    rejects(() => parseJsonBody(Buffer.from('['.repeat(1_000_000))), /deeper than 64 levels/);
    // Brackets inside strings do not nest.
    assert.deepEqual(parseJsonBody(Buffer.from(`{"a":"${'['.repeat(100)}"}`)), { a: '['.repeat(100) });
    assert.equal(jsonNestingExceeds('[[]]', 1), true);
    assert.equal(jsonNestingExceeds('["[["]', 1), false);
    assert.deepEqual(parseJsonBody(Buffer.alloc(0)), {});
    rejects(() => parseJsonBody(Buffer.from('{"a":')), /not valid JSON/);
  });

  it('refuses NUL escapes and lone surrogates but keeps an escaped backslash before u0000', () => {
    rejects(() => parseJsonBody(Buffer.from('{"a":"x\\u0000"}')), /NUL/);
    assert.deepEqual(parseJsonBody(Buffer.from('{"a":"x\\\\u0000"}')), { a: 'x\\u0000' });
    rejects(() => parseJsonBody(Buffer.from('{"a":"\\ud800"}')), /surrogate/);
    rejects(() => parseJsonBody(Buffer.from('{"a":"\\udc00"}')), /surrogate/);
    assert.deepEqual(parseJsonBody(Buffer.from('{"a":"\\ud83d\\ude00"}')), { a: '\u{1f600}' });
  });

  it('refuses invalid UTF-8 instead of replacing it', () => {
    assert.equal(decodeUtf8(Buffer.from('héllo', 'utf8')), 'héllo');
    for (const bytes of [[0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xe0, 0xa4]]) {
      rejects(() => decodeUtf8(Buffer.from(bytes)), /UTF-8/);
    }
  });

  it('decodes forms, query strings and path labels strictly', () => {
    const form = parseForm('Action=GetCallerIdentity&Name=a+b%20c&Empty=&Flag', 'request body');
    assert.deepEqual(
      [...form],
      [
        ['Action', 'GetCallerIdentity'],
        ['Name', 'a b c'],
        ['Empty', ''],
        ['Flag', ''],
      ],
    );
    rejects(() => parseForm('a=%', 'query string'), /query string is not valid percent-encoded UTF-8/);
    rejects(() => parseForm('a=%FF', 'request body'), /UTF-8/);
    rejects(() => parseForm('a=x%00', 'request body'), /NUL/);
    assert.equal(decodePathLabel('arn%3Aaws%2Fx'), 'arn:aws/x');
    rejects(() => decodePathLabel('%E0%A4%A'), /percent-encoded/);
    rejects(() => decodePathLabel('a%00'), /NUL/);
  });

  it('lends the in-flight budget out and takes it back', () => {
    const budget = new InFlightBodyBudget(100);
    const first = budget.lease();
    const second = budget.lease();
    assert.equal(first.take(60), true);
    assert.equal(second.take(50), false);
    assert.equal(second.take(40), true);
    assert.equal(budget.inUse, 100);
    first.release();
    assert.equal(budget.inUse, 40);
    assert.equal(second.take(60), true);
    second.release();
    second.release();
    assert.equal(budget.inUse, 0);
  });
});
