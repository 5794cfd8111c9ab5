/**
 * A packet's path drawn on the wires of the topology: from hop to hop along the links the layout
 * drew (LAN drops, NIC bindings, host vNIC to WinNAT, the VXLAN tunnel arc) and, inside a vSwitch,
 * along a port bus that runs between the switch's header and its endpoint chips, reaching each chip
 * through the gap beside it. The line never cuts across a box the packet is not in: it leaves a node
 * only along a link of that node, and crosses a box only when the packet passes that box's node.
 *
 * Pure: a Layout and node ids in, SVG path data out (one route per hop, so the page can animate a
 * step along its own piece of wire).
 */
import type { Layout, LLink, LNode } from './layout.js';
import type { NodeId } from '../../../src/result.js';

interface Pt {
  x: number;
  y: number;
}

/** One drawable piece of wire between two nodes: a polyline, or a cubic curve (4 points), from a to b. */
interface Edge {
  a: NodeId;
  b: NodeId;
  pts: Pt[];
  curve?: boolean;
}

/** `M x y L x y ...` (a polyline) or `M x y C x y x y x y` (a curve) → points. */
function parseD(d: string): { pts: Pt[]; curve: boolean } | null {
  const nums = d.match(/-?\d+(?:\.\d+)?/g)?.map(Number);
  if (!nums || nums.length % 2 || !/^M/.test(d.trim())) return null;
  const curve = /C/.test(d);
  const pts: Pt[] = [];
  for (let k = 0; k < nums.length; k += 2) pts.push({ x: nums[k], y: nums[k + 1] });
  if (curve ? pts.length !== 4 : pts.length < 2) return null;
  return { pts, curve };
}

function distance(p: Pt, n: LNode | undefined): number {
  if (!n) return Infinity;
  const dx = Math.max(n.x - p.x, 0, p.x - (n.x + n.w));
  const dy = Math.max(n.y - p.y, 0, p.y - (n.y + n.h));
  return Math.hypot(dx, dy);
}

/** A link's points ordered from its `from` node to its `to` node (the layout draws some the other way). */
function oriented(l: LLink, byId: Map<NodeId, LNode>): { pts: Pt[]; curve: boolean } | null {
  const parsed = parseD(l.d);
  if (!parsed) return null;
  const { pts } = parsed;
  const from = byId.get(l.from);
  const reversed = distance(pts[pts.length - 1], from) < distance(pts[0], from);
  return { pts: reversed ? [...pts].reverse() : pts, curve: parsed.curve };
}

function inside(n: LNode, box: LNode): boolean {
  return n.x >= box.x && n.y >= box.y && n.x + n.w <= box.x + box.w && n.y + n.h <= box.y + box.h + 1;
}

/** The y of a vSwitch's port bus: just above its first row of chips (or near its bottom when empty). */
function busY(sw: LNode, chips: LNode[]): number {
  const top = Math.min(...chips.map((c) => c.y));
  return Number.isFinite(top) ? top - 5 : sw.y + sw.h - 8;
}

/** The x of a vSwitch's side nearer to `x`, just inside its border. */
function sideX(sw: LNode, x: number): number {
  return x - sw.x < sw.x + sw.w - x ? sw.x + 1 : sw.x + sw.w - 1;
}

/** From a point of a vSwitch's top edge along that edge to the nearer side, then down it to the bus. */
function edgeDrop(sw: LNode, x: number, bus: number): Pt[] {
  const side = sideX(sw, x);
  return [{ x, y: sw.y }, { x: side, y: sw.y }, { x: side, y: bus }];
}

/** Where a point lies along a box's border, clockwise from its top-left corner, after snapping it there. */
function borderPos(p: Pt, n: LNode): { t: number; pt: Pt } {
  const x = Math.min(Math.max(p.x, n.x), n.x + n.w);
  const y = Math.min(Math.max(p.y, n.y), n.y + n.h);
  const d = [y - n.y, n.x + n.w - x, n.y + n.h - y, x - n.x];
  const side = d.indexOf(Math.min(...d));
  if (side === 0) return { t: x - n.x, pt: { x, y: n.y } };
  if (side === 1) return { t: n.w + (y - n.y), pt: { x: n.x + n.w, y } };
  if (side === 2) return { t: n.w + n.h + (n.x + n.w - x), pt: { x, y: n.y + n.h } };
  return { t: 2 * n.w + n.h + (n.y + n.h - y), pt: { x: n.x, y } };
}

/**
 * The way from `p` to `q` around a box's border (the shorter way round): a wire that enters a box
 * and leaves it elsewhere follows its outline instead of running over its text.
 */
