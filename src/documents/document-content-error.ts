/** Why document content is refused: the error carrying the SSM exception name, and the shorthand for invalid content. */

/** Why content was refused, and as which SSM exception. */
export class DocumentContentError extends Error {
  override readonly name = 'DocumentContentError';
  constructor(
    readonly exceptionName:
      'InvalidDocumentContent' | 'InvalidDocumentSchemaVersion' | 'MaxDocumentSizeExceeded',
    message: string,
  ) {
    super(message);
  }
}

/** Throws InvalidDocumentContent with `message`. */
export const invalidContent = (message: string): never => {
  throw new DocumentContentError('InvalidDocumentContent', message);
};
