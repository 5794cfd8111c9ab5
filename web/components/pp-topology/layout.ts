/**
 * Topology layout: a WorldSnapshot → positioned boxes and links, pure and deterministic.
 *
 *   internet ── router ── LAN bar (subnet, VLANs, DHCP) ── LAN clients
 *                            │         │
 *                  host box: NICs → vSwitches (+ host vNIC / WinNAT) → endpoint chips
 *
 * Hosts sit side by side (wrapping past `maxRowWidth`). A vSwitch with more endpoints than
 * `collapseAbove` is drawn collapsed (a dense dot grid) unless its group id is in `expanded`.
 */
import type { EndpointSnapshot, HostSnapshot, NetworkSnapshot, NodeId, WorldSnapshot } from '../../../src/result.js';

export type NodeKind = 'internet' | 'router' | 'lan' | 'client' | 'host' | 'nic' | 'vswitch' | 'hostvnic' | 'winnat' | 'endpoint' | 'dot' | 'group';

export interface LNode {
  id: NodeId;
  kind: NodeKind;
  x: number;
  y: number;
  w: number;
  h: number;
  label: string;
  sub?: string;
  sub2?: string;
  /** Driver of the network (endpoints, vSwitches), for colour. */
  driver?: string;
  vlan?: number;
  host?: string;
  /** For collapsed groups: the group id to expand. */
  group?: string;
  title?: string;
}

export interface LLink {
  from: NodeId;
  to: NodeId;
  kind: 'lan' | 'bind' | 'port' | 'vxlan' | 'internal';
  label?: string;
  /** Path data (SVG `d`). */
  d: string;
  /** Where the label goes. */
  lx?: number;
  ly?: number;
  /** Label alignment (SVG text-anchor). */
  anchor?: 'start' | 'middle';
}

export interface Layout {
  width: number;
  height: number;
  nodes: LNode[];
  links: LLink[];
  /** Node centres by id. */
  centre: Map<NodeId, { x: number; y: number }>;
  /** Where a packet is drawn on each node: beside a chip's text, not over it. */
  anchor: Map<NodeId, { x: number; y: number }>;
  /** Ids drawn by another node (`host:h1` is drawn by its host-stack box). */
  alias: Map<NodeId, NodeId>;
}

export interface LayoutOptions {
  expanded?: Set<string>;
  collapseAbove?: number;
  maxRowWidth?: number;
  /** Width/height bias of endpoint grids: larger gives more columns (default 2.4). */
  colsFactor?: number;
}

const CHIP_W = 136;
const CHIP_H = 44;
const CHIP_H_COMPACT = 32;
const GAP = 6;
const NIC_W = 140;
const NIC_H = 44;
const HOST_PAD = 10;
const DOT = 9;
/** x of the wire down the left margin that joins the hosts of lower rows to the LAN (boxes start at 20). */
const LAN_MARGIN_X = 10;

/**
 * Width of a text line, estimated from its length (the drawing is laid out before it is rendered):
 * monospace glyphs are 0.6 em, UI glyphs at most about 0.62 em bold. Generous, so a label measured
 * in the browser never leaves its box.
 */
export function textWidth(text: string, px: number, mono = false): number {
  return [...text].length * px * (mono ? 0.61 : 0.64);
}

/** The text cut with an ellipsis to fit `width` (the whole text stays in the node's tooltip). */
export function fitText(text: string, width: number, px: number, mono = false): string {
  if (textWidth(text, px, mono) <= width) return text;
  const chars = Math.max(1, Math.floor(width / (px * (mono ? 0.61 : 0.64))) - 1);
  return [...text].slice(0, chars).join('') + '…';
}

/** A chip wide enough for its label (11 px bold) and its two mono lines (10 px). */
function chipWidth(min: number, label: string, ...mono: (string | undefined)[]): number {
  return Math.ceil(Math.max(min, textWidth(label, 11) + 22, ...mono.map((m) => (m ? textWidth(m, 10, true) + 18 : 0))));
}

export function endpointNodeId(host: string, ep: EndpointSnapshot): NodeId {
  return `ep:${host}:${ep.id}`;
}

function switchNetworks(h: HostSnapshot, sw: string): NetworkSnapshot[] {
  return h.networks.filter((n) => n.vSwitch === sw);
}

