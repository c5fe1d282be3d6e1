/** The kernel's one door: the request context, the caller, and the closed set of errors every capability raises. */
export type { Ctx } from './ctx.js';
export type { Actor, PolicyDocument, PolicyStatement, PrincipalKind } from './actor.js';
export {
  ApiError,
  accessDenied,
  conflict,
  invalidInput,
  limitExceeded,
  notFound,
  type ErrorKind,
} from './api-error.js';
export { offsetPage, withNextToken, type OffsetPage, type OffsetPaging } from './offset-page.js';
export { decodeUtf8, jsonNestingExceeds, maxJsonDepth, parseJsonBody, rejectNul } from './json-text.js';
export { isLoopbackHost } from './loopback.js';
export { inAccount, inScope, type Scope } from './scope.js';
export {
  afterKey,
  afterOrderedKey,
  decodeKeysetToken,
  encodeKeysetToken,
  keysetPageOf,
  keysetSlice,
  type KeysetPage,
  type KeysetPaging,
  type OrderedColumn,
  type SortKey,
} from './keyset.js';
