/** The closed set of errors Bulwark raises, and the one mapping of each onto the AWS wire. */

/** What went wrong, independent of the protocol that reports it. */
export type ErrorKind =
  | 'InvalidInput'
  | 'InvalidAccess'
  | 'AccessDenied'
  | 'NotFound'
  | 'Conflict'
  | 'LimitExceeded'
  | 'ResourceInUse'
  | 'UnknownOperation'
  | 'MissingAuthenticationToken'
  | 'UnrecognizedClient'
  | 'InvalidSignature'
  | 'IncompleteSignature'
  | 'RequestTooLarge'
  | 'Internal';

/** An error that is safe to show the caller: its message is part of the API. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly kind: ErrorKind,
    message: string,
    /** A service-specific exception name that replaces the default one for `kind` (e.g. SSM's `InvalidDocument`). */
    readonly exceptionName?: string,
  ) {
    super(message);
  }
}

/** Shorthand constructors, so call sites read as the rule they enforce. */
export const invalidInput = (message: string): ApiError => new ApiError('InvalidInput', message);
export const notFound = (message: string): ApiError => new ApiError('NotFound', message);
export const accessDenied = (message: string): ApiError => new ApiError('AccessDenied', message);
export const conflict = (message: string): ApiError => new ApiError('Conflict', message);
export const limitExceeded = (message: string): ApiError => new ApiError('LimitExceeded', message);

interface WireErrorShape {
  status: number;
  exceptionName: string;
}

const wireShapes: Record<ErrorKind, WireErrorShape> = {
  InvalidInput: { status: 400, exceptionName: 'InvalidInputException' },
  InvalidAccess: { status: 401, exceptionName: 'InvalidAccessException' },
  AccessDenied: { status: 403, exceptionName: 'AccessDeniedException' },
  NotFound: { status: 404, exceptionName: 'ResourceNotFoundException' },
  Conflict: { status: 409, exceptionName: 'ResourceConflictException' },
  LimitExceeded: { status: 429, exceptionName: 'LimitExceededException' },
  ResourceInUse: { status: 400, exceptionName: 'ResourceInUseException' },
  UnknownOperation: { status: 404, exceptionName: 'UnknownOperationException' },
  MissingAuthenticationToken: { status: 403, exceptionName: 'MissingAuthenticationTokenException' },
  UnrecognizedClient: { status: 403, exceptionName: 'UnrecognizedClientException' },
  InvalidSignature: { status: 403, exceptionName: 'InvalidSignatureException' },
  IncompleteSignature: { status: 403, exceptionName: 'IncompleteSignatureException' },
  RequestTooLarge: { status: 413, exceptionName: 'RequestEntityTooLargeException' },
  Internal: { status: 500, exceptionName: 'InternalException' },
};

/** The HTTP response every protocol sends for an error. */
export interface WireError {
  status: number;
  exceptionName: string;
  body: Record<string, string>;
}

/** Maps any thrown value to the wire; unknown errors become an opaque 500 (the caller logs the cause). */
export function toWireError(error: unknown): WireError {
  if (!(error instanceof ApiError)) {
    const shape = wireShapes.Internal;
    return {
      status: shape.status,
      exceptionName: shape.exceptionName,
      body: { __type: shape.exceptionName, Code: shape.exceptionName, Message: 'Internal service error' },
    };
  }
  const shape = wireShapes[error.kind];
  const exceptionName = error.exceptionName ?? shape.exceptionName;
  return {
    status: shape.status,
    exceptionName,
    body: { __type: exceptionName, Code: exceptionName, Message: error.message, message: error.message },
  };
}
