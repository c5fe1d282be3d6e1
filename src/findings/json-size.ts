/**
 * Whether a JSON value serializes to more than `limit` UTF-8 bytes, without serializing it in the common
 * case: a cheap upper bound of the serialized size decides when it is within the limit, and only a value
 * whose bound exceeds the limit is serialized and measured exactly. So the answer always equals
 * `Buffer.byteLength(JSON.stringify(value)) > limit`.
 */
export function exceedsJsonBytes(value: unknown, limit: number): boolean {
  if (jsonBytesBound(value) <= limit) return false;
  return Buffer.byteLength(JSON.stringify(value) ?? '') > limit;
}

// A UTF-16 code unit takes at most 6 bytes in JSON ("\u001f"); a number at most 24 characters
// ("-1.2345678901234567e-308"); true/false/null at most 5.
const stringBound = (text: string): number => text.length * 6 + 2;

/**
 * An upper bound of the UTF-8 byte length of JSON.stringify(value) for plain JSON data (as JSON.parse gives),
 * walked with an explicit stack so that no nesting depth can exhaust the call stack.
 */
function jsonBytesBound(root: unknown): number {
  let size = 0;
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    switch (typeof value) {
      case 'string':
        size += stringBound(value);
        break;
      case 'number':
        size += 24;
        break;
      case 'boolean':
        size += 5;
        break;
      case 'object': {
        if (value === null) {
          size += 4;
        } else if (Array.isArray(value)) {
          size += 2 + value.length;
          for (const element of value) pending.push(element);
        } else {
          size += 2;
          for (const key in value) {
            size += stringBound(key) + 2;
            pending.push((value as Record<string, unknown>)[key]);
          }
        }
        break;
      }
      default:
        // undefined, functions and the like never come out of JSON.parse; measure such a value exactly
        return Number.POSITIVE_INFINITY;
    }
  }
  return size;
}
