/**
 * Random "worlds" for the cross-stage property tests: tables for every stage the data plane has
 * (vSwitch ports + FDB, l2bridge network, routing domain, and — when those stages are in the tree —
 * an ACL rule set, a WinNAT instance and a VTEP table), loaded identically into any number of cores,
 * and random programs over the stages present.
 */
import * as abi from '../../src/abi.js';
import type { PacketCore, ProgramStep } from '../../src/engine/core.js';
import { loadVlanPorts } from '../../src/engine/loaders/vlan-ports.js';
import { loadFdb } from '../../src/engine/loaders/fdb.js';
import { loadEndpointMap, setHostMac } from '../../src/engine/loaders/endpoint-map.js';
import { loadRoutes, loadNeighbors } from '../../src/engine/loaders/routes.js';
import { loadAcl } from '../../src/engine/loaders/acl.js';
import { loadNat } from '../../src/engine/loaders/nat.js';
import { loadVtepTable } from '../../src/engine/loaders/vxlan.js';
import { loadGuard } from '../../src/engine/loaders/guard.js';
import { VLAN_PORT_FIXED, type VlanPort } from '../../src/table-images/vlan-ports.js';
import type { Route } from '../../src/table-images/routes.js';
import type { AclRule } from '../../src/table-images/acl-rules.js';
import { pick, randInt, unicastMac, type Pools, type R } from './random-frames.js';
import { randomGuard } from './random-guards.js';

export const ALL_STAGES = [
  abi.STAGE_PARSE, abi.STAGE_VLAN_IN, abi.STAGE_VLAN_OUT, abi.STAGE_ACL, abi.STAGE_NAT, abi.STAGE_VXLAN_ENCAP,
  abi.STAGE_VXLAN_DECAP, abi.STAGE_MAC_REWRITE, abi.STAGE_SWITCH, abi.STAGE_ROUTE, abi.STAGE_GUARD,
];

/** The stages a core's pipeline dispatches: an empty batch through each id (unknown ids abort). */
export function presentStages(core: PacketCore): number[] {
  return ALL_STAGES.filter((stage) => {
    try {
      core.run(0, [{ stage }]);
      return true;
    } catch {
      return false;
    }
  });
}

/** The stages every one of `cores` dispatches (the differential tests run only those). */
export function presentOnAll(cores: PacketCore[]): number[] {
  const each = cores.map((c) => new Set(presentStages(c)));
  return ALL_STAGES.filter((s) => each.every((set) => set.has(s)));
}

export interface World {
  ports: number;
  stages: number[];
  /** Overlay network ids usable as D_CTX (vxlan). */
  networks: number[];
}

const VS = 3;
const NET = 5;
const DOMAIN = 7;
const ACL_ID = 2;
const NAT_ID = 1;
const VTEP_ID = 4;
/** Guards 0..GUARDS-1 are loaded; GUARDS itself never is (the empty guard). */
const GUARDS = 4;

