/**
 * The one mapping of each error Bulwark raises onto the AWS wire: a status, an exception name and a message per
 * protocol, and the JSON or XML envelope rendered from that one result.
 */
import { ApiError, type ErrorKind } from '../kernel/index.js';
import { awsJson11ContentType } from '../protocols/aws-json-route.js';
import type { HttpResponse } from './http-message.js';

/** The AWS protocols Bulwark speaks. */
export type WireProtocol = 'restJson1' | 'awsJson1_1' | 'query';

/** What a failed call answers, in one protocol's terms. */
export interface WireError {
  status: number;
  /** The exception name (JSON protocols) or error code (query protocol). */
  exceptionName: string;
  message: string;
  /** False for an unexpected failure: the message is opaque (the cause is only logged). */
  known: boolean;
}

interface WireErrorShape {
  status: number;
  exceptionName: string;
  /** The status in awsJson protocols where it differs (an unknown X-Amz-Target is a 400 there). */
  awsJsonStatus?: number;
  /** The query protocol's name (STS/IAM wording), where it differs from the exception name. */
  queryCode?: string;
}

const wireShapes: Record<ErrorKind, WireErrorShape> = {
  InvalidInput: { status: 400, exceptionName: 'InvalidInputException', queryCode: 'ValidationError' },
  InvalidAccess: { status: 401, exceptionName: 'InvalidAccessException' },
  AccessDenied: { status: 403, exceptionName: 'AccessDeniedException', queryCode: 'AccessDenied' },
  NotFound: { status: 404, exceptionName: 'ResourceNotFoundException' },
  Conflict: { status: 409, exceptionName: 'ResourceConflictException' },
  LimitExceeded: { status: 429, exceptionName: 'LimitExceededException' },
  ResourceInUse: { status: 400, exceptionName: 'ResourceInUseException' },
  UnknownOperation: {
    status: 404,
    exceptionName: 'UnknownOperationException',
    awsJsonStatus: 400,
    queryCode: 'InvalidAction',
  },
  MissingAuthenticationToken: {
    status: 403,
    exceptionName: 'MissingAuthenticationTokenException',
    queryCode: 'MissingAuthenticationToken',
  },
  UnrecognizedClient: {
    status: 403,
    exceptionName: 'UnrecognizedClientException',
    queryCode: 'InvalidClientTokenId',
  },
  InvalidSignature: {
    status: 403,
    exceptionName: 'InvalidSignatureException',
    queryCode: 'SignatureDoesNotMatch',
  },
  IncompleteSignature: {
    status: 403,
    exceptionName: 'IncompleteSignatureException',
    queryCode: 'IncompleteSignature',
  },
  RequestTooLarge: {
    status: 413,
    exceptionName: 'RequestEntityTooLargeException',
    queryCode: 'RequestEntityTooLarge',
  },
  Throttled: { status: 429, exceptionName: 'ThrottlingException', queryCode: 'Throttling' },
  Internal: { status: 500, exceptionName: 'InternalException', queryCode: 'InternalFailure' },
};

/**
 * Maps any thrown value to the wire of `protocol`; unknown errors become an opaque 500 (the caller logs the
 * cause). restJson1 is the canonical form: its exception name is what the audit trail records as errorCode.
 * awsJson services answer every client error with 400 (server faults and 413 keep their status); the query
 * protocol uses STS's error codes and answers an unknown Action with 400.
 */
export function wireErrorOf(error: unknown, protocol: WireProtocol = 'restJson1'): WireError {
  const known = error instanceof ApiError;
  const shape = known ? wireShapes[error.kind] : wireShapes.Internal;
  const named = known ? error.exceptionName : undefined;
  const message = known ? error.message : 'Internal service error';
  switch (protocol) {
    case 'restJson1':
      return { status: shape.status, exceptionName: named ?? shape.exceptionName, message, known };
    case 'awsJson1_1': {
      const clientStatus = shape.awsJsonStatus ?? 400;
      const status = shape.status >= 500 || shape.status === 413 ? shape.status : clientStatus;
      return { status, exceptionName: named ?? shape.exceptionName, message, known };
    }
    case 'query': {
      const code = named ?? (known ? (shape.queryCode ?? shape.exceptionName) : 'InternalFailure');
      const status = known && error.kind === 'UnknownOperation' ? 400 : shape.status;
      return { status, exceptionName: code, message, known };
    }
  }
}

/** The content type each protocol answers with. */
export const contentTypes: Record<WireProtocol, string> = {
  restJson1: 'application/json',
  awsJson1_1: awsJson11ContentType,
  query: 'text/xml',
};

/** The STS namespace of query-protocol error documents. */
const stsXmlNamespace = 'https://sts.amazonaws.com/doc/2011-06-15/';

/** Escapes text for an XML element or attribute. */
export const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * The response of a failed call: restJson1 bodies carry `__type`, `Code`, `Message` and `message` (no `message`
 * for an opaque 500); awsJson1_1 bodies `__type`, `Message` and `message`; query bodies are an `ErrorResponse`
 * document (`Sender` faults for client errors, `Receiver` for server ones).
 */
export function errorResponse(wire: WireError, protocol: WireProtocol, requestId: string): HttpResponse {
  const name = wire.exceptionName;
  const headers: Record<string, string> = { 'content-type': contentTypes[protocol] };
  if (protocol === 'query') {
    const body =
      `<ErrorResponse xmlns="${stsXmlNamespace}"><Error><Type>${wire.status >= 500 ? 'Receiver' : 'Sender'}</Type>` +
      `<Code>${escapeXml(name)}</Code><Message>${escapeXml(wire.message)}</Message></Error>` +
      `<RequestId>${requestId}</RequestId></ErrorResponse>`;
    return { status: wire.status, headers: { ...headers, 'x-amzn-requestid': requestId }, body };
  }
  const body =
    protocol === 'awsJson1_1'
      ? { __type: name, Message: wire.message, message: wire.message }
      : wire.known
        ? { __type: name, Code: name, Message: wire.message, message: wire.message }
        : { __type: name, Code: name, Message: wire.message };
  return {
    status: wire.status,
    headers: { ...headers, 'x-amzn-errortype': name, 'x-amzn-requestid': requestId },
    body: JSON.stringify(body),
  };
}
