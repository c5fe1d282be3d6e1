/** The one mapping of each error Bulwark raises onto the AWS wire. */
import { ApiError, type ErrorKind } from '../kernel/index.js';

interface WireErrorShape {
  status: number;
  exceptionName: string;
  /** The status in awsJson protocols where it differs (an unknown X-Amz-Target is a 400 there). */
  awsJsonStatus?: number;
}

/** The AWS protocols Bulwark speaks; errors differ only in status and body members. */
export type WireProtocol = 'restJson1' | 'awsJson1_1';

const wireShapes: Record<ErrorKind, WireErrorShape> = {
  InvalidInput: { status: 400, exceptionName: 'InvalidInputException' },
  InvalidAccess: { status: 401, exceptionName: 'InvalidAccessException' },
  AccessDenied: { status: 403, exceptionName: 'AccessDeniedException' },
  NotFound: { status: 404, exceptionName: 'ResourceNotFoundException' },
  Conflict: { status: 409, exceptionName: 'ResourceConflictException' },
  LimitExceeded: { status: 429, exceptionName: 'LimitExceededException' },
  ResourceInUse: { status: 400, exceptionName: 'ResourceInUseException' },
  UnknownOperation: { status: 404, exceptionName: 'UnknownOperationException', awsJsonStatus: 400 },
  MissingAuthenticationToken: { status: 403, exceptionName: 'MissingAuthenticationTokenException' },
  UnrecognizedClient: { status: 403, exceptionName: 'UnrecognizedClientException' },
  InvalidSignature: { status: 403, exceptionName: 'InvalidSignatureException' },
  IncompleteSignature: { status: 403, exceptionName: 'IncompleteSignatureException' },
  RequestTooLarge: { status: 413, exceptionName: 'RequestEntityTooLargeException' },
  Throttled: { status: 429, exceptionName: 'ThrottlingException' },
  Internal: { status: 500, exceptionName: 'InternalException' },
};

/** The HTTP response every protocol sends for an error. */
export interface WireError {
  status: number;
  exceptionName: string;
  body: Record<string, string>;
}

/**
 * Maps any thrown value to the wire; unknown errors become an opaque 500 (the caller logs the cause).
 * restJson1 bodies carry `__type`, `Code`, `Message` and `message`; awsJson1_1 bodies `__type`, `Message` and `message`.
 */
export function toWireError(error: unknown, protocol: WireProtocol = 'restJson1'): WireError {
  const known = error instanceof ApiError;
  const shape = known ? wireShapes[error.kind] : wireShapes.Internal;
  const exceptionName = (known ? error.exceptionName : undefined) ?? shape.exceptionName;
  const message = known ? error.message : 'Internal service error';
  if (protocol === 'awsJson1_1') {
    // awsJson services answer every client error with 400 (server faults keep their 5xx).
    return {
      status: shape.status >= 500 || shape.status === 413 ? shape.status : (shape.awsJsonStatus ?? 400),
      exceptionName,
      body: { __type: exceptionName, Message: message, message },
    };
  }
  return {
    status: shape.status,
    exceptionName,
    body: known
      ? { __type: exceptionName, Code: exceptionName, Message: message, message }
      : { __type: exceptionName, Code: exceptionName, Message: message },
  };
}
