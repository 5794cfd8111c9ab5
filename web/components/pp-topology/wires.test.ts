import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { layoutWorld, hopNode, type Layout } from './layout.js';
import { wirePath } from './wires.js';
import type { RunResult } from '../../../src/result.js';
import { scaleWorld } from '../../../tests/e2e/fixtures/scale.js';

const fixture = JSON.parse(readFileSync('tests/e2e/fixtures/nat-published.json', 'utf8')) as RunResult;

/** Points along SVG path data made of M, L and C commands (curves sampled). */
function sample(d: string): { x: number; y: number }[] {
  const out: { x: number; y: number }[] = [];
  let cur = { x: 0, y: 0 };
  for (const m of d.matchAll(/([MLC])([^MLC]*)/g)) {
    const n = m[2].trim().split(/[\s,]+/).map(Number);
    if (m[1] === 'M') cur = { x: n[0], y: n[1] };
    else if (m[1] === 'L') {
      const to = { x: n[0], y: n[1] };
      for (let k = 0; k <= 20; k++) out.push({ x: cur.x + ((to.x - cur.x) * k) / 20, y: cur.y + ((to.y - cur.y) * k) / 20 });
      cur = to;
    } else {
      const [p1, p2, p3] = [{ x: n[0], y: n[1] }, { x: n[2], y: n[3] }, { x: n[4], y: n[5] }];
      for (let k = 0; k <= 30; k++) {
        const t = k / 30;
        const a = (1 - t) ** 3, b = 3 * (1 - t) ** 2 * t, c = 3 * (1 - t) * t ** 2, e = t ** 3;
        out.push({ x: a * cur.x + b * p1.x + c * p2.x + e * p3.x, y: a * cur.y + b * p1.y + c * p2.y + e * p3.y });
      }
      cur = p3;
    }
  }
  return out;
}

/**
 * Boxes the line crosses although the packet never passes them: chips and vSwitches off the path,
 * and the boxes of hosts the path does not visit.
 */
function crossed(d: string, layout: Layout, onPath: Set<string>): string[] {
  const pts = sample(d);
  const hosts = new Set(layout.nodes.filter((n) => onPath.has(n.id)).map((n) => n.host));
  const chips = layout.nodes.filter((n) => (['endpoint', 'nic', 'winnat', 'client', 'router', 'hostvnic', 'internet', 'vswitch'].includes(n.kind) && !onPath.has(n.id)) || (n.kind === 'host' && !hosts.has(n.host)));
  return chips.filter((c) => pts.some((p) => p.x > c.x + 1 && p.x < c.x + c.w - 1 && p.y > c.y + 1 && p.y < c.y + c.h - 1)).map((c) => c.id);
}

/**
 * Text the line runs over on boxes the packet does pass: the inside of a chip (its name, address and
 * MAC), and a vSwitch's header (its name, type and networks, above its port bus).
 */
function overText(d: string, layout: Layout, onPath: Set<string>): string[] {
  const pts = sample(d);
  const round = ['endpoint', 'nic', 'winnat', 'client', 'router', 'hostvnic', 'internet'];
  const hits: string[] = [];
  for (const n of layout.nodes.filter((x) => onPath.has(x.id))) {
    let box: { x0: number; y0: number; x1: number; y1: number } | undefined;
    if (round.includes(n.kind)) box = { x0: n.x + 2, y0: n.y + 2, x1: n.x + n.w - 2, y1: n.y + n.h - 2 };
    if (n.kind === 'vswitch') {
      const chips = layout.nodes.filter((c) => c.kind === 'endpoint' && c.host === n.host && c.x >= n.x && c.x + c.w <= n.x + n.w && c.y > n.y && c.y < n.y + n.h);
      const bus = Math.min(...chips.map((c) => c.y)) - 5;
      box = { x0: n.x + 2, y0: n.y + 2, x1: n.x + n.w - 2, y1: bus - 2 };
    }
    if (box && pts.some((p) => p.x > box.x0 && p.x < box.x1 && p.y > box.y0 && p.y < box.y1)) hits.push(n.id);
  }
  return hits;
}

