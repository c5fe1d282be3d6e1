/**
 * A small compiler from JSON Schema to a fast checker that reports its first error the way Ajv 6 does
 * (`data.Resources[0].Type should NOT be shorter than 1 characters`), because that is the wording
 * Security Hub's BatchImportFindings returns. It understands the subset z.toJSONSchema emits for the ASFF
 * schema and refuses any other keyword at compile time, so a constraint can never be silently skipped.
 */

/** A JSON Schema node. */
export type JsonSchema = { readonly [keyword: string]: unknown };

/** Checks a value: undefined when valid, otherwise the Ajv-style error text. */
export type JsonSchemaCheck = (value: unknown) => string | undefined;

/** Named string formats (the `format` keyword) and their tests. */
export type JsonSchemaFormats = Readonly<Record<string, (text: string) => boolean>>;

/** An error found below some node; `path` gathers segments innermost first while it bubbles up. */
interface Failure {
  readonly path: string[];
  readonly messages: string[];
}

type Check = (value: unknown) => Failure | undefined;

const supportedKeywords = new Set([
  '$schema',
  'type',
  'const',
  'enum',
  'maximum',
  'minimum',
  'maxLength',
  'minLength',
  'pattern',
  'format',
  'maxItems',
  'minItems',
  'items',
  'maxProperties',
  'required',
  'propertyNames',
  'properties',
  'additionalProperties',
  'allOf',
]);

// Ajv 6 renders a static property as `.Name` when it is an identifier, else as `['Name']`.
const identifier = /^[a-z$_][a-z$_0-9]*$/i;

/** Compiles a JSON Schema into a checker that stops at the first error, in Ajv 6 keyword order. */
export function compileJsonSchema(schema: JsonSchema, formats: JsonSchemaFormats = {}): JsonSchemaCheck {
  const check = compileNode(schema, formats);
  return (value) => {
    const failure = check(value);
    if (failure === undefined) return undefined;
    const path = 'data' + failure.path.reverse().join('');
    return failure.messages.map((message) => `${path} ${message}`).join(', ');
  };
}

function compileNode(schema: JsonSchema, formats: JsonSchemaFormats): Check {
  for (const keyword of Object.keys(schema)) {
    if (!supportedKeywords.has(keyword))
      throw new Error(`compileJsonSchema: unsupported keyword '${keyword}'`);
  }
  // Ajv 6 order: the type, then the rules of the value's type group, then const/enum/allOf.
  const checks: Check[] = [];
  if (schema.type !== undefined) checks.push(compileType(schema.type));
  checks.push(...compileNumberRules(schema), ...compileStringRules(schema, formats));
  checks.push(...compileArrayRules(schema, formats), ...compileObjectRules(schema, formats));
  checks.push(...compileGenericRules(schema, formats));
  return sequence(checks);
}

function sequence(checks: Check[]): Check {
  if (checks.length === 0) return () => undefined;
  if (checks.length === 1) return checks[0] as Check;
  return (value) => {
    for (const check of checks) {
      const failure = check(value);
      if (failure !== undefined) return failure;
    }
    return undefined;
  };
}

function fail(...messages: string[]): Failure {
  return { path: [], messages };
}

function compileType(type: unknown): Check {
  const message = `should be ${String(type)}`;
  switch (type) {
    case 'string':
      return (value) => (typeof value === 'string' ? undefined : fail(message));
    case 'number':
      return (value) => (typeof value === 'number' ? undefined : fail(message));
    case 'integer':
      return (value) => (typeof value === 'number' && Number.isInteger(value) ? undefined : fail(message));
    case 'boolean':
      return (value) => (typeof value === 'boolean' ? undefined : fail(message));
    case 'array':
      return (value) => (Array.isArray(value) ? undefined : fail(message));
    case 'object':
      return (value) => (isObject(value) ? undefined : fail(message));
    default:
      throw new Error(`compileJsonSchema: unsupported type ${JSON.stringify(type)}`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function numberKeyword(schema: JsonSchema, keyword: string): number | undefined {
  const limit = schema[keyword];
  if (limit === undefined) return undefined;
  if (typeof limit !== 'number') throw new Error(`compileJsonSchema: '${keyword}' must be a number`);
  return limit;
}

function compileNumberRules(schema: JsonSchema): Check[] {
  const checks: Check[] = [];
  const maximum = numberKeyword(schema, 'maximum');
  const minimum = numberKeyword(schema, 'minimum');
  if (maximum !== undefined) {
    const message = `should be <= ${maximum}`;
    checks.push((value) => (typeof value === 'number' && value > maximum ? fail(message) : undefined));
  }
  if (minimum !== undefined) {
    const message = `should be >= ${minimum}`;
    checks.push((value) => (typeof value === 'number' && value < minimum ? fail(message) : undefined));
  }
  return checks;
}

/** Length in Unicode code points, as Ajv counts it (a surrogate pair is one character). */
function codePointLength(text: string): number {
  let length = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 0xd800 && code <= 0xdbff && index + 1 < text.length) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) index++;
    }
    length++;
  }
  return length;
}