interface SwitchBlock {
  name: string;
  /** Two-line chips (name, IP; the MAC in the tooltip) for crowded switches. */
  compact: boolean;
  w: number;
  h: number;
  cols: number;
  eps: EndpointSnapshot[];
  collapsed: boolean;
  group: string;
}

function switchBlocks(h: HostSnapshot, opts: Required<LayoutOptions>): SwitchBlock[] {
  return h.vSwitches.map((sw) => {
    const nets = new Set(switchNetworks(h, sw.name).map((n) => n.name));
    const eps = h.endpoints.filter((e) => nets.has(e.network));
    const group = `${h.name}/${sw.name}`;
    const collapsed = eps.length > opts.collapseAbove && !opts.expanded.has(group);
    let cols: number;
    let bodyH: number;
    let w: number;
    const compact = eps.length > 8;
    const chipH = compact ? CHIP_H_COMPACT : CHIP_H;
    if (collapsed) {
      cols = Math.min(40, Math.max(12, Math.ceil(Math.sqrt(eps.length * 3))));
      w = Math.max(CHIP_W * 2 + GAP, cols * (DOT + 2) + 16);
      bodyH = Math.ceil(eps.length / cols) * (DOT + 2) + 24;
    } else {
      // Wide rather than tall: the panes are wider than high.
      cols = Math.max(1, Math.min(eps.length, Math.max(2, Math.min(10, Math.ceil(Math.sqrt(eps.length * opts.colsFactor))))));
      w = Math.max(CHIP_W * 2 + GAP, cols * (CHIP_W + GAP) - GAP);
      bodyH = eps.length ? Math.ceil(eps.length / cols) * (chipH + GAP) : 0;
    }
    const headerH = 40 + 14 * Math.max(0, switchNetworks(h, sw.name).length - 1);
    return { name: sw.name, compact, w, h: headerH + 16 + bodyH, cols, eps, collapsed, group };
  });
}

