import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileJsonSchema } from './compile-json-schema.js';

describe('compileJsonSchema', () => {
  it("writes static identifiers as .Name, other static names and run-time keys as ['name']", () => {
    const check = compileJsonSchema({
      type: 'object',
      properties: {
        Plain: { type: 'string' },
        'Not plain': { type: 'string' },
        Map: { type: 'object', additionalProperties: { type: 'string' } },
        List: { type: 'array', items: { type: 'object', properties: { Deep: { type: 'integer' } } } },
      },
    });
    assert.equal(check({ Plain: 1 }), 'data.Plain should be string');
    assert.equal(check({ 'Not plain': 1 }), "data['Not plain'] should be string");
    assert.equal(check({ Map: { simple: 1 } }), "data.Map['simple'] should be string");
    assert.equal(check({ List: [{ Deep: 1 }, { Deep: 'x' }] }), 'data.List[1].Deep should be integer');
    assert.equal(check({ Plain: 'ok', Map: {}, List: [] }), undefined);
  });

  it('checks in Ajv 6 order: type, the type group, then const, enum and allOf', () => {
    const check = compileJsonSchema({
      type: 'string',
      maxLength: 3,
      minLength: 2,
      enum: ['ab', 'abc'],
      allOf: [{ pattern: '^a' }, { pattern: 'c$' }],
    });
    assert.equal(check(1), 'data should be string');
    assert.equal(check('abcd'), 'data should NOT be longer than 3 characters');
    assert.equal(check('a'), 'data should NOT be shorter than 2 characters');
    assert.equal(check('zz'), 'data should be equal to one of the allowed values');
    assert.equal(check('ab'), 'data should match pattern "c$"');
    assert.equal(check('abc'), undefined);
  });

  it('checks objects as required, then additional properties, then named properties', () => {
    const check = compileJsonSchema({
      type: 'object',
      maxProperties: 3,
      required: ['A', 'B'],
      properties: { A: { type: 'number', maximum: 1, minimum: 0 }, B: { type: 'boolean' } },
      additionalProperties: false,
    });
    assert.equal(check({ A: 5, X: 1 }), "data should have required property 'B'");
    assert.equal(check({ A: 5, B: true, X: 1 }), 'data should NOT have additional properties');
    assert.equal(check({ A: 5, B: true }), 'data.A should be <= 1');
    assert.equal(check({ A: -1, B: true }), 'data.A should be >= 0');
    assert.equal(check({ A: 1, B: true, C: 1, D: 1 }), 'data should NOT have more than 3 properties');
  });

  it('reports a bad key as Ajv 6 does: the key error at the object, then the key', () => {
    const check = compileJsonSchema({ type: 'object', propertyNames: { type: 'string', maxLength: 2 } });
    assert.equal(
      check({ ok: 1, long: 2 }),
      "data should NOT be longer than 2 characters, data property name 'long' is invalid",
    );
  });

  it('counts length in code points, as Ajv does', () => {
    const check = compileJsonSchema({ type: 'string', minLength: 2, maxLength: 2 });
    assert.equal(check('😀😀'), undefined);
    assert.equal(check('😀'), 'data should NOT be shorter than 2 characters');
    assert.equal(check('😀😀😀'), 'data should NOT be longer than 2 characters');
  });

  it('treats .*\\S.* as "some non-whitespace character", across lines too', () => {
    const check = compileJsonSchema({ type: 'string', pattern: '.*\\S.*' });
    assert.equal(check('\n\n x'), undefined);
    assert.equal(check(' \n\t\u00a0'), 'data should match pattern ".*\\S.*"');
    assert.equal(check(' '.repeat(100_000)), 'data should match pattern ".*\\S.*"');
  });

  it('uses the named format tests and shows a pattern the way the service does', () => {
    const check = compileJsonSchema(
      {
        type: 'object',
        properties: { T: { type: 'string', format: 'year' }, P: { type: 'string', pattern: '^a\\/b$' } },
      },
      { year: (text) => /^\d{4}$/.test(text) },
    );
    assert.equal(check({ T: '24' }), 'data.T should match format "year"');
    assert.equal(check({ P: 'x' }), 'data.P should match pattern "^a/b$"');
    assert.equal(check({ T: '2024', P: 'a/b' }), undefined);
  });

  it('refuses keywords and formats it does not implement rather than skipping them', () => {
    assert.throws(() => compileJsonSchema({ type: 'string', anyOf: [] }), /unsupported keyword 'anyOf'/);
    assert.throws(() => compileJsonSchema({ type: 'string', format: 'email' }), /unknown format 'email'/);
    assert.throws(() => compileJsonSchema({ type: ['string', 'null'] }), /unsupported type/);
  });
});
