import { describe, it, expect } from 'vitest';
import { buildFrame } from '../../src/wire/build.js';
import { toHex } from '../../src/wire/bytes.js';
import { dissect, fieldAt, frameAtHop, frameForHop } from './dissect.js';
import type { Hop, PacketTrace } from '../../src/result.js';

const inner = buildFrame({
  eth: { src: '00-15-5D-3A-1B-5D', dst: '00-15-5D-CB-30-A4' },
  ipv4: { src: '10.0.2.3', dst: '10.0.2.2', ttl: 128 },
  icmp: { id: 2, seq: 1 },
  payload: 'abcdefghijklmnopqrstuvwabcdefghi',
});
const outer = buildFrame({
  eth: { src: '00-15-5D-00-00-0C', dst: '00-15-5D-00-00-0B' },
  ipv4: { src: '10.0.0.12', dst: '10.0.0.11' },
  udp: { sport: 50336, dport: 4789 },
  vxlan: { vni: 4097, inner },
});

const bytesOf = (d: ReturnType<typeof dissect>, key: string) => {
  const f = d.layers.flatMap((l) => l.fields).find((x) => x.key === key)!;
  return toHex(d.bytes.subarray(f.start, f.end));
};

describe('the packet view\'s dissection', () => {
  it('places every field of a plain frame on its bytes', () => {
    const d = dissect(toHex(inner));
    expect(d.layers.map((l) => l.title)).toEqual(['Ethernet II', 'Internet Protocol version 4', 'Internet Control Message Protocol']);
    expect(bytesOf(d, 'eth.dst')).toBe('00155dcb30a4');
    expect(bytesOf(d, 'ip.src')).toBe('0a000203');
    expect(bytesOf(d, 'ip.ttl')).toBe('80');
    expect(bytesOf(d, 'icmp.seq')).toBe('0001');
    expect(fieldAt(d, 14 + 12)?.key).toBe('ip.src');
    expect(fieldAt(d, 14 + 8)?.key).toBe('ip.ttl');
  });

  it('keys a VXLAN frame\'s outer headers as the hop diffs do, and decodes the inner frame', () => {
    const d = dissect(toHex(outer));
    expect(d.layers.map((l) => l.role)).toEqual(['outer', 'outer', 'outer', 'outer', 'inner', 'inner', 'inner']);
    expect(bytesOf(d, 'outer.ip.src')).toBe('0a00000c');
    expect(bytesOf(d, 'outer.udp.dport')).toBe('12b5');
    expect(bytesOf(d, 'vxlan.vni')).toBe('001001');
    expect(bytesOf(d, 'ip.src')).toBe('0a000203');
    expect(fieldAt(d, 50 + 14 + 16)?.key).toBe('ip.dst');
  });

  it('shows each hop the frame of the wire it stands on; an encap hop the encapsulated frame', () => {
    const hop = (host: string, at: string, after: Record<string, string | number> = {}): Hop => ({ host, at, stage: 'switch', action: 'forward', rule: null, before: {}, after });
    const p: PacketTrace = {
      summary: 'ICMP', verdict: 'delivered', dropReason: null,
      hops: [hop('worker', 'compartment 2 (app)'), hop('worker', 'vSwitch MyOverlay, port app'), hop('worker', 'vSwitch MyOverlay, ExternalPort (Ethernet)', { 'outer.ip.src': '10.0.0.12' }),
        hop('worker', 'Ethernet → LAN'), hop('LAN', 'LAN switch'), hop('manager', 'vSwitch MyOverlay, port web')],
      frames: [{ at: 'worker port app', hex: toHex(inner) }, { at: 'LAN', hex: toHex(outer) }, { at: 'manager port web', hex: toHex(inner) }],
    };
    expect([0, 1, 2, 3, 4, 5].map((k) => frameAtHop(p, k)?.at)).toEqual(['worker port app', 'worker port app', 'worker port app', 'LAN', 'LAN', 'manager port web']);
    expect(frameForHop(p, 2)?.at).toBe('LAN');
  });
});
