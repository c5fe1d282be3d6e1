import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  createProgressDisplay,
  formatProgressBar,
  formatProgressLine,
  progressTotal,
  type ImportProgress,
} from './progress.js';

const progress = (over: Partial<ImportProgress>): ImportProgress => ({
  sent: 0,
  failed: 0,
  read: 0,
  readDone: false,
  readFraction: undefined,
  ...over,
});

describe('progress text', () => {
  it('estimates the total from the bytes read until reading is done', () => {
    assert.deepEqual(progressTotal(progress({ read: 500, readFraction: 0.25 })), {
      total: 2000,
      estimated: true,
    });
    assert.deepEqual(progressTotal(progress({ read: 1900, readDone: true, readFraction: 1 })), {
      total: 1900,
      estimated: false,
    });
    assert.equal(progressTotal(progress({ read: 10 })), undefined);
  });

  it('plain lines carry sent/total, percent, failures and rate', () => {
    assert.equal(
      formatProgressLine(progress({ sent: 1200, read: 1300, readFraction: 0.5, failed: 3 }), 2),
      'import: 1,200/~2,600 findings sent (46%), 3 failed, 600/s',
    );
    assert.equal(
      formatProgressLine(progress({ sent: 10, read: 20 }), 0),
      'import: 10 findings sent, 0 failed, -/s',
    );
  });

  it('the bar fits the terminal', () => {
    const line = formatProgressBar(progress({ sent: 50, read: 100, readDone: true }), 1, 80);
    assert.match(line, /^\[#+-+\] {2}50% 50\/100 findings {2}50\/s$/);
    assert.ok(line.length < 80);
    assert.ok(formatProgressBar(progress({ sent: 50, read: 100, readDone: true }), 1, 30).length < 30);
  });
});

describe('createProgressDisplay', () => {
  it('redraws one line on a terminal, throttled, and clears it at the end', () => {
    let out = '';
    let clock = 0;
    const display = createProgressDisplay({
      stream: { write: (s: string) => ((out += s), true), columns: 80 },
      tty: true,
      now: () => clock,
    });
    clock = 50;
    display.update(progress({ sent: 1, read: 2 }));
    assert.equal(out, '', 'throttled');
    clock = 150;
    display.update(progress({ sent: 2, read: 2, readDone: true }));
    assert.ok(out.startsWith('\r[') && out.endsWith('\x1b[K'), JSON.stringify(out));
    assert.match(out, /\] 100% 2\/2 findings {2}13\/s/);
    display.finish();
    assert.ok(out.endsWith('\r\x1b[K'));
    assert.ok(!out.includes('\n'));
  });

  it('writes a plain line every few seconds otherwise', () => {
    let out = '';
    let clock = 0;
    const display = createProgressDisplay({
      stream: { write: (s: string) => ((out += s), true) },
      tty: false,
      now: () => clock,
      lineMs: 1000,
    });
    for (clock = 0; clock <= 3000; clock += 250) display.update(progress({ sent: clock, read: clock }));
    assert.equal(out.split('\n').filter(Boolean).length, 3);
    display.finish();
    assert.ok(out.endsWith('\n'));
  });
});
