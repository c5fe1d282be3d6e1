/** What the agent tells the hub about its host: name, platform, kernel, addresses, agent version. */
import { readFileSync } from 'node:fs';
import os from 'node:os';

/** The agent's version in the hub's `n.n.n` form: the package version (read once at start). */
export const AGENT_VERSION = readPackageVersion();
export const AGENT_NAME = 'bulwark-agent';

/** Host facts in the shape of UpdateInstanceInformation / RegisterManagedInstance. */
export interface HostFacts {
  AgentName: string;
  AgentVersion: string;
  AgentStatus: string;
  PlatformType: 'Linux' | 'Windows' | 'MacOS';
  PlatformName: string;
  PlatformVersion: string;
  IPAddress?: string;
  ComputerName: string;
  /** Not part of the SSM heartbeat; kept for AWS:InstanceDetailedInformation-style reporting. */
  KernelVersion: string;
}

function readPackageVersion(): string {
  try {
    // dist/src/agent/host-facts.js → package.json at the repository (or install) root.
    const text = readFileSync(new URL('../../../package.json', import.meta.url), 'utf8');
    const version = (JSON.parse(text) as { version?: unknown }).version;
    if (typeof version === 'string' && /^\d{1,6}(\.\d{1,6}){2,3}$/.test(version)) return version;
  } catch {
    // fall through
  }
  return '0.0.0';
}

/** `KEY=value` lines of /etc/os-release (quotes removed). */
export function parseOsRelease(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match === null) continue;
    const [, key, raw] = match;
    if (key === undefined || raw === undefined) continue;
    fields[key] = raw.replace(/^(["'])(.*)\1$/, '$2').replace(/\\(["\\$`])/g, '$1');
  }
  return fields;
}

function readOsRelease(): Record<string, string> {
  for (const file of ['/etc/os-release', '/usr/lib/os-release']) {
    try {
      return parseOsRelease(readFileSync(file, 'utf8'));
    } catch {
      // try the next location
    }
  }
  return {};
}

/** The first non-internal IPv4 address (else IPv6), as the SSM agent reports IPAddress. */
export function primaryIpAddress(
  interfaces: NodeJS.Dict<os.NetworkInterfaceInfo[]> = os.networkInterfaces(),
): string | undefined {
  const all = Object.values(interfaces)
    .flatMap((list) => list ?? [])
    .filter((address) => !address.internal);
  return (all.find((address) => address.family === 'IPv4') ?? all[0])?.address;
}

/** Reads the host facts now (cheap: a file read and a few syscalls). */
export function collectHostFacts(): HostFacts {
  const release = readOsRelease();
  const platform = os.platform();
  const ip = primaryIpAddress();
  const computerName = os.hostname().slice(0, 255) || 'localhost';
  return {
    AgentName: AGENT_NAME,
    AgentVersion: AGENT_VERSION,
    AgentStatus: 'Active',
    PlatformType: platform === 'win32' ? 'Windows' : platform === 'darwin' ? 'MacOS' : 'Linux',
    PlatformName: (release['NAME'] ?? os.type()).slice(0, 256),
    PlatformVersion: (release['VERSION_ID'] ?? os.release()).slice(0, 256),
    ...(ip === undefined ? {} : { IPAddress: ip }),
    ComputerName: computerName,
    KernelVersion: os.release(),
  };
}

/** The facts as the wire wants them in a heartbeat (KernelVersion is not an SSM heartbeat field). */
export function heartbeatFacts(facts: HostFacts): Omit<HostFacts, 'KernelVersion'> {
  const wire: Partial<HostFacts> = { ...facts };
  delete wire.KernelVersion;
  return wire as Omit<HostFacts, 'KernelVersion'>;
}
