/**
 * Bounds what callers who never authenticated can make the trail store: per source address and time window,
 * the first few failures are recorded one by one and the rest only counted, into one summary record written
 * once the window has closed.
 */
import { randomUUID } from 'node:crypto';
import type { AuditEntry } from './audit-model.js';

/** What a closed window of counted (not individually recorded) failures from one address amounts to. */
export interface FailureSummary {
  sourceIp: string;
  windowStart: Date;
  windowEnd: Date;
  /** Failures counted, not recorded one by one. */
  count: number;
  errorCodes: Record<string, number>;
  eventNames: Record<string, number>;
}

/** How the aggregation is bounded. */
export interface FailureAggregationLimits {
  windowMs: number;
  /** Failures recorded individually per address and window. */
  recordedPerWindow: number;
  /** Addresses tracked at once; beyond that the oldest window is closed early. */
  maxSources: number;
}

/** One minute, ten individual records per address, 10,000 addresses tracked. */
export const defaultFailureAggregationLimits: FailureAggregationLimits = {
  windowMs: 60_000,
  recordedPerWindow: 10,
  maxSources: 10_000,
};

const maxDistinctTallies = 10;

interface FailureWindow {
  sourceIp: string;
  start: number;
  recorded: number;
  count: number;
  /** Maps, not objects: the names come from the caller (`constructor`, `__proto__` are names like any other). */
  errorCodes: Map<string, number>;
  eventNames: Map<string, number>;
}

function tally(counts: Map<string, number>, key: string): void {
  const name = counts.has(key) || counts.size < maxDistinctTallies ? key : '(other)';
  counts.set(name, (counts.get(name) ?? 0) + 1);
}

/** Per-process aggregation of unauthenticated failures (each node bounds its own share). */
export class UnauthenticatedFailureAggregator {
  /** Open windows in the order they opened (a Map keeps insertion order). */
  private readonly open = new Map<string, FailureWindow>();
  private readonly closed: FailureSummary[] = [];

  constructor(private readonly limits: FailureAggregationLimits = defaultFailureAggregationLimits) {}

  /** Whether this failure is to be recorded on its own; if not, it has been counted for a summary. */
  admit(sourceIp: string, now: Date, failure: { errorCode: string; eventName: string }): boolean {
    let window = this.open.get(sourceIp);
    if (window !== undefined && now.getTime() - window.start >= this.limits.windowMs) {
      this.close(window);
      window = undefined;
    }
    if (window === undefined) {
      if (this.open.size >= this.limits.maxSources) {
        const oldest = this.open.values().next().value;
        if (oldest !== undefined) this.close(oldest);
      }
      window = {
        sourceIp,
        start: now.getTime(),
        recorded: 0,
        count: 0,
        errorCodes: new Map(),
        eventNames: new Map(),
      };
      this.open.set(sourceIp, window);
    }
    if (window.recorded < this.limits.recordedPerWindow) {
      window.recorded += 1;
      return true;
    }
    window.count += 1;
    tally(window.errorCodes, failure.errorCode);
    tally(window.eventNames, failure.eventName);
    return false;
  }

  /** The summaries of every window closed by `now` that counted failures; each is handed out once. */
  takeClosed(now: Date): FailureSummary[] {
    for (const window of this.open.values()) {
      if (now.getTime() - window.start < this.limits.windowMs) break;
      this.close(window);
    }
    return this.closed.splice(0, this.closed.length);
  }

  private close(window: FailureWindow): void {
    this.open.delete(window.sourceIp);
    if (window.count === 0) return;
    this.closed.push({
      sourceIp: window.sourceIp,
      windowStart: new Date(window.start),
      windowEnd: new Date(window.start + this.limits.windowMs),
      count: window.count,
      errorCodes: Object.fromEntries(window.errorCodes),
      eventNames: Object.fromEntries(window.eventNames),
    });
  }
}

/** The audit record that stands for a window's counted failures. */
export function failureSummaryEntry(summary: FailureSummary): AuditEntry {
  const topCode = Object.entries(summary.errorCodes).sort((a, b) => b[1] - a[1])[0]?.[0];
  return {
    eventId: randomUUID(),
    requestId: randomUUID(),
    eventTime: summary.windowEnd,
    eventSource: 'audit.bulwark.local',
    eventName: 'UnauthenticatedFailuresAggregated',
    region: undefined,
    sourceIp: summary.sourceIp,
    userAgent: '',
    identity: {
      type: 'Unknown',
      principalId: undefined,
      arn: undefined,
      accountId: undefined,
      accessKeyId: undefined,
      userName: undefined,
    },
    readOnly: false,
    errorCode: topCode ?? 'AccessDenied',
    errorMessage: `${summary.count} further unauthenticated failed call(s) from ${summary.sourceIp} between ${summary.windowStart.toISOString()} and ${summary.windowEnd.toISOString()} were counted, not recorded one by one`,
    requestParameters: {
      count: summary.count,
      windowStart: summary.windowStart.toISOString(),
      windowEnd: summary.windowEnd.toISOString(),
      errorCodes: summary.errorCodes,
      eventNames: summary.eventNames,
    },
    responseElements: undefined,
    resource: undefined,
  };
}
