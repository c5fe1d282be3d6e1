import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cidrContains, parseCidr, parseIpAddress, type Cidr } from './ip-cidr.js';

function cidr(text: string): Cidr {
  const parsed = parseCidr(text);
  assert.ok(parsed, `expected ${text} to parse`);
  return parsed;
}

describe('parseIpAddress', () => {
  const valid: readonly [string, 4 | 6, bigint][] = [
    ['0.0.0.0', 4, 0n],
    ['10.1.2.3', 4, 0x0a010203n],
    ['255.255.255.255', 4, 0xffffffffn],
    ['::', 6, 0n],
    ['::1', 6, 1n],
    ['2001:db8::1', 6, 0x20010db8000000000000000000000001n],
    ['2001:DB8:0:0:0:0:0:1', 6, 0x20010db8000000000000000000000001n],
    ['fe80::', 6, 0xfe800000000000000000000000000000n],
    ['1:2:3:4:5:6:7::', 6, 0x00010002000300040005000600070000n],
    ['::ffff:192.0.2.1', 6, 0xffffc0000201n],
    ['64:ff9b::10.0.0.1', 6, 0x0064ff9b00000000000000000a000001n],
  ];
  for (const [text, version, value] of valid) {
    it(`parses ${text}`, () => {
      assert.deepEqual(parseIpAddress(text), { version, value });
    });
  }

  const invalid = [
    '',
    '1.2.3',
    '1.2.3.4.5',
    '256.1.1.1',
    '01.2.3.4',
    '1.2.3.-4',
    'a.b.c.d',
    ':::',
    '1::2::3',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7:8::',
    '12345::',
    'g::1',
    ':1::',
    '1.2.3.4::',
    'fe80::1%eth0',
  ];
  for (const text of invalid) {
    it(`rejects ${JSON.stringify(text)}`, () => {
      assert.equal(parseIpAddress(text), undefined);
    });
  }
});

describe('parseCidr and cidrContains', () => {
  const cases: readonly [string, string, boolean][] = [
    ['10.0.0.0/8', '10.255.1.2', true],
    ['10.0.0.0/8', '11.0.0.0', false],
    ['10.0.0.1/8', '10.9.9.9', true],
    ['192.168.1.0/24', '192.168.1.255', true],
    ['192.168.1.0/24', '192.168.2.0', false],
    ['0.0.0.0/0', '203.0.113.7', true],
    ['203.0.113.7/32', '203.0.113.7', true],
    ['203.0.113.7/32', '203.0.113.8', false],
    ['203.0.113.7', '203.0.113.7', true],
    ['2001:db8::/32', '2001:db8:ffff::1', true],
    ['2001:db8::/32', '2001:db9::1', false],
    ['::/0', '2001:db8::1', true],
    ['::1/128', '::1', true],
    ['fe80::/10', 'febf::1', true],
    ['fe80::/10', 'fec0::1', false],
    ['0.0.0.0/0', '::1', false],
    ['::/0', '10.0.0.1', false],
  ];
  for (const [block, address, expected] of cases) {
    it(`${address} ${expected ? 'is' : 'is not'} in ${block}`, () => {
      const parsed = parseIpAddress(address);
      assert.ok(parsed);
      assert.equal(cidrContains(cidr(block), parsed), expected);
    });
  }

  for (const bad of [
    '10.0.0.0/33',
    '10.0.0.0/',
    '10.0.0.0/-1',
    '10.0.0.0/08',
    '2001:db8::/129',
    'x/8',
    '10.0.0.0/8/8',
  ]) {
    it(`rejects ${bad}`, () => {
      assert.equal(parseCidr(bad), undefined);
    });
  }
});
