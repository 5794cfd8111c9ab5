/**
 * The overlay, VLAN and NAT examples run with capture on; every frame they put on a simulated
 * wire is exported as pcap the way `packet-path run --pcap` does (`pcapOfRun`), and tshark decodes
 * the file with IP/UDP/TCP checksum validation on (SPEC §5: "Wireshark or tshark decodes VXLAN,
 * 802.1Q, ICMP, TCP and UDP with valid checksums"). No frame may be malformed or carry a bad
 * checksum; tshark must read the network's VNI and the VLAN id the script configured.
 *
 * Needs tshark (installed as root on first use by ensureTshark); PP_SKIP_TSHARK=1 skips, visibly.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pcapOfRun as pcapOf } from '../../src/engine/pcap.js';
import type { RunResult } from '../../src/result.js';
import { field, tsharkCheck, type TsharkReport } from '../support/tshark.js';
import { loadExample, runExample, stepOf } from './examples-support.js';

const skip = process.env.PP_SKIP_TSHARK === '1';
const dir = mkdtempSync(join(tmpdir(), 'pp-scenario-pcap-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function capture(example: string, extraFields: readonly string[] = []): Promise<{ result: RunResult; report: TsharkReport; frames: number }> {
  const result = await runExample(loadExample(example), { capture: true });
  const bytes = pcapOf(result);
  const path = join(dir, example.replace(/\.pp$/, '.pcap'));
  writeFileSync(path, bytes);
  const report = tsharkCheck(path, extraFields);
  const frames = result.steps.flatMap((s) => s.traces.flatMap((t) => t.packets.flatMap((p) => p.frames ?? []))).length;
  return { result, report, frames };
}

describe.skipIf(skip)('pcap of the examples decodes cleanly in tshark', () => {
  it('07-overlay-swarm: VXLAN on UDP 4789 with the network VNI, inner frames intact, no malformed or checksum notes', async () => {
    const { result, report, frames } = await capture('07-overlay-swarm.pp');
    expect(report.frames.length).toBe(frames);
    expect(report.problems).toEqual([]);
    const vni = JSON.parse(stepOf(result, 'docker network inspect MyOverlay').output)[0].Options['com.docker.network.driver.overlay.vxlanid_list'] as string;
    const vxlan = report.frames.filter((f) => f.protocols.includes('vxlan'));
    expect(vxlan.length).toBeGreaterThanOrEqual(4); // ping and curl, both ways
    for (const f of vxlan) {
      expect(field(f, 'vxlan.vni')).toBe(vni);
      expect(field(f, 'udp.dstport')).toBe('4789');
      expect(f.fields['ip.src']!.length).toBe(2); // outer and inner IPv4
      expect([field(f, 'ip.src', 0), field(f, 'ip.dst', 0)].sort()).toEqual(['10.0.0.11', '10.0.0.12']);
      expect(field(f, 'ip.src', 1)).toMatch(/^10\.0\.2\./);
      expect(f.protocols.slice(f.protocols.indexOf('vxlan') + 1)[0]).toBe('eth');
    }
    expect(vxlan.some((f) => f.protocols.includes('icmp'))).toBe(true);
    expect(vxlan.some((f) => f.protocols.includes('tcp'))).toBe(true);
  });

  it('18-vlan: 802.1Q with VID 11 on the trunk, no malformed or checksum notes', async () => {
    const { report, frames } = await capture('18-vlan.pp');
    expect(report.frames.length).toBe(frames);
    expect(report.problems).toEqual([]);
    const tagged = report.frames.filter((f) => f.protocols.includes('vlan'));
    expect(tagged.length).toBeGreaterThanOrEqual(2);
    for (const f of tagged) expect(field(f, 'vlan.id')).toBe('11');
    expect(tagged.some((f) => field(f, 'icmp.type') === '8') && tagged.some((f) => field(f, 'icmp.type') === '0')).toBe(true);
  });

  it('03-nat-port-publishing: the published port translated both ways, no malformed or checksum notes', async () => {
    const { report, frames } = await capture('03-nat-port-publishing.pp');
    expect(report.frames.length).toBe(frames);
    expect(report.problems).toEqual([]);
    const toHost = report.frames.filter((f) => field(f, 'ip.dst') === '10.0.0.10' && field(f, 'tcp.dstport') === '8080');
    const fromHost = report.frames.filter((f) => field(f, 'ip.src') === '10.0.0.10' && field(f, 'tcp.srcport') === '8080');
    expect(toHost.length).toBeGreaterThan(0);
    expect(fromHost.length).toBeGreaterThan(0);
    // the same connection inside: to the container's port 80
    expect(report.frames.some((f) => field(f, 'ip.src') === '10.0.0.50' && field(f, 'tcp.dstport') === '80' && field(f, 'ip.dst').startsWith('172.'))).toBe(true);
    for (const f of [...toHost, ...fromHost]) expect(field(f, 'tcp.checksum.status')).toBe('1');
  });

  it('51-fragmentation: each IPv4 fragment its own frame; tshark reassembles the 65,500-byte echo request and reply', async () => {
    const { report, frames } = await capture('51-fragmentation.pp', ['ip.flags.mf', 'ip.frag_offset', 'ip.id', 'ip.reassembled.length', 'ip.fragment.count']);
    expect(report.frames.length).toBe(frames);
    expect(report.problems).toEqual([]);
    // RFC 791: 65,500 bytes of data + 8 of ICMP header = 65,508 bytes, in 45 fragments at MTU 1500.
    const whole = report.frames.filter((f) => field(f, 'ip.reassembled.length') === '65508');
    const types = whole.map((f) => field(f, 'icmp.type'));
    expect(types).toContain('8');
    expect(types).toContain('0');
    for (const f of whole) expect(field(f, 'icmp.checksum.status')).toBe('1');
    // The request as the container sent it (one capture point): 45 distinct offsets, 1480 bytes
    // apart, one identification, MF on all but the last. (The file holds each fragment once per
    // wire it crossed, so tshark's fragment count includes those copies.)
    const sent = report.frames.filter((f) => field(f, 'ip.src').startsWith('172.') && field(f, 'ip.dst') === '204.79.197.200' && field(f, 'ip.flags.mf') === '1');
    const ids = new Set(sent.map((f) => field(f, 'ip.id')));
    expect(ids.size).toBe(1);
    const inside = report.frames.filter((f) => field(f, 'ip.src').startsWith('172.') && ids.has(field(f, 'ip.id')));
    // tshark reads the offset in 8-byte units.
    const offsetOf = (f: (typeof inside)[number]): number => Number(field(f, 'ip.frag_offset')) * 8;
    const offsets = [...new Set(inside.map(offsetOf))].sort((a, b) => a - b);
    expect(offsets).toEqual(Array.from({ length: 45 }, (_, k) => k * 1480));
    expect(new Set(inside.filter((f) => field(f, 'ip.flags.mf') === '0').map(offsetOf))).toEqual(new Set([44 * 1480]));
  });
});
