/** MAC, IPv4 address and CIDR helpers: the Linux and Windows text forms, strictness, round trips. */
import { maskOf } from '../../src/addr.js';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {parseMac, macToInt, formatMac, isMulticastMac, readMac, writeMac, MAC_BROADCAST, parseIpv4Addr, ipToInt, intToIp, parseCidr, formatCidr, cidrNetwork, cidrBroadcast, cidrContains, cidrCovers, parseTcpFlags, formatTcpFlags, TCP_SYN, TCP_ACK, TCP_RST, TCP_FIN, TCP_PSH } from '../../src/wire/index.js';

const mac48 = fc.tuple(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0xffff }))
  .map(([a, b, c]) => (a * 0x10000 + b) * 0x10000 + c);
const ip32 = fc.tuple(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0xffff })).map(([h, l]) => h * 0x10000 + l);

describe('MAC addresses', () => {
  it('parse the Linux and the Windows forms to the same 48-bit integer', () => {
    expect(parseMac('00:15:5d:00:00:0a')).toBe(0x00155d00000a);
    expect(parseMac('00-15-5D-00-00-0A')).toBe(0x00155d00000a);
    expect(parseMac('FF:FF:FF:FF:FF:FF')).toBe(MAC_BROADCAST);
    expect(parseMac('  02-00-5e-10-00-01 ')).toBe(0x02005e100001);
  });

  it('reject mixed separators, short groups and junk', () => {
    for (const bad of ['00:15-5d:00:00:0a', '0:15:5d:0:0:a', '00:15:5d:00:00', '00:15:5d:00:00:0a:01', '00155d00000a', 'zz:15:5d:00:00:0a', '']) {
      expect(parseMac(bad), bad).toBeUndefined();
    }
    expect(() => macToInt('nope')).toThrow(RangeError);
  });

  it('format both ways', () => {
    expect(formatMac(0x00155d00000a)).toBe('00:15:5d:00:00:0a');
    expect(formatMac(0x00155d00000a, 'windows')).toBe('00-15-5D-00-00-0A');
    expect(formatMac(0)).toBe('00:00:00:00:00:00');
  });

  it('round-trip through text and through bytes, for any MAC', () => fc.assert(fc.property(mac48, (m) => {
    expect(parseMac(formatMac(m))).toBe(m);
    expect(parseMac(formatMac(m, 'windows'))).toBe(m);
    const b = new Uint8Array(8).fill(0xa5);
    writeMac(b, 1, m);
    expect(b[0]).toBe(0xa5);
    expect(b[7]).toBe(0xa5);
    expect(readMac(b, 1)).toBe(m);
  }), { numRuns: 300 }));

  it('tell group addresses by the I/G bit', () => {
    expect(isMulticastMac(MAC_BROADCAST)).toBe(true);
    expect(isMulticastMac(macToInt('01:00:5e:00:00:fb'))).toBe(true);
    expect(isMulticastMac(macToInt('00:15:5d:00:00:0a'))).toBe(false);
    expect(isMulticastMac(macToInt('02:00:00:00:00:01'))).toBe(false);
  });
});

describe('IPv4 addresses', () => {
  it('parse dotted quads strictly', () => {
    expect(ipToInt('172.16.0.2')).toBe(0xac100002);
    expect(ipToInt('255.255.255.255')).toBe(0xffffffff);
    expect(ipToInt('0.0.0.0')).toBe(0);
    for (const bad of ['1.2.3', '1.2.3.4.5', '256.1.1.1', '01.2.3.4', '1.2.3.-4', '1..3.4', 'a.b.c.d', '1.2.3.4/24', '']) {
      expect(parseIpv4Addr(bad), bad).toBeUndefined();
    }
    expect(() => ipToInt('10.0.0')).toThrow(RangeError);
  });

  it('round-trip, for any address', () => fc.assert(fc.property(ip32, (a) => {
    expect(ipToInt(intToIp(a))).toBe(a);
  }), { numRuns: 300 }));
});

describe('CIDR', () => {
  it('keeps the host part and derives network, mask and broadcast', () => {
    const c = parseCidr('10.0.0.10/24')!;
    expect(c).toEqual({ ip: ipToInt('10.0.0.10'), prefixLen: 24 });
    expect(formatCidr(c)).toBe('10.0.0.10/24');
    expect(intToIp(cidrNetwork(c))).toBe('10.0.0.0');
    expect(intToIp(cidrBroadcast(c))).toBe('10.0.0.255');
    expect(intToIp(maskOf(24))).toBe('255.255.255.0');
    expect(maskOf(0)).toBe(0);
    expect(maskOf(32)).toBe(0xffffffff);
  });

  it('contains and covers', () => {
    const nat = parseCidr('172.16.0.0/16')!;
    expect(cidrContains(nat, ipToInt('172.16.255.1'))).toBe(true);
    expect(cidrContains(nat, ipToInt('172.17.0.1'))).toBe(false);
    expect(cidrCovers(nat, parseCidr('172.16.1.0/24')!)).toBe(true);
    expect(cidrCovers(nat, parseCidr('172.0.0.0/8')!)).toBe(false);
    expect(cidrContains(parseCidr('0.0.0.0/0')!, ipToInt('8.8.8.8'))).toBe(true);
    expect(cidrContains(parseCidr('8.8.8.8/32')!, ipToInt('8.8.8.9'))).toBe(false);
  });

  it('rejects malformed prefixes', () => {
    for (const bad of ['10.0.0.0', '10.0.0.0/33', '10.0.0.0/', '10.0.0.0/024', '10.0.0/8', '/8']) expect(parseCidr(bad), bad).toBeUndefined();
  });

  it('every address of a network lies between its network and broadcast addresses', () => fc.assert(fc.property(
    ip32, fc.integer({ min: 0, max: 32 }), ip32,
    (a, len, b) => {
      const c = { ip: a, prefixLen: len };
      const inside = b >= cidrNetwork(c) && b <= cidrBroadcast(c);
      expect(cidrContains(c, b)).toBe(inside);
    },
  ), { numRuns: 500 }));
});

describe('TCP flag letters', () => {
  it('parse and format the tcpdump way', () => {
    expect(parseTcpFlags('S')).toBe(TCP_SYN);
    expect(parseTcpFlags('SA')).toBe(TCP_SYN | TCP_ACK);
    expect(parseTcpFlags('S.')).toBe(TCP_SYN | TCP_ACK);
    expect(parseTcpFlags('pa')).toBe(TCP_PSH | TCP_ACK);
    expect(parseTcpFlags('X')).toBeUndefined();
    expect(formatTcpFlags(TCP_SYN | TCP_ACK)).toBe('S.');
    expect(formatTcpFlags(TCP_RST)).toBe('R');
    expect(formatTcpFlags(TCP_FIN | TCP_PSH | TCP_ACK)).toBe('FP.');
    expect(formatTcpFlags(0)).toBe('none');
  });

  it('round-trip for any flag byte', () => fc.assert(fc.property(fc.integer({ min: 1, max: 255 }), (f) => {
    expect(parseTcpFlags(formatTcpFlags(f))).toBe(f);
  })));
});
