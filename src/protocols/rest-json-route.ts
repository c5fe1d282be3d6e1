/** The restJson1 route contract: a method and path template (with `{Label}` and greedy `{Label+}`) bound to one operation. */
import type { Operation } from './operation.js';

/** One row of a restJson1 route table. */
export interface RestRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  operation: Operation;
}
