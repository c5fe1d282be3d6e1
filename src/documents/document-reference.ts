/** How a call names a document: a plain name (the caller's own or a built-in) or an ARN (any owner), and its ARN. */
import type { Scope } from '../kernel/index.js';
import { ssmError } from '../protocols/ssm/index.js';
import { builtinDocument } from './builtin-documents.js';
import { amazonOwner, type SsmDocument } from './documents-model.js';

/** A document key: owner account (or `Amazon`), Region, name. */
export interface DocumentKey {
  owner: string;
  region: string;
  name: string;
}

/** The error for a document the caller can't see. */
export const invalidDocument = (name: string): Error =>
  ssmError('InvalidDocument', `Document ${name} does not exist.`);

/** A document reference: a plain name (the caller's own or a built-in) or an ARN (any owner). */
export function parseDocumentReference(reference: string, ctx: Scope): DocumentKey {
  const arn = /^arn:[^:]+:ssm:([^:]*):([^:]*):document\/(.+)$/.exec(reference);
  if (arn === null) {
    return {
      owner: builtinDocument(reference, ctx.region) ? amazonOwner : ctx.accountId,
      region: ctx.region,
      name: reference,
    };
  }
  const [, region = '', account = '', name = ''] = arn;
  if (region !== ctx.region) throw invalidDocument(reference);
  return { owner: account === '' ? amazonOwner : account, region, name };
}

/** The ARN of a document (built-ins have no account). */
export function documentArn(document: Pick<SsmDocument, 'owner' | 'region' | 'name'>): string {
  const account = document.owner === amazonOwner ? '' : document.owner;
  return `arn:aws:ssm:${document.region}:${account}:document/${document.name}`;
}

/** The ARN a document operation acts on (its `Name` member). */
export const documentResource = (scope: Scope, input: { Name: string }): string =>
  documentArn(parseDocumentReference(input.Name, scope));
