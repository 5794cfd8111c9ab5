/**
 * A data plane at one place of the simulated world (a host, or the LAN with its router): runs a
 * program over one frame with tracing on and returns what came out.
 */
import * as abi from '../abi.js';
import { type Descriptor, type PacketCore, type ProgramStep, readDescriptor, readFrame, writeBatch } from '../engine/core.js';
import type { TraceEvent } from '../engine/trace.js';

export interface PlaneOut {
  frame: Uint8Array;
  /** Null when no program ran (the frame passed through untouched). */
  desc: Descriptor | null;
  /** Trace events of this output (packet index 0 = the original; replicas carry their own). */
  events: TraceEvent[];
}

export interface Plane {
  readonly core: PacketCore;
  /**
   * Runs `program` over one frame arriving on `inPort`. `carry` continues a packet from the previous
   * place: its descriptor (offsets, VLAN, out-port, context, hash) is restored, so a program that
   * does not start with parse sees what the earlier stages found.
   */
  run(frame: Uint8Array, inPort: number, program: ProgramStep[], ctx?: number, carry?: Descriptor | null): PlaneOut[];
}

export class CorePlane implements Plane {
  constructor(readonly core: PacketCore) {}

  run(frame: Uint8Array, inPort: number, program: ProgramStep[], ctx = 0, carry: Descriptor | null = null): PlaneOut[] {
    const core = this.core;
    writeBatch(core, [frame], inPort, ctx);
    if (carry) restoreDescriptor(core, 0, carry, inPort, ctx);
    core.setTracing(true);
    const n = core.run(1, program);
    const events = core.traceEvents();
    core.setTracing(false);
    // Each output's events, in order, in one pass (a flood has an output per port).
    const byPkt: TraceEvent[][] = Array.from({ length: n }, () => []);
    for (const e of events) byPkt[e.pkt]?.push(e);
    const outs: PlaneOut[] = [];
    for (let i = 0; i < n; i++) {
      // Replicas share the original's history up to the flood; give each the events before it.
      outs.push({ frame: readFrame(core, i), desc: readDescriptor(core, i), events: i > 0 ? [...byPkt[0]!, ...byPkt[i]!] : byPkt[0]! });
    }
    return outs;
  }
}

/** Writes a carried descriptor back for packet i (its frame is already in the slot). */
export function restoreDescriptor(core: PacketCore, i: number, c: Descriptor, inPort: number, ctx: number): void {
  const dv = core.view();
  const d = core.descBase + i * abi.DESC_SIZE;
  dv.setUint8(d + abi.D_L3, c.l3);
  dv.setUint8(d + abi.D_L4, c.l4);
  dv.setUint16(d + abi.D_IN_PORT, inPort, true);
  dv.setUint16(d + abi.D_OUT_PORT, c.outPort, true);
  dv.setUint16(d + abi.D_VLAN, c.vlan, true);
  dv.setUint16(d + abi.D_ETHERTYPE, c.ethertype, true);
  dv.setUint8(d + abi.D_PROTO, c.proto);
  dv.setUint8(d + abi.D_FLAGS, c.flags);
  dv.setUint32(d + abi.D_AUX, c.aux, true);
  dv.setUint32(d + abi.D_CTX, ctx || c.ctx, true);
  dv.setUint32(d + abi.D_HASH, c.hash, true);
}