function aroundBox(p: Pt, q: Pt, n: LNode): Pt[] {
  const per = 2 * (n.w + n.h);
  const a = borderPos(p, n);
  const b = borderPos(q, n);
  const corners = [
    { t: 0, pt: { x: n.x, y: n.y } },
    { t: n.w, pt: { x: n.x + n.w, y: n.y } },
    { t: n.w + n.h, pt: { x: n.x + n.w, y: n.y + n.h } },
    { t: 2 * n.w + n.h, pt: { x: n.x, y: n.y + n.h } },
  ];
  const forward = (((b.t - a.t) % per) + per) % per;
  const clockwise = forward <= per - forward;
  const dist = (c: number) => (clockwise ? (((c - a.t) % per) + per) % per : (((a.t - c) % per) + per) % per);
  const span = clockwise ? forward : per - forward;
  const passed = corners.filter((c) => dist(c.t) > 0 && dist(c.t) < span).sort((u, v) => dist(u.t) - dist(v.t));
  return [a.pt, ...passed.map((c) => c.pt), b.pt];
}

/**
 * Inside a vSwitch the wire keeps to its port bus: along the bus to the side nearer to where it
 * leaves, then along that side (a wire that leaves through the bottom edge drops through the gap
 * beside the chips it came from).
 */
function acrossSwitch(p: Pt, q: Pt, sw: LNode): Pt[] {
  if (p.y === q.y || p.x === q.x) return [q];
  if (q.y >= sw.y + sw.h - 1) return [{ x: p.x, y: q.y }, q];
  const side = q.x >= sw.x + sw.w - 1 ? sw.x + sw.w - 1 : q.x <= sw.x + 1 ? sw.x + 1 : sideX(sw, q.x);
  return [{ x: side, y: p.y }, { x: side, y: q.y }, q];
}

/** The graph of wires: the layout's links plus the ports of every vSwitch. */
export function wireGraph(layout: Layout): Map<NodeId, Edge[]> {
  const graph = new Map<NodeId, Edge[]>();
  const add = (e: Edge) => {
    (graph.get(e.a) ?? graph.set(e.a, []).get(e.a)!).push(e);
    const back = { a: e.b, b: e.a, pts: [...e.pts].reverse(), curve: e.curve };
    (graph.get(e.b) ?? graph.set(e.b, []).get(e.b)!).push(back);
  };
  const byId = new Map(layout.nodes.map((n) => [n.id, n]));
  const switches = layout.nodes.filter((n) => n.kind === 'vswitch');
  for (const sw of switches) {
    const members = layout.nodes.filter((n) => (n.kind === 'endpoint' || n.kind === 'dot') && n.host === sw.host && inside(n, sw));
    const y = busY(sw, members);
    for (const c of members) {
      // Down the gap left of the chip, then along the bus: never over a neighbouring chip.
      const gx = c.x - 3;
      add({ a: c.id, b: sw.id, pts: [{ x: gx, y: c.y + c.h / 2 }, { x: gx, y }] });
    }
    for (const l of layout.links) {
      // A link that ends on the switch's edge (a NIC binding, the host vNIC) reaches the bus straight down.
      if (l.from !== sw.id && l.to !== sw.id) continue;
      if (l.kind === 'vxlan') continue;
      const o = oriented(l, byId);
      if (!o) continue;
      const toSwitch = l.to === sw.id ? o.pts : [...o.pts].reverse();
      const other = l.from === sw.id ? l.to : l.from;
      const end = toSwitch[toSwitch.length - 1];
      // The link itself, then along the switch's edge down to the bus, never over its header's
      // text (a curve stays one edge, the drop another).
      add({ a: other, b: `${sw.id}#port:${other}`, pts: toSwitch, curve: o.curve });
      add({ a: `${sw.id}#port:${other}`, b: sw.id, pts: edgeDrop(sw, end.x, y) });
    }
  }
  for (const l of layout.links) {
    const sw = byId.get(l.from)?.kind === 'vswitch' || byId.get(l.to)?.kind === 'vswitch';
    if (sw && l.kind !== 'vxlan') continue;
    const o = oriented(l, byId);
    if (o) add({ a: l.from, b: l.to, pts: o.pts, curve: o.curve });
  }
  // The host vNIC sits on the switch's top edge: its port to the bus.
  for (const n of layout.nodes.filter((x) => x.kind === 'hostvnic')) {
    const sw = switches.find((s) => s.host === n.host && n.x >= s.x && n.x + n.w <= s.x + s.w && n.y + n.h >= s.y && n.y <= s.y + 10);
    if (!sw) continue;
    const members = layout.nodes.filter((m) => (m.kind === 'endpoint' || m.kind === 'dot') && m.host === sw.host && inside(m, sw));
    // From the vNIC's end on the switch's top edge, along that edge and down the side to the bus.
    const x = n.x + n.w / 2 < sw.x + sw.w / 2 ? n.x : n.x + n.w;
    add({ a: n.id, b: sw.id, pts: edgeDrop(sw, x, busY(sw, members)) });
  }
  return graph;
}