/** Loads one random world into every core (same tables everywhere); `stages` = stages present. */
export function loadWorld(cores: PacketCore[], r: R, pools: Pools, stages: number[]): World {
  const nports = randInt(r, 2, 8);
  const ports: VlanPort[] = [];
  for (let port = 0; port < nports; port++) {
    const x = r();
    if (x < 0.3) ports.push({ port, mode: 'untagged' });
    else if (x < 0.6) ports.push({ port, mode: 'access', vid: pick(r, pools.vlans) });
    else ports.push({ port, mode: 'trunk', allowed: pools.vlans.filter(() => r() < 0.7), native: r() < 0.3 ? pick(r, pools.vlans) : undefined });
  }
  const endpoints = pools.ips.filter(() => r() < 0.6).map((ip) => ({ ip, mac: pick(r, pools.macs) }));
  const routes: Route[] = Array.from({ length: randInt(r, 0, 30) }, () => {
    const local = r() < 0.1;
    return {
      prefix: r() < 0.8 ? pick(r, pools.ips) : randInt(r, 0, 0xffffffff),
      len: pick(r, [0, 8, 16, 24, 32, randInt(r, 0, 32)]),
      kind: local ? 'local' : 'forward',
      ifIndex: randInt(r, 0, nports),
      ifMac: unicastMac(r),
      gateway: r() < 0.5 ? pick(r, pools.ips) : 0,
    };
  });
  const neighbors = pools.ips.filter(() => r() < 0.7).map((ip) => ({ ip, mac: unicastMac(r) }));
  const hostMac = pick(r, pools.macs);
  const aclRules: AclRule[] = Array.from({ length: randInt(r, 0, 12) }, (_, k) => ({
    id: `r${k}`,
    priority: randInt(r, 0, 200),
    direction: pick(r, ['in', 'out', 'both'] as const),
    protocol: pick(r, ['any', 6, 17, 1] as const),
    local: r() < 0.5 ? [] : [{ base: (pick(r, pools.ips) & 0xffffff00) >>> 0, len: 24 }],
    remote: [],
    localPorts: r() < 0.7 ? [] : [{ lo: 0, hi: randInt(r, 0, 65535) }],
    remotePorts: [],
    action: r() < 0.6 ? 'allow' : 'block',
  }));
  const networks = [100, 101];
  const fdbCapacity = r() < 0.5 ? 8 : 1024;
  const aclSemantics = r() < 0.5 ? 'vfp' : 'firewall';
  const guards = Array.from({ length: GUARDS }, () => randomGuard(r, pools));
  // Every random choice is made above: each core must load the very same tables.
  for (const c of cores) {
    loadVlanPorts(c, VS, ports);
    loadFdb(c, VS, { capacity: fdbCapacity });
    setHostMac(c, NET, hostMac);
    loadEndpointMap(c, NET, endpoints);
    loadRoutes(c, DOMAIN, routes);
    loadNeighbors(c, DOMAIN, neighbors);
    if (stages.includes(abi.STAGE_ACL)) loadAcl(c, ACL_ID, { semantics: aclSemantics, defaultAction: 'allow', rules: aclRules });
    if (stages.includes(abi.STAGE_NAT)) {
      loadNat(c, NAT_ID, { externalAddress: pools.ips[0], internalPrefixes: ['10.0.0.0/9'], capacity: 64, portRange: { first: 50000, last: 50020 } });
    }
    if (stages.includes(abi.STAGE_VXLAN_ENCAP) || stages.includes(abi.STAGE_VXLAN_DECAP)) {
      loadVtepTable(c, VTEP_ID, {
        localAddresses: [pools.ips[1]],
        localMac: pools.macs[0],
        networks: [{ network: 100, vni: 4096 }, { network: 101, vni: 4097 }],
        tunnels: pools.macs.slice(1, 8).map((mac, k) => ({ network: networks[k & 1], mac, remoteAddress: pools.ips[2 + k], nextHopMac: pools.macs[0] + 2 })),
      });
    }
    if (stages.includes(abi.STAGE_GUARD)) guards.forEach((g, id) => loadGuard(c, id, g));
  }
  return { ports: nports, stages, networks };
}

/** A program: parse, then 1..7 random steps over the stages present, with their tables' ids. A guard
 *  step only follows a parse of its packets (decap leaves them unparsed: parse comes first then). */
export function randomProgram(r: R, w: World): ProgramStep[] {
  const program: ProgramStep[] = [{ stage: abi.STAGE_PARSE }];
  const choices = w.stages.filter((s) => s !== abi.STAGE_PARSE);
  let parsed = true;
  for (let k = randInt(r, 1, 7); k > 0; k--) {
    const stage = pick(r, choices);
    if (stage === abi.STAGE_GUARD && !parsed) {
      program.push({ stage: abi.STAGE_PARSE });
      parsed = true;
    }
    const fixed = r() < 0.5 ? VLAN_PORT_FIXED | randInt(r, 0, w.ports) : 0;
    switch (stage) {
      case abi.STAGE_VLAN_IN:
      case abi.STAGE_VLAN_OUT:
        program.push({ stage, a0: VS, a1: fixed });
        break;
      case abi.STAGE_SWITCH:
        program.push({ stage, a0: VS });
        break;
      case abi.STAGE_MAC_REWRITE:
        program.push({ stage, a0: NET, a1: randInt(r, 0, 1) });
        break;
      case abi.STAGE_ROUTE:
        program.push({ stage, a0: DOMAIN });
        break;
      case abi.STAGE_ACL:
        program.push({ stage, a0: ACL_ID, a1: randInt(r, 0, 1) });
        break;
      case abi.STAGE_NAT:
        program.push({ stage, a0: NAT_ID, a1: randInt(r, 0, 1) });
        break;
      case abi.STAGE_VXLAN_ENCAP:
      case abi.STAGE_VXLAN_DECAP:
        program.push({ stage, a0: VTEP_ID });
        break;
      case abi.STAGE_GUARD:
        program.push({ stage, a0: randInt(r, 0, GUARDS), a1: randInt(r, 0, 4) });
        break;
      default:
        program.push({ stage, a0: randInt(r, 0, 3), a1: randInt(r, 0, 1) });
    }
    if (stage === abi.STAGE_VXLAN_DECAP) parsed = false;
    // Re-parse now and then: a later stage may have moved headers (decap, tags).
    if (r() < 0.15) {
      program.push({ stage: abi.STAGE_PARSE });
      parsed = true;
    }
  }
  return program;
}
