/**
 * Each capacity of the data plane, reached from a script: traffic keeps working past it (the
 * capacity is larger than the Windows limit the model enforces), or the command that reaches it
 * fails with a stated Packet Path limit. docs/behaviour.md "Limits" lists them with their sources.
 */
import { describe, expect, it } from 'vitest';
import { runScript } from '../../src/run.js';
import { loadWasmCore } from '../../src/engine/load-node.js';
import { SIM_CORE_OPTIONS } from '../../src/engine/core.js';
import type { RunResult } from '../../src/result.js';
import { INTERNAL_WORDING } from './support.js';
import { loadPlaneContents, MAX_PLANE_PORTS } from '../../src/sim/load.js';
import type { PlaneContents } from '../../src/sim/derive.js';
import { hostFabric } from '../../src/sim/fabric.js';
import { hostPortCount, MAX_HOST_PORTS } from '../../src/model/capacity.js';
import { VTEP_MAX_LOCAL, encodeVtepTable } from '../../src/table-images/vxlan.js';
import { SimSession } from '../../src/sim/session.js';
import { runTraffic, setTrafficCounters, trafficCounters } from '../../src/sim/traffic.js';
import { parseScript } from '../../src/script/parser.js';
import { createWorld, execute, resolveName } from '../../src/model/index.js';

const run = (lines: string[]): Promise<RunResult> => runScript(lines.join('\n') + '\n', { trace: false, createCore: () => loadWasmCore(SIM_CORE_OPTIONS) });

/** Every step ok; the failed ones listed with their errors when not. */
function failures(r: RunResult): string[] {
  return r.steps.filter((s) => !s.ok).map((s) => `${s.line}: ${s.command} → ${(s.error ?? s.output).slice(0, 200)}`);
}

/** The last step's output: a ping that was answered. */
function answered(r: RunResult): void {
  const last = r.steps.at(-1)!;
  expect(last.output).not.toMatch(INTERNAL_WORDING);
  expect(last.output).toMatch(/Received = 1, Lost = 0/);
}

describe('limits of the data plane', () => {
  it('a container restarted 1,100 times (compartment ids past 1,023: a routing domain each) still answers', async () => {
    const lines = ['docker run -d --name a img', 'docker run -d --name b img'];
    for (let i = 0; i < 1100; i++) lines.push('docker restart a');
    lines.push('docker exec a ping -n 1 b', 'docker exec b ping -n 1 a');
    const r = await run(lines);
    expect(failures(r)).toEqual([]);
    answered(r);
  }, 60_000);

  it('1,100 containers on one nat network: the first pings the last by name (an ARP flood to 1,100 ports)', async () => {
    // HNS's MAC pool holds 4,095 endpoints per network (tests/limits/model-limits.test.ts): the
    // vSwitch's flood domain, the ring of frame slots and the walk of a flood are sized past it.
    const lines = ['docker network create -d nat --subnet 172.30.0.0/16 big'];
    for (let i = 0; i < 1100; i++) lines.push(`docker run -d --name c${i} --network big img`);
    lines.push('docker exec c0 ping -n 1 c1099');
    const r = await run(lines);
    expect(failures(r)).toEqual([]);
    answered(r);
  }, 120_000);

  it('30 service VIPs on one overlay network: each has its load balancer, curl reaches the first and the last', async () => {
    // A VIP is a VFP load balancer (a NAT instance each); there were 12 and the 13th VIP timed out.
    const lines = ['host h1 --ip 10.0.0.11/24', 'docker swarm init --advertise-addr 10.0.0.11', 'docker network create -d overlay --attachable ov', 'docker run -d --name ov-a --network ov microsoft/nanoserver'];
    for (let i = 0; i < 30; i++) lines.push(`docker service create --name s${i} --network ov --replicas 1 microsoft/iis`);
    lines.push('docker exec ov-a curl http://s0/', 'docker exec ov-a curl http://s29/');
    const r = await run(lines);
    expect(failures(r)).toEqual([]);
    expect(r.steps.at(-1)!.output).toContain('<!DOCTYPE html');
  }, 60_000);

  it('5,000 published ports (a guard per published port was refused past 4,096 terms): localhost and the host address answer', async () => {
    // NAT loopback (ws1709+) and localhost forwarding (1803+) send the host's own traffic to a
    // published port through WinNAT: the guard that picks those packets holds the published ports.
    const r = await run(['host h1 --ip 10.0.0.11/24 --gateway 10.0.0.1', 'docker run -d --name web -p 1-5000:1-5000 microsoft/iis', 'curl http://localhost:80/', 'curl http://10.0.0.11:5000/']);
    expect(failures(r)).toEqual([]);
    expect(r.steps.at(-1)!.output).toContain('<!DOCTYPE html');
  }, 60_000);

  it('20 nat networks on one host: WinNAT holds an internal prefix for each, traffic works on the first and the last', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 20; i++) lines.push(`docker network create -d nat --subnet 172.${100 + i}.0.0/24 n${i}`, `docker run -d --name a${i} --network n${i} img`, `docker run -d --name b${i} --network n${i} img`);
    lines.push('docker exec a0 ping -n 1 b0', 'docker exec a19 ping -n 1 b19');
    const r = await run(lines);
    expect(failures(r)).toEqual([]);
    answered(r);
  }, 60_000);
});