function compileStringRules(schema: JsonSchema, formats: JsonSchemaFormats): Check[] {
  const checks: Check[] = [];
  const maxLength = numberKeyword(schema, 'maxLength');
  const minLength = numberKeyword(schema, 'minLength');
  // UTF-16 length bounds the code-point length from above, so the exact count is rarely needed.
  if (maxLength !== undefined) {
    const message = `should NOT be longer than ${maxLength} characters`;
    checks.push((value) =>
      typeof value === 'string' && value.length > maxLength && codePointLength(value) > maxLength
        ? fail(message)
        : undefined,
    );
  }
  if (minLength !== undefined) {
    const message = `should NOT be shorter than ${minLength} characters`;
    checks.push((value) =>
      typeof value === 'string' && value.length < minLength * 2 && codePointLength(value) < minLength
        ? fail(message)
        : undefined,
    );
  }
  if (schema.pattern !== undefined) checks.push(compilePattern(schema.pattern));
  if (schema.format !== undefined) {
    const name = typeof schema.format === 'string' ? schema.format : JSON.stringify(schema.format);
    const test = formats[name];
    if (test === undefined) throw new Error(`compileJsonSchema: unknown format '${name}'`);
    const message = `should match format "${name}"`;
    checks.push((value) => (typeof value === 'string' && !test(value) ? fail(message) : undefined));
  }
  return checks;
}

function compilePattern(pattern: unknown): Check {
  if (typeof pattern !== 'string') throw new Error("compileJsonSchema: 'pattern' must be a string");
  // RegExp#source writes `/` as `\/`; both mean the same, and the service shows the plain form.
  const message = `should match pattern "${pattern.replace(/\\\//g, '/')}"`;
  // `.*\S.*` unanchored matches exactly when some character is not whitespace; /\S/ says so in linear time.
  const regex = pattern === '.*\\S.*' ? /\S/ : new RegExp(pattern);
  return (value) => (typeof value === 'string' && !regex.test(value) ? fail(message) : undefined);
}

function subschema(value: unknown, keyword: string): JsonSchema {
  if (!isObject(value)) throw new Error(`compileJsonSchema: '${keyword}' must be a schema object`);
  return value;
}

function compileArrayRules(schema: JsonSchema, formats: JsonSchemaFormats): Check[] {
  const checks: Check[] = [];
  const maxItems = numberKeyword(schema, 'maxItems');
  const minItems = numberKeyword(schema, 'minItems');
  if (maxItems !== undefined) {
    const message = `should NOT have more than ${maxItems} items`;
    checks.push((value) => (Array.isArray(value) && value.length > maxItems ? fail(message) : undefined));
  }
  if (minItems !== undefined) {
    const message = `should NOT have fewer than ${minItems} items`;
    checks.push((value) => (Array.isArray(value) && value.length < minItems ? fail(message) : undefined));
  }
  if (schema.items !== undefined) {
    const item = compileNode(subschema(schema.items, 'items'), formats);
    checks.push((value) => {
      if (!Array.isArray(value)) return undefined;
      for (let index = 0; index < value.length; index++) {
        const failure = item(value[index]);
        if (failure !== undefined) {
          failure.path.push(`[${index}]`);
          return failure;
        }
      }
      return undefined;
    });
  }
  return checks;
}

