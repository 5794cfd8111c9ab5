/**
 * VFP's unified flow table on the simulation's walks (src/sim/programs.ts): a flow's first packet
 * walks a vSwitch port's layers and leaves an entry; later packets of the flow take the fast path,
 * one `uft` hop naming the entry and what built it. An entry dies when a table of the host changes
 * (a new firewall rule) and when the NAT session it used expires; the next packet walks again.
 * Source: Firestone et al., "VFP: A Virtual Switch Platform for Host SDN in the Public Cloud",
 * NSDI 2017, §5 (UFT: the first packet of a flow through the layers compiles an exact-match entry;
 * later packets take it; entries are invalidated on policy change and expire with their state).
 */
import { describe, expect, it } from 'vitest';
import '../../src/index.js';
import { runScriptSession, type ScriptSession } from '../../src/run.js';
import { parseScript } from '../../src/script/parser.js';
import { execute } from '../../src/model/index.js';
import { buildFrame } from '../../src/wire/build.js';
import { ipNum } from '../../src/addr.js';
import { natClock, setNatClock } from '../../src/engine/loaders/nat.js';
import type { Hop, PacketTrace } from '../../src/result.js';
import type { Station } from '../../src/sim/station.js';
import { readUftStats } from '../../src/engine/loaders/uft.js';
import { SIM_UFT_CAPACITY, SIM_UFT_MAX_FLOWS } from '../../src/sim/programs.js';

/** Two containers on an l2bridge network: the VFP port ACLs are the network's defaults (line 2). */
const L2BRIDGE = `host host1 --ip 10.0.0.10/24 --gateway 10.0.0.1
docker network create -d l2bridge --subnet=10.0.0.0/24 --gateway=10.0.0.1 MyL2Bridge
docker run -d --name web --network MyL2Bridge --ip 10.0.0.21 microsoft/iis
docker run -d --name api --network MyL2Bridge --ip 10.0.0.22 microsoft/iis
docker exec web curl http://10.0.0.22/
`;

/** l2bridge with VFP's outbound NAT (examples/11): the endpoint port's layers translate to the host. */
const OUTBOUND_NAT = `host host1 --ip 10.0.0.10/24 --gateway 10.0.0.1
client bing --ip 204.79.197.200 --internet
docker network create -d l2bridge --subnet=10.0.0.0/24 --gateway=10.0.0.1 -o com.docker.network.windowsshim.enable_outboundnat=true -o com.docker.network.windowsshim.outboundnat_exceptions=10.0.0.0/24 MyL2Bridge
docker run -d --name web --network MyL2Bridge --ip 10.0.0.21 microsoft/iis
docker exec web curl http://bing/
`;

const WEB_PORT = /port web$/;

function webStation(s: ScriptSession): Station {
  const c = s.world.hosts[0].containers.find((x) => x.name === 'web')!;
  return { kind: 'compartment', host: 'host1', domain: c.compartmentId };
}

/** The ACK of the curl's handshake, once more (same flow: ports of the curl's SYN). */
function ackOf(s: ScriptSession, dst: string): Uint8Array {
  const curl = s.result.steps.at(-1)!;
  const syn = curl.traces.flatMap((t) => t.packets).find((p) => / \[S\]/.test(p.summary) && p.summary.includes(`> ${dst}:`))!;
  const sport = Number(/:(\d+) >/.exec(syn.summary)![1]);
  const src = s.sim.stations.sourceFor(webStation(s), ipNum(dst))!;
  return buildFrame({ eth: { src: src.mac, dst: 0 }, ipv4: { src: src.ip, dst: ipNum(dst), ttl: 128, dontFragment: true }, tcp: { sport, dport: 80, seq: 0x2000_0001, ack: 1, flags: 'A', window: 64240 } });
}

function send(s: ScriptSession, frame: Uint8Array): PacketTrace {
  const w = s.sim.walker.send(webStation(s), frame, { answers: 0 });
  return w.packets[0];
}

const atWeb = (p: PacketTrace): Hop[] => p.hops.filter((h) => WEB_PORT.test(h.at));

/** Runs one more command on the session's world, as the script runner does. */
async function more(s: ScriptSession, line: string): Promise<void> {
  const cmd = parseScript(line).commands[0]!;
  const out = execute(s.world, cmd);
  expect(out.ok, out.error ?? '').toBe(true);
  await s.sim.sync(s.world);
}

