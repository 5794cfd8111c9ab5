// @vitest-environment happy-dom
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { layoutWorld, hopNode, textWidth } from './layout.js';
import './pp-topology.js';
import type { PpTopology } from './pp-topology.component.js';
import type { RunResult } from '../../../src/result.js';
import { scaleWorld } from '../../../tests/e2e/fixtures/scale.js';

const fixture = JSON.parse(readFileSync('tests/e2e/fixtures/nat-published.json', 'utf8')) as RunResult;
const last = fixture.snapshots![fixture.snapshots!.length - 1];

function overlaps(a: { x: number; y: number; w: number; h: number }, b: typeof a): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

describe('topology layout', () => {
  it('draws every host, NIC, vSwitch, WinNAT and endpoint of the snapshot, and the LAN, router and clients', () => {
    const l = layoutWorld(last);
    const kinds = (k: string) => l.nodes.filter((n) => n.kind === k).map((n) => n.id);
    expect(kinds('host')).toEqual(['host:host1']);
    expect(kinds('nic')).toEqual(['nic:host1:Ethernet']);
    expect(kinds('vswitch')).toEqual(['vswitch:host1:nat', 'vswitch:host1:webnat']);
    expect(kinds('winnat')).toEqual(['winnat:host1']);
    // A hop at the host itself is drawn on its host-stack box.
    expect(l.alias.get('host:host1')).toBe('winnat:host1');
    expect(kinds('endpoint')).toHaveLength(2);
    expect(kinds('client')).toEqual(['client:laptop']);
    expect(l.nodes.find((n) => n.kind === 'endpoint')?.sub).toContain('172.16.1.2');
    expect(l.nodes.find((n) => n.kind === 'endpoint')?.sub2).toBe('00-15-5D-1A-10-02');
  });

  it('keeps 50 containers on 4 hosts as readable chips that do not overlap', () => {
    const l = layoutWorld(scaleWorld(50, 4), { maxRowWidth: 1400 });
    const chips = l.nodes.filter((n) => n.kind === 'endpoint');
    expect(chips).toHaveLength(50);
    for (let a = 0; a < chips.length; a++) for (let b = a + 1; b < chips.length; b++) expect(overlaps(chips[a], chips[b])).toBe(false);
    // Each chip sits inside its host's box.
    for (const c of chips) {
      const host = l.nodes.find((n) => n.id === `host:${c.host}`)!;
      expect(c.x >= host.x && c.x + c.w <= host.x + host.w && c.y + c.h <= host.y + host.h).toBe(true);
    }
  });

  it('collapses crowded switches at 500 containers into dot groups that expand on request', () => {
    const world = scaleWorld(500, 4);
    const l = layoutWorld(world);
    expect(l.nodes.filter((n) => n.kind === 'dot')).toHaveLength(500);
    expect(l.nodes.filter((n) => n.kind === 'group')).toHaveLength(4);
    const opened = layoutWorld(world, { expanded: new Set(['host1/nat']) });
    expect(opened.nodes.filter((n) => n.kind === 'endpoint')).toHaveLength(125);
    expect(opened.nodes.filter((n) => n.kind === 'group')).toHaveLength(3);
  });

  it('raises a NIC\'s wire to the LAN beside the host\'s name and flags, not through them', () => {
    for (const l of [layoutWorld(last), layoutWorld(scaleWorld(4, 2, 'overlay'), { maxRowWidth: 500 })]) {
      for (const host of l.nodes.filter((n) => n.kind === 'host')) {
        const nic = l.nodes.find((n) => n.kind === 'nic' && n.host === host.host)!;
        const up = l.links.find((k) => k.from === nic.id && k.to === 'lan')!;
        const x = Number(up.d.match(/^M(-?\d+(?:\.\d+)?)/)![1]);
        // The name is 13 px bold, the flags 10 px, 10 px apart (pp-topology's host label).
        const nameEnd = host.x + 10 + textWidth(host.label, 13) + 10 + textWidth(host.sub ?? '', 10);
        expect(x, host.id).toBeGreaterThan(nameEnd);
        expect(x, host.id).toBeLessThan(nic.x + nic.w);
      }
    }
  });

  it('draws a VXLAN tunnel between the hosts of an overlay network', () => {
    const l = layoutWorld(scaleWorld(6, 3, 'overlay'));
    const tunnels = l.links.filter((k) => k.kind === 'vxlan');
    expect(tunnels).toHaveLength(2);
    expect(tunnels[0].label).toContain('VNI 4096');
  });

  it('places hops by their node id, or from their place when the simulation gave none', () => {
    expect(hopNode({ host: 'host1', at: 'anything', node: 'winnat:host1' }, last)).toBe('winnat:host1');
    expect(hopNode({ host: 'host1', at: 'vSwitch webnat, port db' }, last)).toBe(`ep:host1:${last.hosts[0].endpoints[1].id}`);
    expect(hopNode({ host: 'host1', at: 'vSwitch webnat' }, last)).toBe('vswitch:host1:webnat');
    expect(hopNode({ host: 'host1', at: 'WinNAT' }, last)).toBe('winnat:host1');
    expect(hopNode({ host: 'host1', at: 'Ethernet' }, last)).toBe('nic:host1:Ethernet');
    expect(hopNode({ host: 'laptop', at: 'wire (LAN)' }, last)).toBe('lan');
    expect(hopNode({ host: 'laptop', at: 'laptop' }, last)).toBe('client:laptop');
    // The places the simulation writes (src/sim/walker.ts).
    const db = `ep:host1:${last.hosts[0].endpoints[1].id}`;
    expect(hopNode({ host: 'host1', at: 'compartment 3 (db)' }, last)).toBe(db);
    expect(hopNode({ host: 'host1', at: 'vSwitch webnat, port db' }, last)).toBe(db);
    expect(hopNode({ host: 'host1', at: 'vSwitch webnat, vEthernet (5b0c4a2e)' }, last)).toBe('hostvnic:host1:vEthernet (webnat)');
    expect(hopNode({ host: 'host1', at: 'host stack' }, last)).toBe('winnat:host1');
    expect(hopNode({ host: 'host1', at: 'Ethernet → LAN' }, last)).toBe('nic:host1:Ethernet');
    expect(hopNode({ host: 'internet', at: 'internet' }, last)).toBe('internet');
    expect(hopNode({ host: 'LAN', at: 'LAN switch' }, last)).toBe('lan');
    expect(hopNode({ host: 'LAN', at: 'router' }, last)).toBe('router');
    expect(hopNode({ host: 'host1', at: 'WinNAT (Ethernet)' }, last)).toBe('winnat:host1');
    expect(hopNode({ host: 'host1', at: 'host stack (Ethernet)' }, last)).toBe('winnat:host1');
    expect(hopNode({ host: 'laptop', at: 'LAN', stage: 'deliver' }, last)).toBe('client:laptop');
  });
});

