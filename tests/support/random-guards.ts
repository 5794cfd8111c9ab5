/**
 * Seeded random guards (stage guard) for the data-plane tests, biased to the pools of
 * ./random-frames.ts so terms match some packets and miss others: every field kind, several terms,
 * negation, the empty guard.
 */
import * as abi from '../../src/abi.js';
import type { Guard, GuardTerm } from '../../src/table-images/guard.js';
import { pick, randInt, type Pools, type R } from './random-frames.js';

const PORTS = [22, 53, 67, 80, 443, 4789];
const FLAGS = [abi.F_VLAN_TAGGED, abi.F_VXLAN, abi.F_BCAST, abi.F_FRAGMENT, abi.F_ARP, abi.F_VLAN_TAGGED | abi.F_BCAST];

function randRange(r: R): { lo: number; hi: number } {
  if (r() < 0.5) {
    const p = pick(r, PORTS);
    return { lo: p, hi: p };
  }
  const lo = randInt(r, 0, 65535);
  return { lo, hi: Math.min(65535, lo + randInt(r, 0, r() < 0.5 ? 100 : 40000)) };
}

export function randomTerm(r: R, pools: Pools): GuardTerm {
  const t: GuardTerm = {};
  // One to three fields; any field may appear.
  for (let k = randInt(r, 1, 3); k > 0; k--) {
    switch (randInt(r, 0, 8)) {
      case 0: t.srcIp = { base: pick(r, pools.ips), len: pick(r, [0, 8, 16, 24, 32, randInt(r, 0, 32)]) }; break;
      case 1: t.dstIp = { base: pick(r, pools.ips), len: pick(r, [0, 8, 16, 24, 32, randInt(r, 0, 32)]) }; break;
      case 2: t.proto = pick(r, [1, 6, 17, 47, randInt(r, 0, 255)]); break;
      case 3: t.sport = randRange(r); break;
      case 4: t.dport = randRange(r); break;
      case 5: t.srcMac = pick(r, pools.macs); break;
      case 6: t.dstMac = r() < 0.8 ? pick(r, pools.macs) : 0xffff_ffff_ffff; break;
      case 7: t.flags = pick(r, FLAGS); break;
      default: t.opensFlow = r() < 0.7;
    }
  }
  return t;
}

export function randomGuard(r: R, pools: Pools): Guard {
  const x = r();
  const terms = x < 0.05 ? [] : Array.from({ length: x < 0.6 ? 1 : randInt(r, 2, 4) }, () => randomTerm(r, pools));
  return { terms, negate: r() < 0.3 };
}
