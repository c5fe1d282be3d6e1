import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { compareDebianVersions } from './debian-version.js';
import { compareRpmEvr, compareRpmVersions } from './rpm-version.js';

const hasDpkg = (() => {
  try {
    execFileSync('dpkg', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const debianVersions = [
  '0',
  '1',
  '1.0',
  '1.0-1',
  '1.0-1+b1',
  '1.0-1~bpo1',
  '1.0~rc1',
  '1.0~rc1-1',
  '1.0~~',
  '1.0~',
  '1.0a',
  '1.0+dfsg',
  '1.0.1',
  '1:0.9',
  '1:1.0',
  '2:0.1',
  '1.00',
  '1.000-1',
  '1.01',
  '1.1',
  '1.10',
  '1.9',
  '9.2p1-2+deb12u6',
  '1:9.2p1-2+deb12u9',
  '1:9.2p1-2+deb12u10',
  '3.0.19-1~deb12u2',
  '3.0.22-1~deb12u2',
  '2.6.1',
  '2.6.2',
  '20230311+deb12u1',
  '20250419~deb12u2',
  '1.6-2.1+deb12u1',
  '1.6-2.1+deb12u3',
  '2.1.12-stable-8',
  '2.1.12-stable-8+deb12u1',
  'a',
  'A',
  'a~',
  'a+',
  'a.',
  '1-1-1',
  '1-1',
  '0:1.0',
  '1.0-0',

  '252.38-1~deb12u1',
  '252.39-1~deb12u2',
  '5.2.15-2+b8',
  '5.2.15-2+b13',
];

describe('compareDebianVersions', () => {
  it(
    'orders like dpkg --compare-versions on every pair of a varied set',
    { skip: hasDpkg ? false : 'dpkg is not installed' },
    () => {
      const pairs: [string, string][] = [];
      for (const a of debianVersions) for (const b of debianVersions) if (a < b) pairs.push([a, b]);
      // One shell runs every comparison (a dpkg process per pair from node would be slow).
      const script = pairs
        .map(
          ([a, b]) =>
            `dpkg --compare-versions '${a}' lt '${b}' && echo -1 || { dpkg --compare-versions '${a}' eq '${b}' && echo 0 || echo 1; }`,
        )
        .join('\n');
      const answers = execFileSync('bash', ['-s'], { input: script, encoding: 'utf8' })
        .trim()
        .split('\n')
        .map(Number);
      assert.equal(answers.length, pairs.length);
      let checked = 0;
      pairs.forEach(([a, b], index) => {
        const expected = answers[index];
        assert.equal(compareDebianVersions(a, b), expected, `${a} vs ${b}`);
        assert.equal(compareDebianVersions(b, a), expected === 0 ? 0 : -(expected ?? 0), `${b} vs ${a}`);
        checked += 1;
      });
      assert.ok(checked > 1000);
    },
  );

  it('knows the classic cases without dpkg', () => {
    assert.ok(compareDebianVersions('1.0~rc1', '1.0') < 0);
    assert.ok(compareDebianVersions('1:0.1', '2.0') > 0);
    assert.ok(compareDebianVersions('1.0-1+b1', '1.0-1') > 0);
    assert.equal(compareDebianVersions('0:1.0', '1.0'), 0);
    assert.equal(compareDebianVersions('1.00', '1.0'), 0);
    assert.ok(compareDebianVersions('1:9.2p1-2+deb12u10', '1:9.2p1-2+deb12u9') > 0);
  });
});

describe('compareRpmVersions (rpmvercmp)', () => {
  // Vectors from rpm's own test suite (tests/rpmvercmp.at).
  const vectors: [string, string, number][] = [
    ['1.0', '1.0', 0],
    ['1.0', '2.0', -1],
    ['2.0', '1.0', 1],
    ['2.0.1', '2.0.1', 0],
    ['2.0', '2.0.1', -1],
    ['2.0.1', '2.0', 1],
    ['2.0.1a', '2.0.1a', 0],
    ['2.0.1a', '2.0.1', 1],
    ['2.0.1', '2.0.1a', -1],
    ['5.5p1', '5.5p1', 0],
    ['5.5p1', '5.5p2', -1],
    ['5.5p2', '5.5p1', 1],
    ['5.5p10', '5.5p10', 0],
    ['5.5p1', '5.5p10', -1],
    ['5.5p10', '5.5p1', 1],
    ['10xyz', '10.1xyz', -1],
    ['10.1xyz', '10xyz', 1],
    ['xyz10', 'xyz10', 0],
    ['xyz10', 'xyz10.1', -1],
    ['xyz10.1', 'xyz10', 1],
    ['xyz.4', 'xyz.4', 0],
    ['xyz.4', '8', -1],
    ['8', 'xyz.4', 1],
    ['xyz.4', '2', -1],
    ['2', 'xyz.4', 1],
    ['5.5p2', '5.6p1', -1],
    ['5.6p1', '5.5p2', 1],
    ['5.6p1', '6.5p1', -1],
    ['6.5p1', '5.6p1', 1],
    ['6.0.rc1', '6.0', 1],
    ['6.0', '6.0.rc1', -1],
    ['10b2', '10a1', 1],
    ['10a2', '10b2', -1],
    ['1.0aa', '1.0aa', 0],
    ['1.0a', '1.0aa', -1],
    ['1.0aa', '1.0a', 1],
    ['10.0001', '10.0001', 0],
    ['10.0001', '10.1', 0],
    ['10.1', '10.0001', 0],
    ['10.0001', '10.0039', -1],
    ['10.0039', '10.0001', 1],
    ['4.999.9', '5.0', -1],
    ['5.0', '4.999.9', 1],
    ['20101121', '20101121', 0],
    ['20101121', '20101122', -1],
    ['20101122', '20101121', 1],
    ['2_0', '2_0', 0],
    ['2.0', '2_0', 0],
    ['2_0', '2.0', 0],
    ['a', 'a', 0],
    ['a+', 'a+', 0],
    ['a+', 'a_', 0],
    ['a_', 'a+', 0],
    ['+a', '+a', 0],
    ['+a', '_a', 0],
    ['_a', '+a', 0],
    ['+_', '+_', 0],
    ['_+', '+_', 0],
    ['_+', '_+', 0],
    ['+', '_', 0],
    ['_', '+', 0],
    ['1.0~rc1', '1.0~rc1', 0],
    ['1.0~rc1', '1.0', -1],
    ['1.0', '1.0~rc1', 1],
    ['1.0~rc1', '1.0~rc2', -1],
    ['1.0~rc2', '1.0~rc1', 1],
    ['1.0~rc1~git123', '1.0~rc1~git123', 0],
    ['1.0~rc1~git123', '1.0~rc1', -1],
    ['1.0~rc1', '1.0~rc1~git123', 1],
    ['1.0^', '1.0^', 0],
    ['1.0^', '1.0', 1],
    ['1.0', '1.0^', -1],
    ['1.0^git1', '1.0^git1', 0],
    ['1.0^git1', '1.0', 1],
    ['1.0', '1.0^git1', -1],
    ['1.0^git1', '1.0^git2', -1],
    ['1.0^git2', '1.0^git1', 1],
    ['1.0^git1', '1.01', -1],
    ['1.01', '1.0^git1', 1],
    ['1.0^20160101', '1.0^20160101', 0],
    ['1.0^20160101', '1.0.1', -1],
    ['1.0.1', '1.0^20160101', 1],
    ['1.0^20160101^git1', '1.0^20160101^git1', 0],
    ['1.0^20160102', '1.0^20160101^git1', 1],
    ['1.0^20160101^git1', '1.0^20160102', -1],
    ['1.0~rc1^git1', '1.0~rc1^git1', 0],
    ['1.0~rc1^git1', '1.0~rc1', 1],
    ['1.0~rc1', '1.0~rc1^git1', -1],
    ['1.0^git1~pre', '1.0^git1~pre', 0],
    ['1.0^git1', '1.0^git1~pre', 1],
    ['1.0^git1~pre', '1.0^git1', -1],
  ];
  it('matches every rpmvercmp.at vector', () => {
    for (const [a, b, expected] of vectors) assert.equal(compareRpmVersions(a, b), expected, `${a} vs ${b}`);
  });

  it('compares epoch first, then version and release', () => {
    assert.ok(
      compareRpmEvr({ epoch: '1', version: '1.0', release: '1' }, { version: '9.9', release: '9' }) > 0,
    );
    assert.ok(
      compareRpmEvr({ version: '3.0.7', release: '27.el9' }, { version: '3.0.7', release: '25.el9_3' }) > 0,
    );
    assert.equal(
      compareRpmEvr({ epoch: '0', version: '1', release: '1' }, { version: '1', release: '1' }),
      0,
    );
  });
});
