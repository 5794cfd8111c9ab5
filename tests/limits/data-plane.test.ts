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

describe('limits of a plane stated in Packet Path words', () => {
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
