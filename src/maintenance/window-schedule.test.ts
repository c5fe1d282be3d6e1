import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isTimeZone, nextWindowRun, parseWindowSchedule, type WindowTiming } from './window-schedule.js';

const timing = (schedule: string, extra: Partial<WindowTiming> = {}): WindowTiming => ({
  schedule,
  timezone: undefined,
  offsetDays: undefined,
  startDate: undefined,
  endDate: undefined,
  createdAt: new Date('2026-01-01T00:00:00Z'),
  ...extra,
});
const next = (t: WindowTiming, after: string): string | undefined =>
  nextWindowRun(t, new Date(after))?.toISOString();

describe('maintenance window schedules', () => {
  it('reads cron in the window time zone, across daylight saving changes', () => {
    const sunday2am = timing('cron(0 2 ? * SUN *)', { timezone: 'America/Los_Angeles' });
    // PST (UTC-8) in November, PDT (UTC-7) in July.
    assert.equal(next(sunday2am, '2026-11-23T00:00:00Z'), '2026-11-29T10:00:00.000Z');
    assert.equal(next(sunday2am, '2026-07-01T00:00:00Z'), '2026-07-05T09:00:00.000Z');
    // 2026-03-08 02:00 does not exist in Los Angeles: the run happens at the first instant after the gap.
    assert.equal(next(sunday2am, '2026-03-07T00:00:00Z'), '2026-03-08T10:00:00.000Z');
    assert.equal(
      next(timing('cron(30 23 ? * * *)', { timezone: 'Asia/Tokyo' }), '2026-06-01T00:00:00Z'),
      '2026-06-01T14:30:00.000Z',
    );
    assert.equal(
      next(timing('cron(0 4 ? * * *)'), '2026-06-01T04:00:00Z'),
      '2026-06-02T04:00:00.000Z',
      'strictly after',
    );
  });

  it('reads at() in the window time zone and runs it once', () => {
    const tokyo = timing('at(2026-06-02T09:00:00)', { timezone: 'Asia/Tokyo' });
    assert.equal(next(tokyo, '2026-06-01T00:00:00Z'), '2026-06-02T00:00:00.000Z');
    assert.equal(next(tokyo, '2026-06-02T00:00:00Z'), undefined);
  });

  it('counts rate periods from StartDate or creation; honours EndDate and ScheduleOffset', () => {
    const hourly = timing('rate(6 hours)', { startDate: new Date('2026-06-01T01:00:00Z') });
    assert.equal(
      next(hourly, '2026-05-01T00:00:00Z'),
      '2026-06-01T01:00:00.000Z',
      'nothing before StartDate',
    );
    assert.equal(next(hourly, '2026-06-01T02:00:00Z'), '2026-06-01T07:00:00.000Z');
    assert.equal(next(timing('rate(1 day)'), '2026-01-01T12:00:00Z'), '2026-01-02T00:00:00.000Z');
    const ending = timing('rate(1 day)', { endDate: new Date('2026-01-03T12:00:00Z') });
    assert.equal(next(ending, '2026-01-03T00:00:00Z'), undefined);
    // Second Tuesday of the month, two days later (Patch Tuesday + 2).
    const offset = timing('cron(0 3 ? * TUE#2 *)', { offsetDays: 2 });
    assert.equal(next(offset, '2026-06-01T00:00:00Z'), '2026-06-11T03:00:00.000Z');
    assert.equal(
      next(offset, '2026-06-10T00:00:00Z'),
      '2026-06-11T03:00:00.000Z',
      'the offset run is still ahead',
    );
  });

  it('refuses schedules more frequent than every 5 minutes and unknown zones', () => {
    const now = new Date('2026-06-01T00:00:00Z');
    assert.throws(() => parseWindowSchedule('rate(1 minute)', now), /5 minutes/);
    assert.throws(() => parseWindowSchedule('cron(0/2 * * * ? *)', now), /5 minutes/);
    assert.throws(() => parseWindowSchedule('cron(0 2 * * * *)', now), /'\?'/);
    assert.throws(() => parseWindowSchedule('rate(1 hours)', now), /singular/);
    parseWindowSchedule('cron(0/5 * * * ? *)', now);
    parseWindowSchedule('rate(5 minutes)', now);
    assert.equal(isTimeZone('Europe/Berlin'), true);
    assert.equal(isTimeZone('Mars/Olympus'), false);
  });
});
