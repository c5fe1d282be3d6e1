/** The closed set of errors Bulwark raises; `src/http/errors.ts` maps each onto the AWS wire. */

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
  | 'Throttled'
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
