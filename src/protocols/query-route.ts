/** The AWS query protocol's route contract (STS, IAM): an Action of one API version bound to one operation. */
import type { Operation } from './operation.js';

/** One query-protocol operation: its Action, API version and response namespace. */
export interface QueryRoute {
  action: string;
  version: string;
  /** e.g. `https://sts.amazonaws.com/doc/2011-06-15/`. */
  xmlNamespace: string;
  operation: Operation;
}