describe('counters of a long run', () => {
  it('source ports wrap in the dynamic range and ICMP identifiers in 16 bits: the 16,385th name lookup and the 65,536th ping answer', async () => {
    // A script of 50,000 restarts and pings failed from its 16,385th ping on with "udp repr: srcPort
    // 65536 outside 0..65535" (each lookup of a name took the next port, never wrapping). Windows
    // takes source ports from its dynamic range, 49152-65535 by default (netsh int ipv4 show
    // dynamicport: start 49152, 16,384 ports; behaviour.md).
    const world = createWorld({ seed: 1 });
    const sim = new SimSession(world, () => loadWasmCore(SIM_CORE_OPTIONS), resolveName);
    for (const cmd of parseScript('docker run -d --name a img\ndocker run -d --name b img').commands) expect(execute(world, cmd).ok).toBe(true);
    const ping = parseScript('docker exec a ping -n 1 b').commands[0]!;
    setTrafficCounters({ port: 65534, icmpId: 65534 });
    for (let i = 0; i < 4; i++) {
      const o = execute(world, ping);
      await sim.sync(world);
      const t = runTraffic(sim, o.traffic!);
      expect(t.error).toBeNull();
      expect(t.output).toMatch(/Received = 1, Lost = 0/);
    }
    const c = trafficCounters();
    expect(c.port).toBeGreaterThanOrEqual(49152);
    expect(c.port).toBeLessThan(49160);
    expect(c.icmpId).toBeGreaterThan(0);
    expect(c.icmpId).toBeLessThan(16);
  });
});

