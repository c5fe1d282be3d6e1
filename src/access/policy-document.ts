/**
 * IAM identity-policy documents: the zod schema that validates one (with errors naming the element, e.g.
 * `Statement[1].Condition.IpAddress.aws:SourceIp[0]: "10.0.0.300/8" is not …`) and the normalized shape the
 * evaluator reads (every string-or-list element as a list).
 */
import { z } from 'zod';
import type { PolicyDocument } from '../kernel/index.js';
import { checkConditionValue, parseConditionOperator } from './condition-operators.js';

/** The longest policy document IAM accepts for a managed policy (characters, whitespace excluded). */
export const maxPolicyCharacters = 6144;

/** A policy document that failed validation; `issues` lists every problem as `path: message`. */
export class PolicyDocumentError extends Error {
  override readonly name = 'PolicyDocumentError';
  constructor(readonly issues: readonly string[]) {
    super(`invalid policy document: ${issues.join('; ')}`);
  }
}

const asList = (value: unknown): unknown => (typeof value === 'string' ? [value] : value);

const stringList = (element: string) =>
  z.preprocess(
    asList,
    z
      .array(z.string({ error: `each ${element} must be a string` }), {
        error: `${element} must be a string or a list of strings`,
      })
      .min(1, `${element} must not be an empty list`),
  );

const actionPattern = /^(\*|[A-Za-z0-9*?-]+:[A-Za-z0-9*?]+)$/;
const actionList = (element: string) =>
  stringList(element).pipe(
    z.array(
      z
        .string()
        .regex(actionPattern, `${element} must be "*" or "service:ActionName" (wildcards * and ? allowed)`),
    ),
  );

const resourceList = (element: string) =>
  stringList(element).pipe(
    z.array(
      z
        .string()
        .refine(
          (value) =>
            value === '*' ||
            (value.startsWith('arn:') && (value.split(':').length >= 6 || value.endsWith('*'))),
          `${element} must be "*" or an ARN (arn:partition:service:region:account:resource, wildcards allowed)`,
        ),
    ),
  );

const conditionValues = z.preprocess(
  (value: unknown): unknown => (Array.isArray(value) ? value : [value]),
  z
    .array(
      z
        .union([z.string(), z.number(), z.boolean()], {
          error: 'condition values must be strings, numbers or booleans',
        })
        .transform(String),
    )
    .min(1, 'a condition key needs at least one value'),
);

const conditionBlock = z
  .record(z.string(), z.record(z.string(), conditionValues), {
    error: 'Condition must be an object of operator → { condition key → value(s) }',
  })
  .superRefine((block, ctx) => {
    for (const [operatorName, keys] of Object.entries(block)) {
      const operator = parseConditionOperator(operatorName);
      if (typeof operator === 'string') {
        ctx.addIssue({ code: 'custom', path: [operatorName], message: operator });
        continue;
      }
      if (Object.keys(keys).length === 0) {
        ctx.addIssue({
          code: 'custom',
          path: [operatorName],
          message: 'an operator needs at least one condition key',
        });
      }
      for (const [key, values] of Object.entries(keys)) {
        values.forEach((value, i) => {
          const problem = checkConditionValue(operator.family, value);
          if (problem !== undefined)
            ctx.addIssue({ code: 'custom', path: [operatorName, key, i], message: problem });
        });
      }
    }
  });

const forbidden = (message: string) =>
  z
    .unknown()
    .refine((value) => value === undefined, message)
    .optional();

const statementSchema = z
  .strictObject(
    {
      Sid: z
        .string({ error: 'Sid must be a string' })
        .regex(/^[A-Za-z0-9]*$/, 'Sid may contain only letters and digits')
        .optional(),
      Effect: z.enum(['Allow', 'Deny'], { error: 'Effect must be "Allow" or "Deny"' }),
      Action: actionList('Action').optional(),
      NotAction: actionList('NotAction').optional(),
      Resource: resourceList('Resource').optional(),
      NotResource: resourceList('NotResource').optional(),
      Condition: conditionBlock.optional(),
      Principal: forbidden('Principal is not allowed in an identity-based policy'),
      NotPrincipal: forbidden('NotPrincipal is not allowed in an identity-based policy'),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `unknown statement element(s): ${issue.keys.join(', ')}`
          : 'a statement must be an object',
    },
  )
  .superRefine((statement, ctx) => {
    const hasAction = statement.Action !== undefined;
    const hasNotAction = statement.NotAction !== undefined;
    if (hasAction === hasNotAction) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: 'a statement needs exactly one of Action and NotAction',
      });
    }
    const hasResource = statement.Resource !== undefined;
    const hasNotResource = statement.NotResource !== undefined;
    if (hasResource === hasNotResource) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: 'a statement needs exactly one of Resource and NotResource',
      });
    }
  });

/** The schema of an identity-based policy document; parses to the normalized {@link PolicyDocument}. */
export const policyDocumentSchema = z
  .strictObject(
    {
      Version: z.enum(['2012-10-17', '2008-10-17'], {
        error: 'Version must be "2012-10-17" (or the legacy "2008-10-17")',
      }),
      Id: z.string({ error: 'Id must be a string' }).optional(),
      Statement: z.preprocess(
        (value) => (value !== null && typeof value === 'object' && !Array.isArray(value) ? [value] : value),
        z
          .array(statementSchema, { error: 'Statement must be a statement object or a list of them' })
          .min(1, 'Statement must not be empty'),
      ),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `unknown policy element(s): ${issue.keys.join(', ')}`
          : 'a policy document must be a JSON object',
    },
  )
  .superRefine((document, ctx) => {
    const seen = new Set<string>();
    document.Statement.forEach((statement, i) => {
      if (statement.Sid === undefined || statement.Sid === '') return;
      if (seen.has(statement.Sid)) {
        ctx.addIssue({
          code: 'custom',
          path: ['Statement', i, 'Sid'],
          message: `duplicate Sid "${statement.Sid}"`,
        });
      }
      seen.add(statement.Sid);
    });
  });

function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else text += text === '' ? String(part) : `.${String(part)}`;
  }
  return text;
}

/** Validates and normalizes a parsed JSON policy document; throws PolicyDocumentError listing every problem. */
export function parsePolicyDocument(value: unknown): PolicyDocument {
  const result = policyDocumentSchema.safeParse(value);
  if (result.success) return result.data;
  throw new PolicyDocumentError(
    result.error.issues.map((issue) => {
      const path = formatPath(issue.path);
      return path === '' ? issue.message : `${path}: ${issue.message}`;
    }),
  );
}

/** Parses policy JSON text (as given to `create-policy --document`), enforcing IAM's size limit. */
export function parsePolicyText(text: string): PolicyDocument {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new PolicyDocumentError([
      `not valid JSON (${error instanceof Error ? error.message : String(error)})`,
    ]);
  }
  const size = text.replace(/\s/g, '').length;
  if (size > maxPolicyCharacters) {
    throw new PolicyDocumentError([
      `${size} characters (without whitespace) exceed the limit of ${maxPolicyCharacters}`,
    ]);
  }
  return parsePolicyDocument(value);
}