/** Lays out a snapshot. The same snapshot and options always give the same layout. */
export function layoutWorld(world: WorldSnapshot, options: LayoutOptions = {}): Layout {
  const opts: Required<LayoutOptions> = {
    expanded: options.expanded ?? new Set(),
    collapseAbove: options.collapseAbove ?? 48,
    maxRowWidth: options.maxRowWidth ?? 2000,
    colsFactor: options.colsFactor ?? 2.4,
  };
  const nodes: LNode[] = [];
  const links: LLink[] = [];
  const centre = new Map<NodeId, { x: number; y: number }>();
  const anchor = new Map<NodeId, { x: number; y: number }>();
  const alias = new Map<NodeId, NodeId>();
  const put = (n: LNode) => {
    nodes.push(n);
    centre.set(n.id, { x: n.x + n.w / 2, y: n.y + n.h / 2 });
    const chip = n.kind === 'endpoint' || n.kind === 'nic' || n.kind === 'winnat' || n.kind === 'client' || n.kind === 'router';
    anchor.set(n.id, chip ? { x: n.x + n.w - 11, y: n.y + 11 } : n.kind === 'vswitch' || n.kind === 'host' ? { x: n.x + n.w / 2, y: n.y + 6 } : { x: n.x + n.w / 2, y: n.y + n.h / 2 });
  };

  // Host boxes first, to know the width.
  interface HostBox { h: HostSnapshot; blocks: SwitchBlock[]; w: number; hgt: number; x: number; y: number }
  const boxes: HostBox[] = world.hosts.map((h) => {
    const blocks = switchBlocks(h, opts);
    const nicsW = h.nics.reduce((sum, n) => sum + nicWidth(n) + GAP, 0) + winnatWidth(h);
    const blocksW = blocks.reduce((s, b) => s + b.w + 2 * GAP, 0);
    const w = Math.max(nicsW, blocksW, 320) + 2 * HOST_PAD;
    const hgt = 28 + NIC_H + 30 + Math.max(0, ...blocks.map((b) => b.h)) + HOST_PAD;
    return { h, blocks, w, hgt, x: 0, y: 0 };
  });

  const TOP = 92;
  let x = 20;
  let y = TOP;
  let rowH = 0;
  let width = 600;
  for (const b of boxes) {
    if (x > 20 && x + b.w > opts.maxRowWidth) {
      x = 20;
      y += rowH + 40;
      rowH = 0;
    }
    b.x = x;
    b.y = y;
    x += b.w + 40;
    rowH = Math.max(rowH, b.hgt);
    width = Math.max(width, x);
  }
  const lanClients = world.clients.filter((c) => c.where === 'lan');
  const netClients = world.clients.filter((c) => c.where === 'internet');
  width = Math.max(width, 20 + 260 + 60 + (lanClients.length + 1) * 170);
  const height = y + rowH + 30;

  // Internet and router on one row above the LAN bar, internet clients beside the cloud.
  const laneY = 64;
  put({ id: 'internet', kind: 'internet', x: 20, y: 8, w: 110, h: 34, label: 'Internet' });
  netClients.forEach((c, k) => {
    put({ id: `client:${c.name}`, kind: 'client', x: 290 + k * 150, y: 8, w: 140, h: 34, label: c.name, sub: c.ip, title: `${c.name} (internet) ${c.ip}` });
    links.push({ from: `client:${c.name}`, to: 'internet', kind: 'lan', d: `M${290 + k * 150} 25 L130 25` });
  });
  put({ id: 'router', kind: 'router', x: 150, y: 10, w: 110, h: 30, label: 'Router', sub: world.lan.gateway });
  links.push({ from: 'internet', to: 'router', kind: 'lan', d: 'M130 25 L150 25' });
  const lanLabel = [`LAN ${world.lan.subnet}`, world.lan.vlans.length ? `VLANs ${world.lan.vlans.join(', ')} (trunk)` : '', world.lan.dhcp ? `DHCP ${world.lan.dhcp}` : ''].filter(Boolean).join(' · ');
  put({ id: 'lan', kind: 'lan', x: LAN_MARGIN_X - 4, y: laneY, w: width - 16 - LAN_MARGIN_X, h: 8, label: lanLabel });
  links.push({ from: 'router', to: 'lan', kind: 'lan', d: `M205 40 L205 ${laneY}` });
  lanClients.forEach((c, k) => {
    const cx = width - 20 - (k + 1) * 170;
    put({ id: `client:${c.name}`, kind: 'client', x: cx, y: 14, w: 150, h: 34, label: c.name, sub: c.ip, title: `${c.name} (LAN) ${c.ip}` });
    links.push({ from: `client:${c.name}`, to: 'lan', kind: 'lan', d: `M${cx + 75} 48 L${cx + 75} ${laneY}` });
  });

  // Hosts.
  const overlayPorts = new Map<string, { id: NodeId; x: number; y: number; right: number; mid: number; vni?: number }[]>();
  for (const b of boxes) {
    const h = b.h;
    const flags = [h.os, h.virtualized ? `VM${h.macSpoofing ? ', MAC spoofing on' : ''}` : '', h.ipv6 ? '' : 'IPv6 off', h.trunk ? '' : 'no trunk', h.dockerRunning ? '' : 'docker not started'].filter(Boolean).join(' · ');
    put({ id: `host:${h.name}`, kind: 'host', x: b.x, y: b.y, w: b.w, h: b.hgt, label: h.name, sub: flags, host: h.name });
    const nicY = b.y + 26;
    // Where the host's name and flags end (bold, measured generously): a NIC's drop to the LAN rises
    // right of them where it can.
    const labelEnd = b.x + 10 + textWidth(h.name, 13) + 10 + textWidth(flags, 11) + 12;
    let nx = b.x + HOST_PAD;
    const nicX = new Map<string, number>();
    for (const nic of h.nics) {
      const id = `nic:${h.name}:${nic.name}`;
      const nw = nicWidth(nic);
      put({ id, kind: 'nic', x: nx, y: nicY, w: nw, h: NIC_H, label: nic.name, sub: nicSub(nic), sub2: nic.mac, host: h.name });
      // A host below the first row reaches the LAN through the gap above its row and the left
      // margin, not straight up through the hosts above it.
      const cx = Math.round(Math.min(Math.max(nx + nw / 2, labelEnd), nx + nw - 14));
      const d = b.y > TOP ? `M${cx} ${nicY} L${cx} ${b.y - 14} L${LAN_MARGIN_X} ${b.y - 14} L${LAN_MARGIN_X} ${laneY + 8}` : `M${cx} ${nicY} L${cx} ${laneY + 8}`;
      links.push({ from: id, to: 'lan', kind: 'lan', d });
      nicX.set(nic.name, nx + nw / 2);
      nx += nw + GAP;
    }
    const hasInternal = h.vSwitches.some((s) => s.type === 'Internal');
    const winnatId = `winnat:${h.name}`;
    // The host's own stack (default compartment): with WinNAT when a NAT network exists. Hops at
    // `host:<name>` are drawn here too.
    put({ id: winnatId, kind: 'winnat', x: nx, y: nicY, w: winnatWidth(h), h: NIC_H, ...winnatText(h), host: h.name });
    alias.set(`host:${h.name}`, winnatId);
    const first = h.nics[0];
    if (first) links.push({ from: winnatId, to: `nic:${h.name}:${first.name}`, kind: 'internal', d: `M${nx} ${nicY + NIC_H / 2} L${nx - GAP} ${nicY + NIC_H / 2}` });
    let sx = b.x + HOST_PAD;
    const swY = nicY + NIC_H + 28;
    for (const blk of b.blocks) {
      const sw = h.vSwitches.find((s) => s.name === blk.name)!;
      const nets = switchNetworks(h, sw.name);
      const id = `vswitch:${h.name}:${sw.name}`;
      const netText = nets.map((n) => `${n.name} (${n.driver}${n.subnet ? ' ' + n.subnet : ''}${n.vlan ? ', VLAN ' + n.vlan : ''}${n.vni ? ', VNI ' + n.vni : ''})`);
      const kind = `${sw.type}${sw.embeddedTeaming ? ', SET team' : ''}${sw.vfp ? ', VFP' : ''}${sw.outOfBand ? ', out of band' : ''}`;
      put({ id, kind: 'vswitch', x: sx, y: swY, w: blk.w, h: blk.h, label: `vSwitch ${sw.name}`, sub: kind, sub2: netText.map((t) => fitText(t, blk.w - 20, 10, true)).join('\n'), driver: nets[0]?.driver, host: h.name, vlan: nets.find((n) => n.vlan)?.vlan });
      const topMid = sx + blk.w / 2;
      if (sw.type === 'External') {
        sw.nics.forEach((nic, k) => {
          const nxc = nicX.get(nic);
          if (nxc === undefined) return;
          const tx = sx + 30 + k * 24;
          // Through the gap above the host vNICs (they sit on the switches' top edges), so the wire
          // never runs over another switch or its vNIC.
          const lane = nicY + NIC_H + 5 + k * 3;
          links.push({ from: id, to: `nic:${h.name}:${nic}`, kind: 'bind', label: sw.nics.length > 1 ? 'SET' : undefined, d: `M${nxc} ${nicY + NIC_H} L${nxc} ${lane} L${tx} ${lane} L${tx} ${swY}` });
        });
      } else if (sw.hostVnic) {
        const vid = `hostvnic:${h.name}:${sw.hostVnic.name}`;
        // The host vNIC is drawn as a port on the switch's top edge.
        const vw = Math.ceil(Math.max(140, textWidth(`${sw.hostVnic.name} ${sw.hostVnic.ip ?? ''}`, 10) + 16));
        put({ id: vid, kind: 'hostvnic', x: topMid - vw / 2, y: swY - 12, w: vw, h: 18, label: sw.hostVnic.name, sub: sw.hostVnic.ip ?? '', host: h.name });
        const wx = (centre.get(winnatId)?.x ?? topMid);
        links.push({ from: vid, to: winnatId, kind: 'internal', d: `M${topMid} ${swY - 12} C${topMid} ${nicY + NIC_H + 16} ${wx} ${swY - 24} ${wx} ${nicY + NIC_H}` });
      }
      // Endpoints.
      const bodyY = swY + 40 + 14 * Math.max(0, nets.length - 1) + 8;
      if (blk.collapsed) {
        put({ id: `group:${blk.group}`, kind: 'group', x: sx + 8, y: bodyY - 4, w: blk.w - 16, h: 16, label: `${blk.eps.length} endpoints — collapsed (click to expand)`, group: blk.group, host: h.name });
        blk.eps.forEach((e, k) => {
          const col = k % blk.cols;
          const row = Math.floor(k / blk.cols);
          const eid = endpointNodeId(h.name, e);
          put({ id: eid, kind: 'dot', x: sx + 8 + col * (DOT + 2), y: bodyY + 16 + row * (DOT + 2), w: DOT, h: DOT, label: e.container, sub: e.ip ?? '', sub2: e.mac, driver: nets.find((n) => n.name === e.network)?.driver, host: h.name, title: `${e.container} ${e.ip ?? ''} ${e.mac} (${e.network})` });
        });
      } else {
        blk.eps.forEach((e, k) => {
          const col = k % blk.cols;
          const row = Math.floor(k / blk.cols);
          const ex = sx + col * (CHIP_W + GAP) + (blk.w - (blk.cols * (CHIP_W + GAP) - GAP)) / 2;
          const chipH = blk.compact ? CHIP_H_COMPACT : CHIP_H;
          const ey = bodyY + row * (chipH + GAP);
          const eid = endpointNodeId(h.name, e);
          const net = nets.find((n) => n.name === e.network);
          const ports = e.ports.map((p) => `${p.hostPort}→${p.containerPort}`).join(' ');
          put({
            id: eid, kind: 'endpoint', x: ex, y: ey, w: CHIP_W, h: chipH,
            label: fitText(e.container + (e.state === 'stopped' ? ' (stopped)' : ''), CHIP_W - 22 - ((e.vlan ?? net?.vlan) ? 48 : 0), 11),
            sub: fitText(`${e.ip ?? 'no IP'}${ports ? '  ' + ports : ''}`, CHIP_W - 16, 10, true), sub2: blk.compact ? undefined : e.mac, driver: net?.driver, vlan: e.vlan ?? net?.vlan, host: h.name,
            title: `${e.container} on ${e.network}: ${e.ip ?? 'no IP'}, ${e.mac}, compartment ${e.compartment}${e.service ? ', service ' + e.service : ''}`,
          });
        });
      }
      for (const n of nets) {
        if (n.driver === 'overlay') {
          const list = overlayPorts.get(n.name) ?? [];
          list.push({ id, x: sx + blk.w / 2, y: swY + blk.h, right: sx + blk.w, mid: swY + blk.h / 2, vni: n.vni });
          overlayPorts.set(n.name, list);
        }
      }
      sx += blk.w + 2 * GAP;
    }
  }

  // VXLAN tunnels between the hosts' switches of the same overlay network: under the switches when
  // the hosts sit side by side, out to the right when they are stacked.
  let lane = 0;
  let extraW = 0;
  for (const [name, ports] of overlayPorts) {
    for (let k = 1; k < ports.length; k++) {
      const a = ports[k - 1];
      const b = ports[k];
      const label = `VXLAN ${name}${a.vni ? ' VNI ' + a.vni : ''} (UDP 4789)`;
      if (Math.abs(a.y - b.y) < 1) {
        const dip = Math.max(a.y, b.y) + 14 + lane * 8;
        links.push({ from: a.id, to: b.id, kind: 'vxlan', label, d: `M${a.x} ${a.y} C${a.x} ${dip + 12} ${b.x} ${dip + 12} ${b.x} ${b.y}`, lx: (a.x + b.x) / 2, ly: dip + 6 });
      } else {
        const out = Math.max(a.right, b.right) + 40 + lane * 14;
        links.push({ from: a.id, to: b.id, kind: 'vxlan', label, d: `M${a.right} ${a.mid} C${out} ${a.mid} ${out} ${b.mid} ${b.right} ${b.mid}`, lx: out - 6, ly: (a.mid + b.mid) / 2 + 4, anchor: 'start' });
        extraW = Math.max(extraW, out + 200 - width);
      }
    }
    lane++;
  }
  width += Math.max(0, extraW);

  return { width, height: height + lane * 8 + 20, nodes, links, centre, anchor, alias };
}