describe('<pp-topology>', () => {
  async function mount(props: Partial<PpTopology>): Promise<PpTopology> {
    const el = document.createElement('pp-topology');
    Object.assign(el, props);
    document.body.append(el);
    await el.updateComplete;
    return el;
  }

  it('keeps the packet on screen at every hop of a path longer than the pane', async () => {
    const world = scaleWorld(120, 8, 'overlay');
    const a = world.hosts[0].endpoints[0];
    const b = world.hosts[7].endpoints[world.hosts[7].endpoints.length - 1];
    const path = [`ep:host1:${a.id}`, 'vswitch:host1:ov', 'vswitch:host8:ov', `ep:host8:${b.id}`];
    const el = await mount({ world, path, current: 0 });
    // happy-dom has no layout: the pane is the default 900 × 560.
    const onScreen = () => {
      const g = el.shadowRoot!.querySelector('.viewport > svg > g')!.getAttribute('transform')!;
      const [x, y, k] = g.match(/-?\d+(?:\.\d+)?/g)!.map(Number);
      const [px, py] = el.shadowRoot!.querySelector('g.packet')!.getAttribute('transform')!.match(/-?\d+(?:\.\d+)?/g)!.map(Number);
      return { x: px * k + x, y: py * k + y };
    };
    for (const hop of [0, 3]) {
      el.current = hop;
      await el.updateComplete;
      await el.updateComplete;
      const p = onScreen();
      expect(p.x, `hop ${hop}`).toBeGreaterThan(0);
      expect(p.x, `hop ${hop}`).toBeLessThan(900);
      expect(p.y, `hop ${hop}`).toBeGreaterThan(0);
      expect(p.y, `hop ${hop}`).toBeLessThan(560);
    }
    el.remove();
  });

  it('says what to do when there is nothing to draw', async () => {
    const el = await mount({});
    expect(el.shadowRoot!.textContent).toContain('Run the script');
    el.remove();
  });

  it('renders the endpoints and marks the nodes on the packet path, with the packet at the current hop', async () => {
    const step = fixture.steps[5];
    const path = step.traces[0].packets[0].hops.map((h) => hopNode(h, last));
    const el = await mount({ world: last, path, current: 2 });
    const root = el.shadowRoot!;
    expect(el.endpointCount).toBe(2);
    expect(root.querySelectorAll('[data-node^="ep:"]')).toHaveLength(2);
    expect(root.querySelector('[data-node="winnat:host1"]')!.getAttribute('class')).toContain('on-path');
    const packet = root.querySelector('.packet') as SVGGElement;
    expect(packet).not.toBeNull();
    expect(root.textContent).toContain('web');
    expect(root.textContent).toContain('172.16.1.2');
    el.remove();
  });

  it('expands a collapsed group when it is clicked', async () => {
    const el = await mount({ world: scaleWorld(500, 4) });
    const root = el.shadowRoot!;
    expect(root.querySelectorAll('[data-group]')).toHaveLength(4);
    (root.querySelector('[data-group="host2/nat"]') as SVGGElement).dispatchEvent(new Event('click'));
    await el.updateComplete;
    expect(root.querySelectorAll('[data-group]')).toHaveLength(3);
    expect(root.querySelectorAll('g.node.endpoint')).toHaveLength(125);
    el.remove();
  });
});