/** Shortest chain of edges from `a` to `b` (breadth first), or null. */
function route(graph: Map<NodeId, Edge[]>, a: NodeId, b: NodeId): Edge[] | null {
  if (a === b) return [];
  const prev = new Map<NodeId, Edge>();
  const seen = new Set([a]);
  const queue = [a];
  while (queue.length) {
    const n = queue.shift()!;
    for (const e of graph.get(n) ?? []) {
      if (seen.has(e.b)) continue;
      seen.add(e.b);
      prev.set(e.b, e);
      if (e.b === b) {
        const out: Edge[] = [];
        for (let k: NodeId = b; k !== a; k = prev.get(k)!.a) out.unshift(prev.get(k)!);
        return out;
      }
      queue.push(e.b);
    }
  }
  return null;
}

function fmt(p: Pt): string {
  return `${Math.round(p.x * 10) / 10} ${Math.round(p.y * 10) / 10}`;
}

/** Boxes a wire goes round when it crosses their node (a vSwitch keeps to its bus, the LAN is a bar). */
const ROUND = new Set(['internet', 'router', 'client', 'nic', 'winnat', 'hostvnic', 'endpoint']);

/** From where one wire ends to where the next starts, across the node between them. */
function across(at: Pt, next: Pt, node: LNode | undefined): Pt[] {
  if (at.x === next.x && at.y === next.y) return [];
  if (node && ROUND.has(node.kind)) return aroundBox(at, next, node);
  if (node?.kind === 'vswitch') return acrossSwitch(at, next, node);
  // One elbow, not a diagonal.
  return at.x !== next.x && at.y !== next.y ? [{ x: at.x, y: next.y }, next] : [next];
}

/** Path data through a chain of edges; within a node the line joins one edge's end to the next's start. */
function dOf(edges: Edge[], byId: Map<NodeId, LNode>): string {
  if (!edges.length) return '';
  let d = `M${fmt(edges[0].pts[0])}`;
  let at = edges[0].pts[0];
  for (const [k, e] of edges.entries()) {
    const next = e.pts[0];
    for (const p of k ? across(at, next, byId.get(e.a)) : [next]) d += ` L${fmt(p)}`;
    at = e.pts[e.pts.length - 1];
    if (e.curve) d += ` C${fmt(e.pts[1])} ${fmt(e.pts[2])} ${fmt(e.pts[3])}`;
    else for (const p of e.pts.slice(1)) d += ` L${fmt(p)}`;
  }
  return d;
}

export interface WirePath {
  /** The whole path, for the drawn line ('' when fewer than two hops can be placed). */
  d: string;
  /** `hops[k]`: the wire from hop k-1 to hop k ('' for the first hop, or a hop at the same node). */
  hops: string[];
  /** Where the packet rests at each hop: the end of its wire, or the node's anchor. */
  at: (Pt | undefined)[];
}

/**
 * The wire a packet follows through `ids` (its hops' nodes, in order). Hops whose node is not drawn
 * are skipped; two drawn nodes with no chain of wires between them (should not happen) are joined
 * by a straight line so the path never silently breaks.
 */
export function wirePath(ids: NodeId[], layout: Layout, graph = wireGraph(layout)): WirePath {
  const byId = new Map(layout.nodes.map((n) => [n.id, n]));
  const resolved = ids.map((id) => layout.alias.get(id) ?? id);
  const drawn = new Set(layout.nodes.map((n) => n.id));
  const hops: string[] = [];
  const at: (Pt | undefined)[] = [];
  const all: Edge[] = [];
  let last: NodeId | undefined;
  let lastPt: Pt | undefined;
  for (const id of resolved) {
    if (!drawn.has(id)) {
      hops.push('');
      at.push(lastPt);
      continue;
    }
    if (last === undefined || last === id) {
      hops.push('');
      lastPt = lastPt ?? layout.anchor.get(id);
      at.push(lastPt);
      last = id;
      continue;
    }
    let chain = route(graph, last, id);
    if (!chain) {
      const p = lastPt ?? layout.anchor.get(last)!;
      const q = layout.anchor.get(id)!;
      chain = [{ a: last, b: id, pts: [p, q] }];
    }
    hops.push(dOf(chain, byId));
    all.push(...chain);
    lastPt = chain.length ? chain[chain.length - 1].pts[chain[chain.length - 1].pts.length - 1] : lastPt;
    at.push(lastPt);
    last = id;
  }
  // Before the first wire the packet waits where that wire starts.
  const start = all[0]?.pts[0];
  if (start) for (let k = 0; k < at.length && !hops.slice(0, k + 1).some(Boolean); k++) at[k] = start;
  return { d: dOf(all, byId), hops, at };
}
