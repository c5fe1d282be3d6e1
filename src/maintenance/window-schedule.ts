/**
 * When a maintenance window runs (ssm-api.md §10.3, §10.5): its cron, rate or at expression read in the
 * window's ScheduleTimezone, shifted by ScheduleOffset days, bounded by StartDate and EndDate.
 */
import {
  nextRun,
  parseScheduleExpression,
  ScheduleExpressionError,
  type ScheduleExpression,
} from '../protocols/ssm/index.js';
import type { MaintenanceWindow } from './window-model.js';

/** What decides a window's run times. */
export interface WindowTiming {
  schedule: string;
  /** IANA zone; UTC when undefined. */
  timezone: string | undefined;
  /** Days after each cron time (cron only). */
  offsetDays: number | undefined;
  startDate: Date | undefined;
  endDate: Date | undefined;
  /** When the window was created: rate schedules count their periods from StartDate, else from here. */
  createdAt: Date;
}

const dayMs = 86_400_000;
/** Windows may not fire more often than this (§10.5). */
const minimumIntervalMs = 5 * 60_000;

/** Whether `zone` is an IANA time zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC (ms) at the instant `utcMs`. */
function offsetAt(zone: string, utcMs: number): number {
  let format = formatters.get(zone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, format);
  }
  const part = (parts: Intl.DateTimeFormatPart[], type: string): number =>
    Number(parts.find((p) => p.type === type)?.value ?? 0);
  const parts = format.formatToParts(new Date(utcMs));
  const wall = Date.UTC(
    part(parts, 'year'),
    part(parts, 'month') - 1,
    part(parts, 'day'),
    part(parts, 'hour'),
    part(parts, 'minute'),
    part(parts, 'second'),
  );
  return wall - Math.floor(utcMs / 1000) * 1000;
}

/** The wall-clock time in `zone` at `utcMs`, written as if it were UTC. */
const toWall = (zone: string, utcMs: number): number => utcMs + offsetAt(zone, utcMs);

/**
 * The instant whose wall-clock time in `zone` is `wallMs`: in a DST fold the first of the two, in a DST gap the
 * instant the clocks jump to (02:30 that never happens runs at 03:00 summer time).
 */
function fromWall(zone: string, wallMs: number): number {
  const halfDay = 43_200_000;
  const candidates = [
    wallMs - offsetAt(zone, wallMs - halfDay),
    wallMs - offsetAt(zone, wallMs + halfDay),
  ].sort((a, b) => a - b);
  const exact = candidates.find((instant) => toWall(zone, instant) === wallMs);
  return exact ?? Math.max(...candidates);
}

/**
 * Parses a window schedule; throws ScheduleExpressionError naming the problem (the caller answers
 * ValidationException). Rates and crons may not fire more often than every 5 minutes.
 */
export function parseWindowSchedule(text: string, now: Date): ScheduleExpression {
  const schedule = parseScheduleExpression(text);
  if (schedule.kind === 'rate' && schedule.ms < minimumIntervalMs)
    throw new ScheduleExpressionError(
      `${text}: maintenance windows can't run more often than every 5 minutes`,
    );
  if (schedule.kind === 'cron') {
    let previous = nextRun(schedule, now);
    for (let i = 0; i < 50 && previous !== undefined; i += 1) {
      const next = nextRun(schedule, previous);
      if (next === undefined) break;
      if (next.getTime() - previous.getTime() < minimumIntervalMs)
        throw new ScheduleExpressionError(
          `${text}: maintenance windows can't run more often than every 5 minutes`,
        );
      previous = next;
    }
  }
  return schedule;
}

/** The first run of the window strictly after `after`, or undefined when it never runs again. */
export function nextWindowRun(timing: WindowTiming, after: Date): Date | undefined {
  const schedule = parseScheduleExpression(timing.schedule);
  const zone = timing.timezone ?? 'UTC';
  const floor = Math.max(after.getTime(), (timing.startDate?.getTime() ?? 0) - 1);
  let candidate: number | undefined;
  switch (schedule.kind) {
    case 'rate': {
      const anchor = timing.startDate ?? timing.createdAt;
      candidate = nextRun(schedule, new Date(floor), anchor)?.getTime();
      break;
    }
    case 'at': {
      const at = fromWall(zone, schedule.at.getTime());
      candidate = at > floor ? at : undefined;
      break;
    }
    case 'cron': {
      const offset = (timing.offsetDays ?? 0) * dayMs;
      let wall = toWall(zone, floor - offset);
      for (let i = 0; i < 3; i += 1) {
        const next = nextRun(schedule, new Date(wall));
        if (next === undefined) return undefined;
        const at = fromWall(zone, next.getTime()) + offset;
        if (at > floor) {
          candidate = at;
          break;
        }
        wall = next.getTime(); // a DST fold mapped it back before `after`: look further
      }
      break;
    }
  }
  if (candidate === undefined) return undefined;
  if (timing.endDate !== undefined && candidate > timing.endDate.getTime()) return undefined;
  return new Date(candidate);
}

/** What decides `window`'s run times. */
export const timingOf = (window: MaintenanceWindow): WindowTiming => ({
  schedule: window.schedule,
  timezone: window.scheduleTimezone,
  offsetDays: window.scheduleOffset,
  startDate: window.startDate,
  endDate: window.endDate,
  createdAt: window.createdAt,
});

/** The next time the scheduler should start `window` after `now`, or undefined. */
export const nextExecutionOf = (window: MaintenanceWindow, now: Date): Date | undefined =>
  window.enabled ? nextWindowRun(timingOf(window), now) : undefined;
