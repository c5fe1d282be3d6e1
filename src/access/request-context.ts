/** The condition keys of one request: the global `aws:*` keys Bulwark supplies, from the transport and the caller. */
import { parseIpAddress } from './condition-operators.js';
import type { Actor } from '../kernel/index.js';

/** Condition key → value(s); keys are matched case-insensitively, a missing key is simply absent. */
export type ConditionContext = Readonly<Record<string, string | readonly string[] | undefined>>;

/** What the transport knows about a request. */
export interface RequestFacts {
  sourceIp: string;
  /** The Region the request is signed for. */
  region: string;
  now: Date;
  userAgent: string;
  /** Whether the request arrived over TLS (Bulwark terminates plain HTTP today, so false). */
  secureTransport: boolean;
  /** Service-specific keys an operation supplies, e.g. `securityhub:TargetAccount`. */
  serviceKeys?: ConditionContext;
}

/** The IPv4 form of an IPv4-mapped IPv6 socket address (`::ffff:127.0.0.1` → `127.0.0.1`). */
function canonicalIp(address: string): string {
  const bytes = parseIpAddress(address);
  return bytes !== undefined && bytes.length === 4 && address.includes(':') ? bytes.join('.') : address;
}

/** The request keys: aws:SourceIp, aws:RequestedRegion, aws:CurrentTime, aws:EpochTime, aws:SecureTransport, aws:UserAgent. */
export function requestContext(facts: RequestFacts): ConditionContext {
  return {
    ...facts.serviceKeys,
    'aws:SourceIp': facts.sourceIp === '' ? undefined : canonicalIp(facts.sourceIp),
    'aws:RequestedRegion': facts.region === '' ? undefined : facts.region,
    'aws:CurrentTime': facts.now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'aws:EpochTime': String(Math.floor(facts.now.getTime() / 1000)),
    'aws:SecureTransport': String(facts.secureTransport),
    'aws:UserAgent': facts.userAgent === '' ? undefined : facts.userAgent,
  };
}

const principalTypes = { user: 'User', role: 'AssumedRole', root: 'Account' } as const;

/** The caller keys: aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType, aws:username (users), aws:userid. */
export function principalContext(actor: Actor): ConditionContext {
  return {
    'aws:PrincipalArn': actor.principalArn,
    'aws:PrincipalAccount': actor.accountId,
    'aws:PrincipalType': principalTypes[actor.principalType],
    'aws:username': actor.principalType === 'user' ? actor.principalName : undefined,
    'aws:userid':
      actor.principalType === 'role'
        ? `${actor.principalId}:${actor.accessKeyId}`
        : actor.principalType === 'root'
          ? actor.accountId
          : actor.principalId,
  };
}