describe('a packet path on the wires', () => {
  it('never runs over the text of the boxes it passes: round a NIC, along a vSwitch\'s edge to its bus', () => {
    const world = scaleWorld(4, 2, 'overlay');
    const layout = layoutWorld(world, { maxRowWidth: 500 });
    const [a, b] = world.hosts.map((h) => h.endpoints[0]);
    const ids = [`ep:host2:${b.id}`, 'vswitch:host2:ov', 'nic:host2:Ethernet', 'lan', 'nic:host1:Ethernet', 'vswitch:host1:ov', `ep:host1:${a.id}`];
    const w = wirePath(ids, layout);
    expect(overText(w.d, layout, new Set(ids))).toEqual([]);
    expect(crossed(w.d, layout, new Set(ids))).toEqual([]);
    // Straight through the NIC (its LAN drop above, its binding below) would run over its name.
    const nic = layout.nodes.find((n) => n.id === 'nic:host1:Ethernet')!;
    expect(overText(`M${nic.x + nic.w / 2} ${nic.y - 5} L${nic.x + nic.w / 2} ${nic.y + nic.h + 5}`, layout, new Set([nic.id]))).toEqual([nic.id]);
  });

  it('from the host vNIC through WinNAT to the LAN without running over their text', () => {
    const world = fixture.snapshots![5];
    const layout = layoutWorld(world);
    const p = fixture.steps[5].traces[0].packets[0];
    const ids = p.hops.map((h) => layout.alias.get(hopNode(h, world)) ?? hopNode(h, world));
    expect(ids).toContain('winnat:host1');
    expect(overText(wirePath(ids, layout).d, layout, new Set(ids))).toEqual([]);
  });

  it('follows the wires from the laptop through WinNAT to the container, crossing no unrelated box', () => {
    const world = fixture.snapshots![5];
    const layout = layoutWorld(world);
    const p = fixture.steps[5].traces[0].packets[0];
    const ids = p.hops.map((h) => hopNode(h, world));
    const w = wirePath(ids, layout);
    expect(w.d).toMatch(/^M/);
    expect(w.hops).toHaveLength(ids.length);
    expect(w.at.every(Boolean)).toBe(true);
    expect(crossed(w.d, layout, new Set(ids.map((id) => layout.alias.get(id) ?? id)))).toEqual([]);
  });

  it('reaches a container in the third row of a crowded switch through the gaps between chips', () => {
    const world = scaleWorld(15, 1);
    const layout = layoutWorld(world);
    const h = world.hosts[0];
    const last = h.endpoints[h.endpoints.length - 1];
    const ids = [`ep:host1:${last.id}`, 'vswitch:host1:nat', 'hostvnic:host1:vEthernet (nat)', 'winnat:host1', 'nic:host1:Ethernet', 'lan', 'router', 'internet'];
    const w = wirePath(ids, layout);
    const rows = new Set(layout.nodes.filter((n) => n.kind === 'endpoint').map((n) => n.y));
    expect(rows.size).toBeGreaterThan(1);
    expect(crossed(w.d, layout, new Set(ids))).toEqual([]);
    // A straight line from that chip to the host vNIC would have crossed chips: the test can fail.
    const from = layout.anchor.get(ids[0])!;
    const to = layout.anchor.get(ids[2])!;
    expect(crossed(`M${from.x} ${from.y} L${to.x} ${to.y}`, layout, new Set(ids)).length).toBeGreaterThan(0);
  });

  it('joins a host of a lower row to the LAN around the hosts above it', () => {
    const world = scaleWorld(4, 2, 'overlay');
    const layout = layoutWorld(world, { maxRowWidth: 500 });
    const boxes = layout.nodes.filter((n) => n.kind === 'host');
    expect(boxes[1].y).toBeGreaterThan(boxes[0].y);
    const ep = world.hosts[1].endpoints[0];
    const ids = [`ep:host2:${ep.id}`, 'vswitch:host2:ov', 'nic:host2:Ethernet', 'lan', 'router', 'internet'];
    expect(crossed(wirePath(ids, layout).d, layout, new Set(ids))).toEqual([]);
  });

  it('follows the VXLAN tunnel between two hosts of an overlay network', () => {
    const world = scaleWorld(4, 2, 'overlay');
    const layout = layoutWorld(world);
    const [a, b] = world.hosts.map((h) => h.endpoints[0]);
    const ids = [`ep:host1:${a.id}`, 'vswitch:host1:ov', 'vswitch:host2:ov', `ep:host2:${b.id}`];
    const w = wirePath(ids, layout);
    const tunnel = layout.links.find((l) => l.kind === 'vxlan')!;
    const end = tunnel.d.match(/-?\d+(?:\.\d+)?/g)!.slice(-2).join(' ');
    expect(w.hops[2]).toContain(end);
    expect(w.hops[2]).toContain(' C');
  });
});
