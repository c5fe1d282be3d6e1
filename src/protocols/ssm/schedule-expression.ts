/**
 * SSM schedule expressions (`cron(…)`, `rate(…)`, `at(…)`, ssm-api.md §10.5): parsing, the association limits and
 * the next run time. All times are UTC.
 */

/** A parsed schedule expression. */
export type ScheduleExpression =
  | { kind: 'rate'; amount: number; unit: 'minute' | 'hour' | 'day'; ms: number }
  | { kind: 'at'; at: Date }
  | { kind: 'cron'; cron: CronSchedule };

/** A Quartz-style cron: allowed values per field plus the day-of-month / day-of-week special forms. */
export interface CronSchedule {
  seconds: ReadonlySet<number>;
  minutes: ReadonlySet<number>;
  hours: ReadonlySet<number>;
  months: ReadonlySet<number>;
  years: ReadonlySet<number>;
  /** Exactly one of `dayOfMonth` / `dayOfWeek` is restricted; the other is `?`. */
  day: DayRule;
  /** The field texts, for the association limits. */
  fields: { month: string; seconds: string };
}

type DayRule =
  | {
      field: 'dayOfMonth';
      days: ReadonlySet<number>;
      last: boolean;
      lastOffset: number;
      nearestWeekday: boolean;
    }
  | { field: 'dayOfWeek'; weekdays: ReadonlySet<number>; nth: number; last: boolean };

/** Why an expression was refused (the caller maps it to InvalidSchedule / ValidationException). */
export class ScheduleExpressionError extends Error {
  override readonly name = 'ScheduleExpressionError';
}

const fail = (message: string): never => {
  throw new ScheduleExpressionError(message);
};

const monthNames = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const dayNames = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const minuteMs = 60_000;
const unitMs = { minute: minuteMs, hour: 60 * minuteMs, day: 24 * 60 * minuteMs } as const;

/** Parses any SSM schedule expression; throws ScheduleExpressionError naming the problem. */
export function parseScheduleExpression(text: string): ScheduleExpression {
  const match = /^(cron|rate|at)\((.*)\)$/s.exec(text.trim());
  if (match === null) return fail(`Schedule expression ${text} must be cron(...), rate(...) or at(...)`);
  const [, kind = '', body = ''] = match;
  if (kind === 'rate') return parseRate(body.trim());
  if (kind === 'at') return parseAt(body.trim());
  return { kind: 'cron', cron: parseCron(body.trim()) };
}

function parseRate(body: string): ScheduleExpression {
  const match = /^([1-9][0-9]*) (minute|minutes|hour|hours|day|days)$/.exec(body);
  if (match === null) return fail(`rate(${body}) must be rate(<positive number> <minute(s)|hour(s)|day(s)>)`);
  const amount = Number(match[1]);
  const word = match[2] ?? '';
  const plural = word.endsWith('s');
  if ((amount === 1) === plural) {
    return fail(`rate(${body}): use the singular unit for 1 and the plural otherwise`);
  }
  const unit = (plural ? word.slice(0, -1) : word) as 'minute' | 'hour' | 'day';
  return { kind: 'rate', amount, unit, ms: amount * unitMs[unit] };
}

function parseAt(body: string): ScheduleExpression {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(body);
  if (match === null) return fail(`at(${body}) must be at(yyyy-mm-ddThh:mm:ss)`);
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const at = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  if (at.getUTCMonth() !== month - 1 || at.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    return fail(`at(${body}) is not a valid date and time`);
  }
  return { kind: 'at', at };
}

function parseCron(body: string): CronSchedule {
  const parts = body.split(/\s+/);
  if (parts.length !== 6 && parts.length !== 7) {
    return fail(
      `cron(${body}) must have 6 fields (minutes hours day-of-month month day-of-week year) or 7 with seconds`,
    );
  }
  const [secondsText, minutesText, hoursText, domText, monthText, dowText, yearText] = (
    parts.length === 6 ? ['0', ...parts] : parts
  ) as [string, string, string, string, string, string, string];
  const domAny = domText === '?';
  const dowAny = dowText === '?';
  if (domAny === dowAny) {
    return fail(`cron(${body}): exactly one of day-of-month and day-of-week must be '?'`);
  }
  return {
    seconds: parseField(secondsText, 'seconds', 0, 59),
    minutes: parseField(minutesText, 'minutes', 0, 59),
    hours: parseField(hoursText, 'hours', 0, 23),
    months: parseField(monthText, 'month', 1, 12, monthNames),
    years: parseField(yearText, 'year', 1970, 2199),
    day: domAny ? parseDayOfWeek(dowText) : parseDayOfMonth(domText),
    fields: { month: monthText, seconds: secondsText },
  };
}

