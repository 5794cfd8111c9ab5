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
      // The link itself, then straight down to the bus (a curve stays one edge, the drop another).
      add({ a: other, b: `${sw.id}#port:${other}`, pts: toSwitch, curve: o.curve });
      add({ a: `${sw.id}#port:${other}`, b: sw.id, pts: [end, { x: end.x, y }] });
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
    const x = n.x + n.w / 2;
    add({ a: n.id, b: sw.id, pts: [{ x, y: n.y + n.h }, { x, y: busY(sw, members) }] });
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

/** Path data through a chain of edges; within a node the line joins one edge's end to the next's start. */
function dOf(edges: Edge[]): string {
  if (!edges.length) return '';
  let d = `M${fmt(edges[0].pts[0])}`;
  let at = edges[0].pts[0];
  for (const e of edges) {
    // Across a node from where one wire ends to where the next starts: one elbow, not a diagonal.
    const next = e.pts[0];
    if (at.x !== next.x && at.y !== next.y) d += ` L${fmt({ x: at.x, y: next.y })}`;
    d += ` L${fmt(next)}`;
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
    hops.push(dOf(chain));
    all.push(...chain);
    lastPt = chain.length ? chain[chain.length - 1].pts[chain[chain.length - 1].pts.length - 1] : lastPt;
    at.push(lastPt);
    last = id;
  }
  // Before the first wire the packet waits where that wire starts.
  const start = all[0]?.pts[0];
  if (start) for (let k = 0; k < at.length && !hops.slice(0, k + 1).some(Boolean); k++) at[k] = start;
  return { d: dOf(all), hops, at };
}
