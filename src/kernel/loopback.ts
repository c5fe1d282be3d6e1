/** Whether an address stays on this machine; dependency-free so the host agent can use it too. */
import { isIP } from 'node:net';

/** True for `localhost`, 127.0.0.0/8 and ::1 (bracketed or not, and ::ffff:127.x.y.z). */
export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const lower = bare.toLowerCase();
  if (lower === 'localhost' || lower.endsWith('.localhost')) return true;
  if (isIP(lower) === 4) return lower.startsWith('127.');
  if (isIP(lower) === 6) {
    if (lower === '::1' || lower === '0:0:0:0:0:0:0:1') return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower)?.[1];
    return mapped !== undefined && mapped.startsWith('127.');
  }
  return false;
}
