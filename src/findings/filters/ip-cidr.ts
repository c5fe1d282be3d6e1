/** IPv4/IPv6 address and CIDR parsing on BigInt, for IpFilter. */

/** An IP address as its family and its value as an unsigned integer. */
export interface IpAddress {
  readonly version: 4 | 6;
  readonly value: bigint;
}

/** A parsed CIDR block: the addresses whose top `prefixLength` bits equal those of `network`. */
export interface Cidr {
  readonly version: 4 | 6;
  readonly network: bigint;
  readonly prefixLength: number;
  readonly mask: bigint;
}

const ipv4Octet = /^(?:0|[1-9]\d{0,2})$/;
const ipv6Group = /^[0-9a-fA-F]{1,4}$/;

/** Parses a dotted-quad IPv4 or an RFC 4291 IPv6 address (with `::` and an embedded IPv4 tail). */
export function parseIpAddress(text: string): IpAddress | undefined {
  if (text.includes(':')) {
    const value = parseIpv6(text);
    return value === undefined ? undefined : { version: 6, value };
  }
  const value = parseIpv4(text);
  return value === undefined ? undefined : { version: 4, value };
}

/** Parses `address/prefix`; a bare address is taken as a single-host block (/32 or /128). */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  const address = parseIpAddress(slash === -1 ? text : text.slice(0, slash));
  if (address === undefined) return undefined;
  const bits = address.version === 4 ? 32 : 128;
  let prefixLength = bits;
  if (slash !== -1) {
    const prefixText = text.slice(slash + 1);
    if (!/^(?:0|[1-9]\d{0,2})$/.test(prefixText)) return undefined;
    prefixLength = Number(prefixText);
    if (prefixLength > bits) return undefined;
  }
  const all = (1n << BigInt(bits)) - 1n;
  const mask = all ^ ((1n << BigInt(bits - prefixLength)) - 1n);
  // Host bits after the prefix are ignored, as most tools do for 10.0.0.1/8.
  return { version: address.version, network: address.value & mask, prefixLength, mask };
}

/** Whether the address lies inside the CIDR block (families must agree). */
export function cidrContains(cidr: Cidr, address: IpAddress): boolean {
  return cidr.version === address.version && (address.value & cidr.mask) === cidr.network;
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!ipv4Octet.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = (value << 8n) | BigInt(octet);
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = parseIpv6Groups(halves[0] ?? '', halves.length === 1);
  const tail = halves.length === 2 ? parseIpv6Groups(halves[1] ?? '', true) : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...new Array<number>(halves.length === 1 ? 0 : missing).fill(0), ...tail];
  let value = 0n;
  for (const group of groups) value = (value << 16n) | BigInt(group);
  return value;
}

// Splits one side of `::` into 16-bit groups; only the last side may end with an IPv4 tail.
function parseIpv6Groups(text: string, mayEndWithIpv4: boolean): number[] | undefined {
  if (text === '') return [];
  const parts = text.split(':');
  const groups: number[] = [];
  for (const [index, part] of parts.entries()) {
    if (mayEndWithIpv4 && index === parts.length - 1 && part.includes('.')) {
      const ipv4 = parseIpv4(part);
      if (ipv4 === undefined) return undefined;
      groups.push(Number(ipv4 >> 16n), Number(ipv4 & 0xffffn));
    } else if (ipv6Group.test(part)) {
      groups.push(parseInt(part, 16));
    } else {
      return undefined;
    }
  }
  return groups;
}
