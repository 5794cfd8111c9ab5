/**
 * Bench workload `switch`: the vSwitch's Layer-2 forwarding (stage switch) with 65536 MACs in the
 * FDB spread over 64 untagged ports, batches of 256 64-byte frames between uniformly random known
 * stations on different ports (known unicast: every packet is looked up twice, source and
 * destination, and forwarded; nothing floods, nothing hairpins).
 *
 *   learned=0: the 65536 entries are loaded as static entries.
 *   learned=1: the FDB is loaded empty and the data plane learns every entry in setup, one frame per
 *              station from its own port (addressed to itself, so each is dropped as a hairpin after
 *              the source was learned: no flood copies).
 * In the timed batches every source is already known on its ingress port, so learning keeps it
 * (no write) in both variants: they differ in how the table was filled (insertion order, static bit).
 *
 * The switch reads D_DATA, D_IN_PORT and D_VLAN only (vlan-in is not in the program: D_VLAN stays 0,
 * the untagged domain) and changes descriptors only (D_OUT_PORT): restoreBytes 0.
 */
import * as abi from '../../abi.js';
import type { PacketCore, ProgramStep } from '../../engine/core.js';
import { loadFdb } from '../../engine/loaders/fdb.js';
import { loadVlanPorts } from '../../engine/loaders/vlan-ports.js';
import type { FdbEntry } from '../../table-images/fdb.js';
import { below, ip4, pushFrames, rng, udpFrame } from '../frames.js';
import type { Prepared, Workload } from '../types.js';

/** vSwitch id the workload loads (stage a0). */
export const SWITCH_BENCH_VSWITCH = 1;

export interface SwitchOptions {
  macs?: number;
  ports?: number;
  /** Fill the FDB by learning (true) or load the entries as static (false). */
  learned?: boolean;
  batch?: number;
  size?: number;
  seed?: number;
}

/** Station k: a unicast MAC 00-15-5D-4x-xx-xx on port k mod `ports`, address 10.64.0.0 + k. */
export function switchStations(macs: number, ports: number): (FdbEntry & { ip: number })[] {
  return Array.from({ length: macs }, (_, k) => ({ mac: 0x00155d400000 + k, vlan: 0, port: k % ports, ip: (ip4(10, 64, 0, 0) + k) >>> 0 }));
}

/** The frames that teach every station, built once per table shape (both cores use them). */
const teachFrames = new Map<string, Uint8Array[]>();

/** Loads the vSwitch on `core` (ports, FDB, learned or static) and returns the batch. */
export function setupSwitch(core: PacketCore, o: SwitchOptions = {}): Prepared {
  const macs = o.macs ?? 65536;
  const nports = o.ports ?? 64;
  const batch = o.batch ?? 256;
  const size = o.size ?? 64;
  if (nports < 2) throw new RangeError('the switch workload needs two ports at least');
  const stations = switchStations(macs, nports);
  loadVlanPorts(core, SWITCH_BENCH_VSWITCH, Array.from({ length: nports }, (_, port) => ({ port, mode: 'untagged' as const })));
  const program: ProgramStep[] = [{ stage: abi.STAGE_SWITCH, a0: SWITCH_BENCH_VSWITCH }];
  if (o.learned) {
    loadFdb(core, SWITCH_BENCH_VSWITCH, { capacity: macs });
    const key = `${macs}/${nports}`;
    let teach = teachFrames.get(key);
    if (!teach) {
      teach = stations.map((s) => udpFrame({ srcMac: s.mac, dstMac: s.mac, src: s.ip, dst: s.ip, sport: 9, dport: 9 }, 64));
      teachFrames.set(key, teach);
    }
    pushFrames(core, teach, program, stations.map((s) => s.port));
    core.resetCounters();
  } else {
    loadFdb(core, SWITCH_BENCH_VSWITCH, { capacity: macs, entries: stations.map(({ mac, vlan, port }) => ({ mac, vlan, port })) });
  }
  const r = rng(o.seed ?? 0x5717);
  const frames: Uint8Array[] = [];
  const inPorts: number[] = [];
  for (let k = 0; k < batch; k++) {
    const s = stations[below(r, macs)];
    let d = stations[below(r, macs)];
    while (d.port === s.port) d = stations[below(r, macs)];
    frames.push(udpFrame({ srcMac: s.mac, dstMac: d.mac, src: s.ip, dst: d.ip, sport: 49152 + (k & 0x3fff), dport: 5001 }, size));
    inPorts.push(s.port);
  }
  return { program, frames, inPorts, restoreBytes: 0 };
}

export function switchWorkloads(opts: { quick: boolean }): Workload[] {
  return (opts.quick ? [0] : [0, 1]).map((learned) => ({
    name: 'switch',
    stage: 'switch',
    params: { macs: 65536, ports: 64, batch: 256, size: 64, learned },
    setup: (core: PacketCore) => setupSwitch(core, { learned: learned === 1 }),
  }));
}