describe('limits of a plane stated in Packet Path words', () => {
  it(`a VTEP table holds ${VTEP_MAX_LOCAL} local addresses, and a script cannot reach it: a host of 10 addressed NICs on an overlay has one`, async () => {
    // The simulation gives each host one provider address (its first NIC address, derive.ts
    // vxlanContents); the table's 8 slots are a layout of the image (assembly/tables/vtep-table.ts).
    const nics = Array.from({ length: 10 }, (_, i) => `--nic "Ethernet ${i + 1}" --ip 10.0.${i}.11/24`).join(' ');
    const text = [
      `host manager --os ws2019 ${nics} --gateway 10.0.0.1`, 'docker swarm init --advertise-addr 10.0.0.11',
      'host worker --os ws2019 --ip 10.0.0.12/24', 'docker swarm join --token SWMTKN-1-3pu6hszjas19xyp7ghgosyx9k8atbfcr8p2is99znpy26u2lkl-1awxwuwd3z9j1z3puu7rcgdbx 10.0.0.11:2377',
      'host manager', 'docker network create -d overlay --attachable ov', 'docker run -d --name web --network ov img',
      'host worker', 'docker run -d --name app --network ov img',
    ].join('\n');
    const world = createWorld({ seed: 1 });
    for (const cmd of parseScript(text).commands) expect(execute(world, cmd).error).toBeNull();
    expect(world.hosts[0]!.nics.filter((n) => n.ip)).toHaveLength(10);
    const sim = new SimSession(world, () => loadWasmCore(SIM_CORE_OPTIONS), resolveName);
    await sim.sync(world);
    expect(sim.planeContents('manager')!.vxlan!.localVteps).toHaveLength(1);
    const r = await run([text, 'docker exec app ping -n 1 web']);
    expect(failures(r)).toEqual([]);
    answered(r);
    // Past the layout the encoder refuses the table with its capacity in words.
    const locals = Array.from({ length: VTEP_MAX_LOCAL + 1 }, (_, i) => `10.0.${i}.11`);
    expect(() => encodeVtepTable({ localAddresses: locals, localMac: 0x00155d000001, networks: [], tunnels: [] })).toThrow(`vtep table: 9 local addresses, at most 8`);
  });


  it('the docker run that gives a host its 65,534th port is refused with the limit; the host keeps working', async () => {
    // 17 nat networks (HNS's MAC pool holds 4,095 endpoints each; static addresses and MACs keep the
    // script's cost linear). Ports: the host's NIC, the default nat vNIC, a vNIC per network, an
    // endpoint per container. Before, the run succeeded and every later traffic command on the host
    // failed with "could not be simulated".
    const lines = ['host h1 --ip 10.0.0.11/24 --gateway 10.0.0.1', 'docker network ls'];
    const nets = 17;
    for (let n = 0; n < nets; n++) lines.push(`docker network create -d nat --subnet 10.${100 + n}.0.0/16 n${n}`);
    const first = MAX_HOST_PORTS - 2 - nets; // the endpoints that fit
    const hex = (v: number) => v.toString(16).padStart(2, '0');
    for (let k = 0; k < first + 2; k++) {
      const n = Math.floor(k / 4000), i = k % 4000;
      lines.push(`docker run -d --name c${k} --network n${n} --ip 10.${100 + n}.${(i >> 8) + 1}.${i & 255} --mac-address 00-16-${hex(n)}-00-${hex(i >> 8)}-${hex(i & 255)} img`);
    }
    lines.push('docker exec c0 ping -n 1 c1');
    const r = await runScript(lines.join('\n') + '\n', { trace: false, createCore: () => loadWasmCore(SIM_CORE_OPTIONS) });
    const runs = r.steps.filter((s) => s.command.startsWith('docker run'));
    expect(runs.slice(0, first).filter((s) => !s.ok)).toEqual([]);
    for (const s of runs.slice(first)) {
      expect(s.ok).toBe(false);
      expect(s.error).toBe(`packet-path: a host holds at most 65,533 vSwitch ports and NICs in Packet Path (its data plane numbers ports in 16 bits); this one needs 65,534`);
    }
    answered(r);
  }, 300_000);

  it('the model counts a host\'s ports as the data plane numbers them, and both stop at the same number', async () => {
    expect(MAX_HOST_PORTS).toBe(MAX_PLANE_PORTS);
    const { createWorld, execute } = await import('../../src/model/index.js');
    const { parseScript } = await import('../../src/script/parser.js');
    const world = createWorld({ seed: 1 });
    const text = [
      'host h1 --nic "Ethernet" --ip 10.0.0.11/24 --gateway 10.0.0.1 --nic "Ethernet 2"',
      'docker network create -d transparent --subnet=10.0.0.0/24 --gateway=10.0.0.1 t',
      'docker network create -d nat --subnet 172.30.0.0/24 n',
      'docker run -d --name a img', 'docker run -d --name b --network n img', 'docker run -d --name c --network t --ip 10.0.0.105 img',
      'docker network disconnect n b', 'New-VMSwitch -Name priv -SwitchType Private',
    ].join('\n');
    for (const cmd of parseScript(text).commands) expect(execute(world, cmd).ok).toBe(true);
    const h = world.hosts[0]!;
    expect(hostPortCount(h)).toBe(hostFabric(world, h).ports.length);
    expect(hostPortCount(h)).toBeGreaterThan(4);
  });

  it('a host past 65,533 vSwitch ports and NICs (16-bit port numbers) is refused with the limit, not wrapped', async () => {
    // Reaching it from a script takes 17 full nat networks (69,615 containers); the check is the
    // loader's, so it is exercised here with the contents such a host would derive.
    const core = await loadWasmCore(SIM_CORE_OPTIONS);
    const contents = (port: number): PlaneContents => ({
      fdb: [], domains: [], acl: [], nat: [], macRewrite: [], vxlan: null,
      vlans: [{ vswitch: 1, ports: [{ port: 1, mode: 'untagged' }, { port, mode: 'untagged' }] }],
    });
    expect(() => loadPlaneContents(core, contents(MAX_PLANE_PORTS), null)).not.toThrow();
    expect(() => loadPlaneContents(core, contents(MAX_PLANE_PORTS + 1), null)).toThrow(
      'a host holds at most 65,533 vSwitch ports and NICs in Packet Path (its data plane numbers ports in 16 bits); this one needs 65,534',
    );
  });
});
