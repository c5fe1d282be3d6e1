/** Groups findings into BatchImportFindings requests: at most 100 findings and 6 MB of JSON each. */

/** Security Hub's limits for one BatchImportFindings request. */
export const batchImportLimits = { maxFindings: 100, maxBytes: 6 * 1024 * 1024 } as const;

// `{"Findings":[` + `]}`: the request body around the findings.
const envelopeBytes = Buffer.byteLength('{"Findings":[]}');

/** Something with a known serialized size. */
export interface Sized {
  /** UTF-8 bytes of the item's JSON. */
  bytes: number;
}

/** How batches are bounded. */
export interface BatchLimits {
  maxFindings: number;
  maxBytes: number;
}

/** Whether an item fits in a request on its own. */
export function fitsInRequest(item: Sized, limits: BatchLimits = batchImportLimits): boolean {
  return envelopeBytes + item.bytes <= limits.maxBytes;
}

/** The request body size of a batch of these items. */
export function requestBytes(items: readonly Sized[]): number {
  return envelopeBytes + items.reduce((sum, item) => sum + item.bytes, 0) + Math.max(0, items.length - 1);
}

/**
 * Yields batches in input order, each within both limits; an item that does not fit alone (see
 * fitsInRequest) is the caller's to reject beforehand, and otherwise goes out in a batch by itself.
 */
export async function* batchBySizeAndCount<T extends Sized>(
  items: AsyncIterable<T> | Iterable<T>,
  limits: BatchLimits = batchImportLimits,
): AsyncGenerator<T[]> {
  let batch: T[] = [];
  let bytes = envelopeBytes;
  for await (const item of items) {
    const added = item.bytes + (batch.length > 0 ? 1 : 0);
    if (batch.length > 0 && (batch.length >= limits.maxFindings || bytes + added > limits.maxBytes)) {
      yield batch;
      batch = [];
      bytes = envelopeBytes;
    }
    bytes += item.bytes + (batch.length > 0 ? 1 : 0);
    batch.push(item);
  }
  if (batch.length > 0) yield batch;
}