function compileObjectRules(schema: JsonSchema, formats: JsonSchemaFormats): Check[] {
  const checks: Check[] = [];
  const maxProperties = numberKeyword(schema, 'maxProperties');
  if (maxProperties !== undefined) {
    const message = `should NOT have more than ${maxProperties} properties`;
    checks.push((value) =>
      isObject(value) && Object.keys(value).length > maxProperties ? fail(message) : undefined,
    );
  }
  if (schema.required !== undefined) checks.push(compileRequired(schema.required));
  if (schema.propertyNames !== undefined) {
    const check = compilePropertyNames(subschema(schema.propertyNames, 'propertyNames'), formats);
    if (check !== undefined) checks.push(check);
  }
  checks.push(...compileProperties(schema, formats));
  return checks;
}

function compileRequired(required: unknown): Check {
  if (!Array.isArray(required)) throw new Error("compileJsonSchema: 'required' must be an array");
  const names = required.map(String);
  return (value) => {
    if (!isObject(value)) return undefined;
    for (const name of names) {
      if (value[name] === undefined) return fail(`should have required property '${name}'`);
    }
    return undefined;
  };
}

function compilePropertyNames(schema: JsonSchema, formats: JsonSchemaFormats): Check | undefined {
  // Object keys are always strings, so `{ type: 'string' }` alone has nothing to check.
  if (Object.keys(schema).length === 1 && schema.type === 'string') return undefined;
  const check = compileNode(schema, formats);
  return (value) => {
    if (!isObject(value)) return undefined;
    for (const key in value) {
      const failure = check(key);
      // Ajv 6 reports the key's own error at the object, then names the key.
      if (failure !== undefined) return fail(...failure.messages, `property name '${key}' is invalid`);
    }
    return undefined;
  };
}

function compileProperties(schema: JsonSchema, formats: JsonSchemaFormats): Check[] {
  const properties = schema.properties === undefined ? {} : subschema(schema.properties, 'properties');
  const named = Object.entries(properties).map(([name, property]) => ({
    name,
    segment: identifier.test(name) ? `.${name}` : `['${name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`,
    check: compileNode(subschema(property, `properties.${name}`), formats),
  }));
  const checks: Check[] = [];
  const additional = schema.additionalProperties;
  const isNamed = (key: string) => Object.prototype.hasOwnProperty.call(properties, key);
  if (additional === false) {
    checks.push((value) => {
      if (!isObject(value)) return undefined;
      for (const key in value) {
        if (!isNamed(key)) return fail('should NOT have additional properties');
      }
      return undefined;
    });
  } else if (
    additional !== undefined &&
    additional !== true &&
    Object.keys(subschema(additional, 'additionalProperties')).length > 0
  ) {
    const check = compileNode(subschema(additional, 'additionalProperties'), formats);
    checks.push((value) => {
      if (!isObject(value)) return undefined;
      for (const key in value) {
        if (isNamed(key)) continue;
        const failure = check(value[key]);
        if (failure !== undefined) {
          // Keys only known at run time are always written `['key']` (Ajv 6 getPathExpr).
          failure.path.push(`['${key}']`);
          return failure;
        }
      }
      return undefined;
    });
  }
  if (named.length > 0) {
    checks.push((value) => {
      if (!isObject(value)) return undefined;
      for (const { name, segment, check } of named) {
        const property = value[name];
        if (property === undefined) continue;
        const failure = check(property);
        if (failure !== undefined) {
          failure.path.push(segment);
          return failure;
        }
      }
      return undefined;
    });
  }
  return checks;
}

function compileGenericRules(schema: JsonSchema, formats: JsonSchemaFormats): Check[] {
  const checks: Check[] = [];
  if (schema.const !== undefined) {
    const expected = schema.const;
    if (typeof expected === 'object' && expected !== null)
      throw new Error("compileJsonSchema: 'const' must be a scalar");
    checks.push((value) => (value === expected ? undefined : fail('should be equal to constant')));
  }
  if (schema.enum !== undefined) {
    if (!Array.isArray(schema.enum)) throw new Error("compileJsonSchema: 'enum' must be an array");
    const allowed = new Set<unknown>(schema.enum);
    checks.push((value) =>
      allowed.has(value) ? undefined : fail('should be equal to one of the allowed values'),
    );
  }
  if (schema.allOf !== undefined) {
    if (!Array.isArray(schema.allOf)) throw new Error("compileJsonSchema: 'allOf' must be an array");
    checks.push(...schema.allOf.map((part: unknown) => compileNode(subschema(part, 'allOf'), formats)));
  }
  return checks;
}
