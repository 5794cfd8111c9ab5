import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { failed, initialSelection, isHelperPacket, selectionOfStep, shownVerdict, verdictCause, verdictLabel } from './packets.js';
import { interestingHop } from '../widget/packet-path-widget.js';
import type { Hop, PacketTrace, RunResult, Step } from '../../src/result.js';

const fixture = JSON.parse(readFileSync('tests/e2e/fixtures/nat-published.json', 'utf8')) as RunResult;

const hop = (over: Partial<Hop>): Hop => ({ host: 'host1', at: 'vSwitch nat, port web', stage: 'switch', action: 'forward', rule: null, before: {}, after: {}, ...over });
const packet = (summary: string, verdict: string, hops: Hop[], dropReason: string | null = null): PacketTrace => ({ summary, verdict: verdict as PacketTrace['verdict'], dropReason, hops });

/** A flooded ARP copy the host stack ignored, as results before SPEC §5's `ignored` carried it. */
const oldIgnored = packet('ARP who-has 172.16.0.3 tell 172.16.0.2', 'timeout', [
  hop({ stage: 'switch', action: 'flood' }),
  hop({ at: 'host stack (vEthernet (nat))', stage: 'deliver', action: 'ignore', rule: 'not addressed to this station' }),
]);
const newIgnored = packet('ARP who-has 172.16.0.3 tell 172.16.0.2', 'ignored', [hop({ stage: 'deliver', action: 'ignore' })], 'not addressed to this station');
const dns = packet('UDP 172.16.0.2:49152 > 172.16.0.1:53 len=20', 'delivered', [hop({})]);
const echo = packet('ICMP 172.16.0.2 > 172.16.0.3 echo request id=1 seq=1', 'delivered', [hop({}), hop({ stage: 'deliver', action: 'deliver' })]);
const realTimeout = packet('ICMP 172.16.0.2 > 10.9.9.9 echo request id=1 seq=1', 'timeout', [hop({ at: 'router', stage: 'route', action: 'forward', rule: 'default route to the internet' })]);

function step(line: number, packets: PacketTrace[], ok = true): Step {
  return { line, host: 'host1', command: `cmd ${line}`, ok, output: '', error: ok ? null : 'failed', warnings: [], traces: packets.length ? [{ from: 'a', to: 'b', packets }] : [] };
}

describe('packet verdicts as shown', () => {
  it('shows an ignored broadcast copy as neutral "ignored", in the old and the new form', () => {
    for (const p of [oldIgnored, newIgnored]) {
      expect(shownVerdict(p)).toBe('ignored');
      expect(failed(p)).toBe(false);
      expect(verdictLabel(p).text).toBe('ignored');
      expect(verdictCause(p)).toBe('ignored (not addressed to this station)');
    }
  });

  it('names the cause of a real timeout instead of "no reason given"', () => {
    expect(shownVerdict(realTimeout)).toBe('timeout');
    expect(failed(realTimeout)).toBe(true);
    expect(verdictCause(realTimeout)).toBe('no answer after router (default route to the internet)');
  });

  it('tells ARP and DNS apart from the traffic a command is about', () => {
    expect([oldIgnored, dns, echo].map(isHelperPacket)).toEqual([true, true, false]);
  });
});

describe('the packet that matters after a run', () => {
  it('opens on the dropped packet of the expect-fail step, at the hop that dropped it', () => {
    const pick = initialSelection(fixture);
    expect(fixture.steps[pick.step].line).toBe(10);
    const p = fixture.steps[pick.step].traces[pick.trace].packets[pick.packet];
    expect(p.verdict).toBe('dropped');
    expect(p.hops[pick.hop]).toMatchObject({ stage: 'acl', action: 'drop' });
  });

  it('otherwise opens on the data packet, not DNS or ARP, and never on an ignored copy', () => {
    const r: RunResult = { version: 1, hosts: [], expectations: [], diagnostics: [], steps: [step(1, []), step(2, [dns, oldIgnored, echo])] };
    expect(initialSelection(r)).toEqual({ step: 1, trace: 0, packet: 2, hop: 0 });
  });

  it('an ignored copy does not make a step count as failing', () => {
    const r: RunResult = { version: 1, hosts: [], expectations: [], diagnostics: [], steps: [step(1, [dns, echo]), step(2, [newIgnored, echo])] };
    expect(initialSelection(r).step).toBe(0);
  });

  it('prefers a failed step\'s real failure over earlier good traffic', () => {
    const r: RunResult = { version: 1, hosts: [], expectations: [], diagnostics: [], steps: [step(1, [echo]), step(2, [oldIgnored, realTimeout], false)] };
    expect(initialSelection(r)).toEqual({ step: 1, trace: 0, packet: 1, hop: 0 });
  });
});

describe('the packet a picked step opens on', () => {
  const dropped = packet('TCP 10.0.0.5:49152 > 172.16.0.3:80 SYN', 'dropped', [hop({}), hop({ stage: 'acl', action: 'drop', rule: 'block tcp/80' }), hop({})], 'acl: no rule allows');

  it('opens a good step on its data packet, not the DNS query before it', () => {
    const r: RunResult = { version: 1, hosts: [], expectations: [], diagnostics: [], steps: [step(1, [echo]), step(2, [dns, oldIgnored, echo])] };
    expect(selectionOfStep(r, 1)).toEqual({ trace: 0, packet: 2, hop: 0 });
  });

  it('opens a failed step on its drop, at the hop that dropped it', () => {
    const r: RunResult = { version: 1, hosts: [], expectations: [], diagnostics: [], steps: [step(1, [echo]), step(2, [dns, dropped], false)] };
    expect(selectionOfStep(r, 1)).toEqual({ trace: 0, packet: 1, hop: 1 });
  });

  it('opens an expect-fail step (it failed as expected) on its drop', () => {
    const r: RunResult = { version: 1, hosts: [], diagnostics: [], expectations: [{ line: 2, ok: true }], steps: [step(2, [dns, dropped], false)] };
    expect(selectionOfStep(r, 0)).toEqual({ trace: 0, packet: 1, hop: 1 });
  });

  it('in the docs widget too: a failed step opens on its drop, a good one on a telling rewrite of its data packet', () => {
    const natDns = packet('UDP 172.16.0.2:49152 > 8.8.8.8:53 len=20', 'delivered', [hop({ stage: 'nat', action: 'translate', after: { 'ip.src': '10.0.0.4' } })]);
    const natEcho = packet('ICMP 172.16.0.2 > 8.8.8.8 echo request id=1 seq=1', 'delivered', [hop({}), hop({ stage: 'nat', action: 'translate', after: { 'ip.src': '10.0.0.4' } })]);
    expect(interestingHop(step(3, [dns, dropped], false))).toEqual({ trace: 0, packet: 1, hop: 1 });
    expect(interestingHop(step(4, [natDns, natEcho]))).toEqual({ trace: 0, packet: 1, hop: 1 });
    expect(interestingHop(step(5, [natDns]))).toEqual({ trace: 0, packet: 0, hop: 0 });
  });
});