function nicSub(nic: HostSnapshot['nics'][number]): string {
  return nic.ip ?? 'bound to ' + (nic.vSwitch ?? '—');
}

function nicWidth(nic: HostSnapshot['nics'][number]): number {
  return chipWidth(NIC_W, `⇅ ${nic.name}`, nicSub(nic), nic.mac);
}

function winnatText(h: HostSnapshot): { label: string; sub: string } {
  const nat = h.vSwitches.some((s) => s.type === 'Internal');
  return nat ? { label: 'WinNAT', sub: 'host stack, compartment 1' } : { label: 'Host stack', sub: 'compartment 1' };
}

function winnatWidth(h: HostSnapshot): number {
  const t = winnatText(h);
  return chipWidth(NIC_W, `⇄ ${t.label}`, t.sub);
}

/**
 * Places a hop on the drawing: `Hop.node` when the simulation gave it, else read from `Hop.at`
 * (`vSwitch nat, port web`, `compartment 2 (web)`, `host stack (Ethernet)`, `WinNAT (Ethernet)`,
 * `Ethernet → LAN`, `LAN switch`, `router`, `internet`).
 */
export function hopNode(hop: { host: string; at: string; node?: string; stage?: string }, world: WorldSnapshot | undefined): NodeId {
  if (hop.node) return hop.node;
  if (!world) return `host:${hop.host}`;
  const at = hop.at;
  const h = world.hosts.find((x) => x.name === hop.host);
  // A client's own hops (`laptop | LAN | deliver`): the packet is at the client.
  const own = !h ? world.clients.find((c) => c.name === hop.host) : undefined;
  if (own && (at === own.name || at === 'LAN' || hop.stage === 'deliver')) return `client:${own.name}`;
  const toLan = /^(.+) → LAN$/.exec(at);
  if (toLan && h?.nics.some((n) => n.name === toLan[1])) return `nic:${h.name}:${toLan[1]}`;
  if (/^wire|LAN/i.test(at)) return 'lan';
  if (/router/i.test(at)) return 'router';
  if (/internet/i.test(at)) return 'internet';
  const client = world.clients.find((c) => c.name === hop.host || c.name === at);
  if (client && !h) return `client:${client.name}`;
  if (!h) return `host:${hop.host}`;
  // `compartment 3 (web)`: the container's own network stack.
  const comp = /^compartment (\d+)(?: \(([^)]*)\))?/.exec(at);
  if (comp) {
    const ep = h.endpoints.find((e) => e.compartment === Number(comp[1])) ?? h.endpoints.find((e) => e.container === comp[2]);
    if (ep) return endpointNodeId(h.name, ep);
    return `host:${h.name}`;
  }
  // `vSwitch nat, port web` / `vSwitch nat, vEthernet (nat)` / `vSwitch t, ExternalPort (Ethernet 2)`
  const sw = /^vSwitch ([^,]+)(?:, (.*))?$/.exec(at);
  if (sw) {
    const name = sw[1].trim();
    const port = sw[2] ?? '';
    const pm = /^port ([^\s(]+)/.exec(port);
    if (pm) {
      const ep = h.endpoints.find((e) => e.container === pm[1] && (h.networks.find((n) => n.name === e.network)?.vSwitch ?? name) === name) ?? h.endpoints.find((e) => e.container === pm[1]);
      if (ep) return endpointNodeId(h.name, ep);
    }
    const vs = h.vSwitches.find((v) => v.name === name);
    if (vs?.hostVnic && /^vEthernet/.test(port)) return `hostvnic:${h.name}:${vs.hostVnic.name}`;
    return `vswitch:${h.name}:${name}`;
  }
  const container = /^container (\S+)/.exec(at)?.[1];
  if (container) {
    const ep = h.endpoints.find((e) => e.container === container);
    if (ep) return endpointNodeId(h.name, ep);
  }
  // `host stack (Ethernet)`, `WinNAT (Ethernet)`: the host's own stack (drawn with WinNAT when it has one).
  if (/WinNAT|^host stack/i.test(at)) {
    if (h.vSwitches.some((v) => v.type === 'Internal')) return `winnat:${h.name}`;
    const via = /\(([^)]+)\)/.exec(at)?.[1];
    if (via && h.nics.some((n) => n.name === via)) return `nic:${h.name}:${via}`;
    return `host:${h.name}`;
  }
  const vnic = h.vSwitches.find((s) => s.hostVnic?.name === at);
  if (vnic) return `hostvnic:${h.name}:${at}`;
  const nic = h.nics.find((n) => at === n.name || at.startsWith(n.name + ' ') || at.includes(`(${n.name})`));
  if (nic) return `nic:${h.name}:${nic.name}`;
  return `host:${h.name}`;
}

/**
 * Points of a packet's path on the drawing: node centres, except on the LAN bar, where the packet
 * is drawn where it meets the bar (above the neighbouring hop) rather than at the bar's middle.
 */
export function pathPoints(ids: NodeId[], layout: Layout): ({ x: number; y: number } | undefined)[] {
  const lan = layout.nodes.find((n) => n.kind === 'lan');
  const raw = ids.map((id) => layout.anchor.get(layout.alias.get(id) ?? id));
  return ids.map((id, k) => {
    if (id !== 'lan' || !lan) return raw[k];
    const near = raw[k - 1] ?? raw[k + 1] ?? raw[k];
    const x = Math.max(lan.x + 4, Math.min(lan.x + lan.w - 4, near?.x ?? lan.x + lan.w / 2));
    return { x, y: lan.y + lan.h / 2 };
  });
}