function parseValue(
  text: string,
  field: string,
  min: number,
  max: number,
  names?: readonly string[],
): number {
  const named = names?.indexOf(text.toUpperCase()) ?? -1;
  const value = named >= 0 ? named + min : /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(value) || value < min || value > max) {
    return fail(`cron ${field} value '${text}' must be between ${min} and ${max}`);
  }
  return value;
}

/** `*`, `a`, `a-b`, `a/n`, `a-b/n`, `*\/n`, comma lists of those. */
function parseField(
  text: string,
  field: string,
  min: number,
  max: number,
  names?: readonly string[],
): ReadonlySet<number> {
  const values = new Set<number>();
  for (const item of text.split(',')) {
    const [range = '', stepText] = item.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (stepText !== undefined && !/^[1-9]\d*$/.test(stepText)) {
      return fail(`cron ${field} step in '${item}' must be a positive number`);
    }
    let from: number;
    let to: number;
    if (range === '*') {
      from = min;
      to = max;
    } else if (range.includes('-')) {
      const [a = '', b = ''] = range.split('-');
      from = parseValue(a, field, min, max, names);
      to = parseValue(b, field, min, max, names);
      if (to < from) return fail(`cron ${field} range '${range}' is reversed`);
    } else {
      from = parseValue(range, field, min, max, names);
      to = stepText === undefined ? from : max;
    }
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

function parseDayOfMonth(text: string): DayRule {
  if (text === 'L' || /^L-\d+$/.test(text)) {
    return {
      field: 'dayOfMonth',
      days: new Set(),
      last: true,
      lastOffset: Number(text.slice(2) || 0),
      nearestWeekday: false,
    };
  }
  if (text === 'LW')
    return { field: 'dayOfMonth', days: new Set(), last: true, lastOffset: 0, nearestWeekday: true };
  const weekday = /^(\d+)W$/.exec(text);
  if (weekday !== null) {
    const day = parseValue(weekday[1] ?? '', 'day-of-month', 1, 31);
    return { field: 'dayOfMonth', days: new Set([day]), last: false, lastOffset: 0, nearestWeekday: true };
  }
  return {
    field: 'dayOfMonth',
    days: parseField(text, 'day-of-month', 1, 31),
    last: false,
    lastOffset: 0,
    nearestWeekday: false,
  };
}

function parseDayOfWeek(text: string): DayRule {
  const nth = /^([A-Za-z]{3}|\d)#([1-5])$/.exec(text);
  if (nth !== null) {
    const day = parseValue(nth[1] ?? '', 'day-of-week', 1, 7, dayNames);
    return { field: 'dayOfWeek', weekdays: new Set([day]), nth: Number(nth[2]), last: false };
  }
  if (text === 'L') return { field: 'dayOfWeek', weekdays: new Set([7]), nth: 0, last: false };
  const last = /^([A-Za-z]{3}|\d)L$/.exec(text);
  if (last !== null) {
    const day = parseValue(last[1] ?? '', 'day-of-week', 1, 7, dayNames);
    return { field: 'dayOfWeek', weekdays: new Set([day]), nth: 0, last: true };
  }
  return {
    field: 'dayOfWeek',
    weekdays: parseField(text, 'day-of-week', 1, 7, dayNames),
    nth: 0,
    last: false,
  };
}

const daysInMonth = (year: number, month0: number): number =>
  new Date(Date.UTC(year, month0 + 1, 0)).getUTCDate();

function dayMatches(rule: DayRule, year: number, month0: number, day: number): boolean {
  const length = daysInMonth(year, month0);
  const weekday = new Date(Date.UTC(year, month0, day)).getUTCDay() + 1; // 1 = SUN
  if (rule.field === 'dayOfWeek') {
    if (!rule.weekdays.has(weekday)) return false;
    if (rule.nth > 0) return Math.ceil(day / 7) === rule.nth;
    if (rule.last) return day + 7 > length;
    return true;
  }
  if (rule.nearestWeekday) {
    const target = rule.last ? length : ([...rule.days][0] ?? 1);
    return nearestWeekday(year, month0, Math.min(target, length)) === day;
  }
  if (rule.last) return day === length - rule.lastOffset;
  return rule.days.has(day);
}

/** Quartz `nW`: the weekday nearest day n, never leaving the month. */
function nearestWeekday(year: number, month0: number, day: number): number {
  const weekday = new Date(Date.UTC(year, month0, day)).getUTCDay();
  if (weekday === 6) return day === 1 ? day + 2 : day - 1;
  if (weekday === 0) return day === daysInMonth(year, month0) ? day - 2 : day + 1;
  return day;
}

const sorted = (set: ReadonlySet<number>): number[] => [...set].sort((a, b) => a - b);

/** The first time strictly after `after` that `cron` fires, or undefined when it never fires again. */
export function nextCronRun(cron: CronSchedule, after: Date): Date | undefined {
  const seconds = sorted(cron.seconds);
  const minutes = sorted(cron.minutes);
  const hours = sorted(cron.hours);
  const start = new Date(Math.floor(after.getTime() / 1000) * 1000 + 1000);
  const lastYear = Math.max(...cron.years);
  for (
    let dayStart = Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate());
    ;
    dayStart += unitMs.day
  ) {
    const date = new Date(dayStart);
    const year = date.getUTCFullYear();
    if (year > lastYear) return undefined;
    if (!cron.years.has(year) || !cron.months.has(date.getUTCMonth() + 1)) continue;
    if (!dayMatches(cron.day, year, date.getUTCMonth(), date.getUTCDate())) continue;
    for (const hour of hours) {
      for (const minute of minutes) {
        for (const second of seconds) {
          const candidate = dayStart + ((hour * 60 + minute) * 60 + second) * 1000;
          if (candidate >= start.getTime()) return new Date(candidate);
        }
      }
    }
  }
}

/** The next run of `schedule` strictly after `after`; rate schedules count periods from `anchor`. */
export function nextRun(schedule: ScheduleExpression, after: Date, anchor: Date = after): Date | undefined {
  switch (schedule.kind) {
    case 'at':
      return schedule.at.getTime() > after.getTime() ? schedule.at : undefined;
    case 'rate': {
      const elapsed = after.getTime() - anchor.getTime();
      const periods = elapsed < 0 ? 0 : Math.floor(elapsed / schedule.ms) + 1;
      return new Date(anchor.getTime() + periods * schedule.ms);
    }
    case 'cron':
      return nextCronRun(schedule.cron, after);
  }
}

/**
 * Parses an association's schedule and applies the State Manager limits (§10.5, §11): rate from 30 minutes to
 * under 31 days; cron with seconds 0, month `*`, no two runs closer than 30 minutes.
 */
export function parseAssociationSchedule(text: string, now: Date = new Date()): ScheduleExpression {
  const schedule = parseScheduleExpression(text);
  if (schedule.kind === 'rate' && (schedule.ms < 30 * minuteMs || schedule.ms >= 31 * unitMs.day)) {
    fail(`${text}: association rates must be at least 30 minutes and less than 31 days`);
  }
  if (schedule.kind === 'cron') {
    if (schedule.cron.fields.seconds !== '0') fail(`${text}: associations only allow 0 in the seconds field`);
    if (schedule.cron.fields.month !== '*') fail(`${text}: associations don't support specifying months`);
    if (shortestGap(schedule.cron, now) < 30 * minuteMs) {
      fail(`${text}: associations can't run more often than every 30 minutes`);
    }
  }
  return schedule;
}

/** The shortest interval between consecutive runs over the next few runs (enough for every supported pattern). */
function shortestGap(cron: CronSchedule, from: Date, runs = 200): number {
  let shortest = Number.POSITIVE_INFINITY;
  let previous = nextCronRun(cron, from);
  for (let i = 0; i < runs && previous !== undefined; i += 1) {
    const next = nextCronRun(cron, previous);
    if (next === undefined) break;
    shortest = Math.min(shortest, next.getTime() - previous.getTime());
    previous = next;
  }
  return shortest;
}
