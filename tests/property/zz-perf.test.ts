import { it } from 'vitest';
import * as abi from '../../src/abi.js';
import { writeBatch, type WasmCore } from '../../src/engine/core.js';
import { loadWasmCore } from '../../src/engine/load-node.js';
import { loadVlanPorts } from '../../src/engine/tables/vlan-ports.js';
import { loadFdb } from '../../src/engine/tables/fdb.js';
import { loadEndpointMap, setHostMac } from '../../src/engine/tables/endpoint-map.js';
import { loadRoutes, loadNeighbors } from '../../src/engine/tables/routes.js';
import { buildFrame } from '../../src/wire/build.js';
import { rng } from '../support/diff-harness.js';
import { randInt, unicastMac } from '../support/random-frames.js';

const N = 256;
function time(core: WasmCore, program: { stage: number; a0?: number; a1?: number }[], frameBytes: number, iters = 3000): number {
  const run = core.compile(program);
  const ts: number[] = [];
  for (let k = 0; k < 20000; k++) { core.restore(N, frameBytes); run(N); }
  for (let k = 0; k < iters; k++) {
    core.restore(N, frameBytes);
    const t0 = process.hrtime.bigint();
    run(N);
    ts.push(Number(process.hrtime.bigint() - t0));
  }
  ts.sort((a, b) => a - b);
  return ts[Math.floor(iters * 0.02)] / N;
}

it('perf', async () => {
  const core = await loadWasmCore({ slots: 1024 });
  const r = rng(1);
  const macs = Array.from({ length: 65536 }, () => unicastMac(r));
  const ips = Array.from({ length: 256 }, () => ((10 << 24) | randInt(r, 0, 0xffffff)) >>> 0);
  const frames = Array.from({ length: N }, () => buildFrame({ eth: { src: macs[randInt(r, 0, 65535)], dst: macs[randInt(r, 0, 65535)] }, ipv4: { src: ips[randInt(r, 0, 255)], dst: ips[randInt(r, 0, 255)], ttl: 64 }, udp: { sport: randInt(r, 1, 65535), dport: 80 }, payload: new Uint8Array(18) }));
  writeBatch(core, frames, 1);
  core.run(N, [{ stage: abi.STAGE_PARSE }]);
  core.snapshot(N);
  const out: Record<string, number> = {};
  out.parse = time(core, [{ stage: abi.STAGE_PARSE }], 0);
  setHostMac(core, 1, 0x00155d000001);
  loadEndpointMap(core, 1, ips.map((ip, k) => ({ ip, mac: macs[k] })));
  out['mac-rewrite egress'] = time(core, [{ stage: abi.STAGE_MAC_REWRITE, a0: 1, a1: 0 }], 0);
  out['mac-rewrite ingress (256 endpoints)'] = time(core, [{ stage: abi.STAGE_MAC_REWRITE, a0: 1, a1: 1 }], 0);
  loadVlanPorts(core, 1, [{ port: 1, mode: 'access', vid: 10 }, { port: 2, mode: 'trunk', allowed: [10, 20] }, { port: 3, mode: 'access', vid: 10 }]);
  out['vlan-in (access)'] = time(core, [{ stage: abi.STAGE_VLAN_IN, a0: 1 }], 0);

  loadFdb(core, 1, { capacity: 65536, entries: macs.map((mac, k) => ({ mac, vlan: 10, port: 1 + (k % 3) })) });
  core.run(N, [{ stage: abi.STAGE_VLAN_IN, a0: 1 }]);
  core.snapshot(N);
  out['switch 64k MACs (known unicast, learning refresh)'] = time(core, [{ stage: abi.STAGE_SWITCH, a0: 1 }], 0);
  out['vlan-out push (trunk)'] = time(core, [{ stage: abi.STAGE_VLAN_OUT, a0: 1, a1: 0x10000 | 2 }], 256);
  const routes = Array.from({ length: 1000 }, (_, k) => ({ prefix: ips[k % 256] & 0xffffff00, length: 24, ifIndex: k & 7, ifMac: macs[k], gateway: ips[(k * 7) % 256] }));
  loadRoutes(core, 1, [...routes, { prefix: 0, length: 0, ifIndex: 1, ifMac: 2, gateway: ips[0] }]);
  loadNeighbors(core, 1, ips.map((ip, k) => ({ ip, mac: macs[k] })));
  writeBatch(core, frames, 1);
  core.run(N, [{ stage: abi.STAGE_PARSE }]);
  core.snapshot(N);
  out['route (1k routes, 256 neighbours)'] = time(core, [{ stage: abi.STAGE_ROUTE, a0: 1 }], 256);
  out['parse+vlan-in+switch+vlan-out'] = time(core, [{ stage: abi.STAGE_PARSE }, { stage: abi.STAGE_VLAN_IN, a0: 1 }, { stage: abi.STAGE_SWITCH, a0: 1 }, { stage: abi.STAGE_VLAN_OUT, a0: 1 }], 256);
  for (const [k, v] of Object.entries(out)) console.log(`${k.padEnd(52)} ${v.toFixed(2)} ns/pkt  ${(1000 / v).toFixed(0)} Mpps`);
}, 300000);