describe('the simulation\'s walks take VFP\'s unified flow table', () => {
  it('a curl\'s ACK takes the fast path at both ports, naming the entry and the ACL rule (with its line) that built it', async () => {
    const s = await runScriptSession(L2BRIDGE, { seed: 1 });
    const packets = s.result.steps.at(-1)!.traces.flatMap((t) => t.packets);
    const syn = packets.find((p) => / \[S\]$/.test(p.summary.replace(/ \(.*\)$/, '')))!;
    const ack = packets.find((p) => / \[\.\]/.test(p.summary))!;
    expect(syn && ack).toBeTruthy();
    // The SYN walked the layers: the ACL and the switch each have their hop, no fast path.
    expect(syn.hops.some((h) => h.stage === 'uft')).toBe(false);
    expect(atWeb(syn).map((h) => h.stage)).toEqual(['acl', 'switch']);
    // The ACK: one fast-path hop at the sending port and one at the receiving port.
    const fast = ack.hops.filter((h) => h.stage === 'uft');
    expect(fast.map((h) => h.at)).toEqual(['vSwitch MyL2Bridge, port web', 'vSwitch MyL2Bridge, port api']);
    const [out, into] = fast;
    expect(out.action).toBe('fast-path');
    expect(out.fastPath!.entry).toBeGreaterThanOrEqual(0);
    expect(out.fastPath!.builtBy).toEqual(['VFP ACLs of port web: rule "default-allow-out" (priority 65500) allow']);
    expect(out.rule).toBe(`flow table entry ${out.fastPath!.entry}, built by VFP ACLs of port web: rule "default-allow-out" (priority 65500) allow`);
    expect(out.sourceLine).toBe(2);
    expect(out.after['out-port']).toBe('port api');
    expect(into.fastPath!.builtBy).toEqual(['VFP ACLs of port api: rule "default-allow-in" (priority 65500) allow']);
    expect(ack.verdict).toBe('delivered');
  });

  it('a new firewall rule between two packets of a flow: the second walks the layers again, the third takes the new entry', async () => {
    const s = await runScriptSession(L2BRIDGE, { seed: 1 });
    const ack = ackOf(s, '10.0.0.22');
    expect(atWeb(send(s, ack)).map((h) => h.stage)).toEqual(['uft']);
    await more(s, 'docker exec api netsh advfirewall firewall add rule name="no 8080" dir=in action=block protocol=tcp localport=8080');
    const again = send(s, ack);
    expect(atWeb(again).map((h) => h.stage)).toEqual(['acl', 'switch']);
    expect(again.verdict).toBe('delivered');
    const third = send(s, ack);
    expect(atWeb(third).map((h) => h.stage)).toEqual(['uft']);
  });

  it('an entry that used a NAT session dies with the session: after the TCP timeout the next packet walks and NAT opens a new session', async () => {
    const s = await runScriptSession(OUTBOUND_NAT, { seed: 1 });
    const ack = ackOf(s, '204.79.197.200');
    const first = atWeb(send(s, ack));
    expect(first.map((h) => h.stage)).toEqual(['uft']);
    // The entry names the VFP outbound NAT session its first packet opened, and the translation.
    expect(first[0].fastPath!.builtBy.some((t) => /^VFP outbound NAT: session \d+$/.test(t))).toBe(true);
    expect(first[0].after['ip.src']).toBe('10.0.0.10');
    const core = s.sim.hostPlane('host1').core;
    // A day later every session is gone (WinNAT's TCP established timeout is 1800 s: Get-NetNat).
    setNatClock(core, natClock(core) + 86_400);
    const later = atWeb(send(s, ack));
    expect(later.map((h) => h.stage)).toEqual(['acl', 'nat', 'switch']);
    expect(later[1].action).toBe('translate (new session)');
  });

  it('a port\'s table grows with its flows: a 4,096-flow flood\'s second pass over its flows hits at every port', async () => {
    // Two passes: packet k is flow k mod 4,096 (src/sim/flood.ts). VFP's UFT holds the flows the port
    // carries (NSDI 2017 §5); a table of 1,024 flows held 2-3 % of them (docs/behaviour.md, flood).
    const s = await runScriptSession(`client laptop --ip 10.0.0.50
docker run -d --name web -p 8080:80 microsoft/iis
flood laptop host1 tcp/8080 --packets 8192 --flows 4096 --workers 1
`, { seed: 1 });
    expect(s.result.steps.at(-1)!.output).toMatch(/delivered\s+8,192/);
    const core = s.sim.hostPlane('host1').core;
    const busy = (s.sim.planeContents('host1')!.ufts ?? []).map((u) => readUftStats(core, u.id)!).filter((st) => st.lookups >= 8192);
    // The host vNIC's port and the container's endpoint port.
    expect(busy.length).toBeGreaterThanOrEqual(2);
    for (const st of busy) {
      expect(st.maxCapacity).toBe(SIM_UFT_MAX_FLOWS);
      expect(st.capacity).toBeGreaterThan(SIM_UFT_CAPACITY);
      expect(st.grows).toBeGreaterThan(0);
      // Each flow's first packet walked and left an entry; no live flow was replaced; every packet
      // of the second pass took the fast path.
      expect(st.evictions).toBe(0);
      expect(st.hits).toBeGreaterThanOrEqual(4096);
    }
  });
});