/** A new document version: the content parsed and validated, and what is derived from it. */
import { ssmError } from '../protocols/ssm/index.js';
import { DocumentContentError, documentHash, parseDocumentContent } from './document-content.js';
import type { DocumentFormat, DocumentType, DocumentVersion } from './documents-model.js';

const contentError = (error: unknown): never => {
  if (error instanceof DocumentContentError) throw ssmError(error.exceptionName, error.message);
  throw error;
};

/** Version `number` of a document of `type` with `content`, or the SSM error the content earns. */
export function newDocumentVersion(
  content: string,
  format: DocumentFormat,
  type: DocumentType,
  number: number,
  versionName: string | undefined,
  now: Date,
): DocumentVersion {
  let parsed;
  try {
    parsed = parseDocumentContent(content, format, type);
  } catch (error) {
    return contentError(error);
  }
  return {
    version: number,
    versionName,
    format,
    content,
    hash: documentHash(content),
    schemaVersion: parsed.schemaVersion,
    description: parsed.description,
    parameters: parsed.parameters,
    platformTypes: parsed.platformTypes,
    createdAt: now,
  };
}
