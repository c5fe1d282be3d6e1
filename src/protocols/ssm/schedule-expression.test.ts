import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ScheduleExpressionError,
  nextRun,
  parseAssociationSchedule,
  parseScheduleExpression,
} from './schedule-expression.js';

const at = (iso: string): Date => new Date(iso);
const next = (expression: string, after: string): string | undefined =>
  nextRun(parseScheduleExpression(expression), at(after))?.toISOString();

describe('schedule expressions', () => {
  it('parses rate expressions with singular units for 1 only', () => {
    assert.deepEqual(parseScheduleExpression('rate(30 minutes)'), {
      kind: 'rate',
      amount: 30,
      unit: 'minute',
      ms: 1_800_000,
    });
    assert.equal(parseScheduleExpression('rate(1 hour)').kind, 'rate');
    for (const bad of [
      'rate(1 hours)',
      'rate(5 hour)',
      'rate(0 minutes)',
      'rate(2 weeks)',
      'rate(minutes)',
    ]) {
      assert.throws(() => parseScheduleExpression(bad), ScheduleExpressionError, bad);
    }
  });

  it('parses 6- and 7-field crons and requires exactly one ?', () => {
    assert.equal(parseScheduleExpression('cron(0 2 ? * SUN *)').kind, 'cron');
    assert.equal(parseScheduleExpression('cron(0 0 2 ? * SUN *)').kind, 'cron');
    for (const bad of [
      'cron(0 2 * * SUN *)',
      'cron(0 2 ? * ? *)',
      'cron(0 2 ? *)',
      'cron(60 2 ? * SUN *)',
      'cron(0 24 ? * * *)',
      'cron(0 2 ? * FOO *)',
      'daily',
    ]) {
      assert.throws(() => parseScheduleExpression(bad), ScheduleExpressionError, bad);
    }
  });

  it('computes the next cron run: weekly, daily, nth and last weekday, last day of month', () => {
    // 2024-05-01 is a Wednesday.
    assert.equal(next('cron(0 2 ? * SUN *)', '2024-05-01T00:00:00Z'), '2024-05-05T02:00:00.000Z');
    assert.equal(next('cron(0 2 ? * SUN *)', '2024-05-05T02:00:00Z'), '2024-05-12T02:00:00.000Z');
    assert.equal(next('cron(30 23 * * ? *)', '2024-05-01T23:30:00Z'), '2024-05-02T23:30:00.000Z');
    assert.equal(next('cron(0 9 ? * TUE#3 *)', '2024-05-01T00:00:00Z'), '2024-05-21T09:00:00.000Z');
    assert.equal(next('cron(0 9 ? * 6L *)', '2024-05-01T00:00:00Z'), '2024-05-31T09:00:00.000Z');
    assert.equal(next('cron(0 0 L * ? *)', '2024-02-01T00:00:00Z'), '2024-02-29T00:00:00.000Z');
    assert.equal(next('cron(0/30 * * * ? *)', '2024-05-01T00:10:00Z'), '2024-05-01T00:30:00.000Z');
    assert.equal(next('cron(0 12 1 * ? 2020)', '2024-05-01T00:00:00Z'), undefined);
  });

  it('computes rate runs from the anchor and at() once', () => {
    const schedule = parseScheduleExpression('rate(30 minutes)');
    assert.equal(
      nextRun(schedule, at('2024-05-01T00:45:00Z'), at('2024-05-01T00:00:00Z'))?.toISOString(),
      '2024-05-01T01:00:00.000Z',
    );
    assert.equal(next('at(2030-01-02T03:04:05)', '2024-05-01T00:00:00Z'), '2030-01-02T03:04:05.000Z');
    assert.equal(next('at(2020-01-02T03:04:05)', '2024-05-01T00:00:00Z'), undefined);
    assert.throws(() => parseScheduleExpression('at(2024-02-30T00:00:00)'), ScheduleExpressionError);
  });

  it('applies the association limits', () => {
    assert.equal(parseAssociationSchedule('rate(30 minutes)').kind, 'rate');
    assert.equal(parseAssociationSchedule('cron(0/30 * * * ? *)').kind, 'cron');
    assert.equal(parseAssociationSchedule('cron(0 2 ? * SUN *)').kind, 'cron');
    for (const bad of [
      'rate(29 minutes)',
      'rate(31 days)',
      'cron(0/15 * * * ? *)',
      'cron(0 2 ? 1 SUN *)',
      'cron(5 0 2 ? * SUN *)',
    ]) {
      assert.throws(() => parseAssociationSchedule(bad), ScheduleExpressionError, bad);
    }
  });
});
