/**
 * Each driver's data path, judged from the bytes: a script runs through the library and the
 * test reads the `frames` (hex, per wire/port) and hops of its traffic commands (SPEC §3, §5).
 * The frames are parsed here by hand, not with the product's decoder, so the check is
 * independent of it.
 *
 * Tests marked `it.fails` assert the correct behaviour of an open product bug (the comment names
 * the entry of the bug list in examples/README.md); they turn red when the bug is fixed.
 */
import { describe, expect, it } from 'vitest';
import { runScript } from '../../src/index.js';
import type { PacketTrace, RunResult, Step } from '../../src/result.js';

// ---- a small frame parser (Ethernet II, 802.1Q, IPv4, ICMP/UDP/TCP, VXLAN) -------------------------

interface Frame {
  len: number;
  dst: string;
  src: string;
  vlan: number | null;
  ethertype: number;
  ip?: { src: string; dst: string; proto: number; ttl: number; totalLength: number };
  l4?: { sport: number; dport: number };
  icmp?: { type: number };
  vxlan?: { flags: number; vni: number };
  inner?: Frame;
  /** Bytes after the VXLAN header (the inner frame), hex. */
  innerHex?: string;
}

const mac = (b: Uint8Array, o: number) => [...b.subarray(o, o + 6)].map((x) => x.toString(16).padStart(2, '0').toUpperCase()).join('-');
const ip4 = (b: Uint8Array, o: number) => [...b.subarray(o, o + 4)].join('.');
const u16 = (b: Uint8Array, o: number) => (b[o]! << 8) | b[o + 1]!;

function parse(hex: string): Frame {
  const b = Uint8Array.from(Buffer.from(hex, 'hex'));
  return parseBytes(b);
}

function parseBytes(b: Uint8Array): Frame {
  const f: Frame = { len: b.length, dst: mac(b, 0), src: mac(b, 6), vlan: null, ethertype: u16(b, 12) };
  let o = 14;
  if (f.ethertype === 0x8100) {
    f.vlan = u16(b, 14) & 0x0fff;
    f.ethertype = u16(b, 16);
    o = 18;
  }
  if (f.ethertype !== 0x0800) return f;
  const ihl = (b[o]! & 0x0f) * 4;
  f.ip = { src: ip4(b, o + 12), dst: ip4(b, o + 16), proto: b[o + 9]!, ttl: b[o + 8]!, totalLength: u16(b, o + 2) };
  const l4 = o + ihl;
  if (f.ip.proto === 1) f.icmp = { type: b[l4]! };
  if (f.ip.proto === 6 || f.ip.proto === 17) f.l4 = { sport: u16(b, l4), dport: u16(b, l4 + 2) };
  if (f.ip.proto === 17 && f.l4!.dport === 4789) {
    const v = l4 + 8;
    f.vxlan = { flags: b[v]!, vni: (b[v + 4]! << 16) | (b[v + 5]! << 8) | b[v + 6]! };
    const inner = b.subarray(v + 8);
    f.innerHex = Buffer.from(inner).toString('hex');
    f.inner = parseBytes(inner);
  }
  return f;
}

// ---- helpers over a run -------------------------------------------------------------------------------

async function run(text: string, opts: Parameters<typeof runScript>[1] = {}): Promise<RunResult> {
  const r = await runScript(text, { seed: 1, ...opts });
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r;
}

function step(r: RunResult, prefix: string): Step {
  const s = r.steps.find((x) => x.command.startsWith(prefix));
  if (!s) throw new Error(`no step ${prefix}`);
  return s;
}

function packets(s: Step): PacketTrace[] {
  return s.traces.flatMap((t) => t.packets);
}

/** Every frame of a step seen at `at` (exact), parsed. */
function framesAt(s: Step, at: string): Frame[] {
  return packets(s).flatMap((p) => (p.frames ?? []).filter((f) => f.at === at).map((f) => parse(f.hex)));
}

/** Docker's JSON output (`docker inspect`, `docker network inspect`) of a step. */
function json<T = any>(s: Step): T {
  return JSON.parse(s.output) as T;
}

function containerAddr(r: RunResult, name: string): { ip: string; mac: string } {
  const doc = json<any[]>(step(r, `docker inspect ${name}`))[0];
  const nets = Object.values(doc.NetworkSettings.Networks) as Array<{ IPAddress: string; MacAddress: string }>;
  return { ip: nets[0]!.IPAddress, mac: nets[0]!.MacAddress.replace(/:/g, '-').toUpperCase() };
}

// ---- l2bridge ---------------------------------------------------------------------------------------

describe('l2bridge: MAC rewrite (every container shows the host MAC on the wire)', () => {
  const script = `host host1 --ip 10.0.0.10/24 --gateway 10.0.0.1
client laptop --ip 10.0.0.50
docker network create -d l2bridge --subnet=10.0.0.0/24 --gateway=10.0.0.1 br
docker run -d --name web --network br --ip 10.0.0.21 microsoft/iis
docker run -d --name api --network br --ip 10.0.0.22 microsoft/iis
docker inspect web
docker inspect api
expect client laptop ping -n 1 10.0.0.21
expect client laptop curl http://10.0.0.22/
`;

  it('frames of both containers on the LAN carry the host NIC MAC; the container ports see the container MACs', async () => {
    const r = await run(script);
    expect(r.expectations.every((e) => e.ok)).toBe(true);
    const hostMac = r.hosts[0]!.nics[0]!.mac;
    const web = containerAddr(r, 'web');
    const api = containerAddr(r, 'api');
    expect(web.mac).not.toBe(hostMac);
    expect(api.mac).not.toBe(web.mac);

    for (const [cmd, c, port] of [['client laptop ping', web, 'host1 port web'], ['client laptop curl', api, 'host1 port api']] as const) {
      const s = step(r, cmd);
      const lan = framesAt(s, 'LAN').filter((f) => f.ip);
      const fromC = lan.filter((f) => f.ip!.src === c.ip);
      const toC = lan.filter((f) => f.ip!.dst === c.ip);
      expect(fromC.length).toBeGreaterThan(0);
      expect(toC.length).toBeGreaterThan(0);
      for (const f of fromC) expect(f.src).toBe(hostMac); // egress: source MAC → host MAC
      for (const f of toC) expect(f.dst).toBe(hostMac); // on the wire the container is the host MAC
      const atPort = framesAt(s, port).filter((f) => f.ip);
      expect(atPort.filter((f) => f.ip!.dst === c.ip).every((f) => f.dst === c.mac)).toBe(true); // ingress: dst → container MAC
      expect(atPort.filter((f) => f.ip!.src === c.ip).every((f) => f.src === c.mac)).toBe(true);
      // the hop that did it
      const rewrites = packets(s).flatMap((p) => p.hops).filter((h) => h.stage === 'mac-rewrite');
      expect(rewrites.some((h) => h.after['eth.src'] === hostMac)).toBe(true);
      expect(rewrites.some((h) => h.after['eth.dst'] === c.mac)).toBe(true);
    }
  });
});

// ---- overlay ----------------------------------------------------------------------------------------

describe('overlay: VXLAN between hosts', () => {
  const script = `host manager --os ws2019 --ip 10.0.0.11/24
docker swarm init --advertise-addr 10.0.0.11
host worker --os ws2019 --ip 10.0.0.12/24
docker swarm join --token SWMTKN-1-3pu6hszjas19xyp7ghgosyx9k8atbfcr8p2is99znpy26u2lkl-1awxwuwd3z9j1z3puu7rcgdbx 10.0.0.11:2377
host manager
docker network create -d overlay --attachable ov
docker network inspect ov
docker run -d --name web --network ov microsoft/iis
docker inspect web
host worker
docker run -d --name app --network ov microsoft/nanoserver
docker inspect app
expect docker exec app ping -n 1 web
expect docker exec app curl http://web/
`;

  it('frames between the hosts are outer IPv4/UDP 4789/VXLAN with the network VNI and the provider addresses; the inner frame is untouched', async () => {
    const r = await run(script);
    expect(r.expectations.map((e) => e.ok)).toEqual([true, true]);
    const vni = Number(json<any[]>(step(r, 'docker network inspect ov'))[0].Options['com.docker.network.driver.overlay.vxlanid_list']);
    expect(vni).toBeGreaterThanOrEqual(4096);
    const web = containerAddr(r, 'web');
    const app = containerAddr(r, 'app');
    const pa = { manager: '10.0.0.11', worker: '10.0.0.12' };

    for (const cmd of ['docker exec app ping', 'docker exec app curl']) {
      const s = step(r, cmd);
      const lan = framesAt(s, 'LAN');
      const overlayPackets = lan.filter((f) => f.vxlan);
      expect(overlayPackets.length).toBeGreaterThanOrEqual(2);
      for (const f of overlayPackets) {
        expect(f.ip!.proto).toBe(17);
        expect(f.l4!.dport).toBe(4789);
        expect(f.vxlan!.flags & 0x08).toBe(0x08); // I flag: the VNI is valid
        expect(f.vxlan!.vni).toBe(vni);
        expect(f.len).toBe(f.inner!.len + 50); // 50 bytes of encapsulation
        const up = f.inner!.ip!.src === app.ip;
        expect([f.ip!.src, f.ip!.dst]).toEqual(up ? [pa.worker, pa.manager] : [pa.manager, pa.worker]);
        expect([f.inner!.ip!.src, f.inner!.ip!.dst]).toEqual(up ? [app.ip, web.ip] : [web.ip, app.ip]);
        expect(f.l4!.sport).toBeGreaterThanOrEqual(1024); // a flow-hash source port, not 0 or 4789
      }
      // the inner frame on the LAN is the frame the container sent, byte for byte
      const sent = packets(s).flatMap((p) => p.frames ?? []).filter((x) => x.at === 'worker port app').map((x) => x.hex);
      for (const f of overlayPackets.filter((x) => x.inner!.ip!.src === app.ip)) expect(sent).toContain(f.innerHex);
      // nothing of the overlay leaves a host unencapsulated
      const leaked = lan.filter((f) => !f.vxlan && f.ip && (f.ip.src.startsWith('10.0.2.') || f.ip.dst.startsWith('10.0.2.')));
      expect(leaked).toEqual([]);
    }
  });
});

// ---- nat --------------------------------------------------------------------------------------------

describe('nat: WinNAT translates out and back', () => {
  const script = `client bing --ip 204.79.197.200 --internet
client laptop --ip 10.0.0.50
docker run -d --name web -p 8080:80 microsoft/iis
docker inspect web
expect docker exec web curl http://bing/
expect client laptop curl http://10.0.0.10:8080/
`;

  it('outbound: the LAN sees the host address; the reply is translated back to the container address and port', async () => {
    const r = await run(script);
    expect(r.expectations.map((e) => e.ok)).toEqual([true, true]);
    const web = containerAddr(r, 'web');
    const s = step(r, 'docker exec web curl');
    const syn = packets(s).find((p) => p.summary.includes('> 204.79.197.200:80 [S]'))!;
    const synPort = parse(syn.frames!.find((f) => f.at === 'host1 port web')!.hex);
    const synLan = parse(syn.frames!.find((f) => f.at === 'LAN')!.hex);
    expect(synPort.ip!.src).toBe(web.ip);
    expect(synLan.ip!.src).toBe('10.0.0.10');
    const synAck = packets(s).find((p) => p.summary.startsWith('TCP 204.79.197.200:80 >') && p.summary.endsWith('[S.]'))!;
    expect(synAck.verdict).toBe('delivered');
    const backLan = parse(synAck.frames!.find((f) => f.at === 'LAN')!.hex);
    const backPort = parse(synAck.frames!.find((f) => f.at === 'host1 port web')!.hex);
    expect(backLan.ip!.dst).toBe('10.0.0.10');
    expect(backLan.l4!.dport).toBe(synLan.l4!.sport);
    expect(backPort.ip!.dst).toBe(web.ip); // translated back to the container
    expect(backPort.l4!.dport).toBe(synPort.l4!.sport);
    expect(backPort.dst).toBe(web.mac);
    const natHop = synAck.hops.find((h) => h.stage === 'nat')!;
    expect(natHop.after['ip.dst']).toBe(web.ip);
  });

  it('inbound through a published port: DNAT to the container, the reply leaves from the host address and port', async () => {
    const r = await run(script);
    const web = containerAddr(r, 'web');
    const s = step(r, 'client laptop curl');
    const syn = packets(s).find((p) => p.summary.endsWith('> 10.0.0.10:8080 [S]'))!;
    const inPort = parse(syn.frames!.find((f) => f.at === 'host1 port web')!.hex);
    expect([inPort.ip!.dst, inPort.l4!.dport]).toEqual([web.ip, 80]);
    expect(inPort.ip!.src).toBe('10.0.0.50');
    const synAck = packets(s).find((p) => p.summary.endsWith('[S.]'))!;
    const outLan = parse(synAck.frames!.find((f) => f.at === 'LAN')!.hex);
    expect([outLan.ip!.src, outLan.l4!.sport, outLan.ip!.dst]).toEqual(['10.0.0.10', 8080, '10.0.0.50']);
  });
});

// ---- VLAN -------------------------------------------------------------------------------------------

describe('transparent with vlanid: 802.1Q on the wire', () => {
  const script = `host host1 --ip 10.0.0.10/24 --nic "Ethernet 2"
host other --ip 10.0.0.11/24 --nic "Ethernet 2"
host host1
docker network create -d transparent --subnet=10.0.11.0/24 --gateway=10.0.11.1 -o com.docker.network.windowsshim.vlanid=11 -o com.docker.network.windowsshim.interface="Ethernet 2" v11
docker run -d --name a --network v11 --ip 10.0.11.21 microsoft/nanoserver
host other
docker network create -d transparent --subnet=10.0.11.0/24 --gateway=10.0.11.1 -o com.docker.network.windowsshim.vlanid=11 -o com.docker.network.windowsshim.interface="Ethernet 2" v11
docker network create -d transparent --subnet=10.0.12.0/24 --gateway=10.0.12.1 -o com.docker.network.windowsshim.vlanid=12 v12
docker run -d --name b --network v11 --ip 10.0.11.22 microsoft/nanoserver
docker run -d --name c --network v12 --ip 10.0.12.23 microsoft/nanoserver
host host1
expect docker exec a ping -n 1 10.0.11.22
expect-fail docker exec a ping -n 1 10.0.12.23
`;

  it('frames on the LAN carry VID 11; the container ports see them untagged; VLAN 12 is never reached', async () => {
    const r = await run(script);
    expect(r.expectations.map((e) => e.ok)).toEqual([true, true]);
    const s = step(r, 'docker exec a ping -n 1 10.0.11.22');
    const lan = framesAt(s, 'LAN');
    expect(lan.length).toBeGreaterThanOrEqual(2);
    for (const f of lan) expect(f.vlan).toBe(11);
    expect(lan.some((f) => f.icmp?.type === 8) && lan.some((f) => f.icmp?.type === 0)).toBe(true);
    for (const at of ['host1 port a', 'other port b']) {
      const fs = framesAt(s, at);
      expect(fs.length).toBeGreaterThan(0);
      for (const f of fs) expect(f.vlan).toBeNull();
    }
    const other = step(r, 'docker exec a ping -n 1 10.0.12.23');
    expect(framesAt(other, 'other port c')).toEqual([]);
    for (const f of framesAt(other, 'LAN')) expect(f.vlan).toBe(11);
  });
});

// ---- transparent ------------------------------------------------------------------------------------

describe('transparent: the container is on the physical network', () => {
  it('its own MAC and IP are on the wire, with no translation', async () => {
    const r = await run(`host host1 --ip 10.0.0.10/24
client laptop --ip 10.0.0.50
docker network create -d transparent --subnet=10.0.0.0/24 --gateway=10.0.0.1 tr
docker run -d --name web --network tr --ip 10.0.0.105 microsoft/iis
docker inspect web
expect client laptop curl http://10.0.0.105/
`);
    expect(r.expectations[0]!.ok).toBe(true);
    const web = containerAddr(r, 'web');
    const s = step(r, 'client laptop curl');
    const lan = framesAt(s, 'LAN').filter((f) => f.ip);
    expect(lan.filter((f) => f.ip!.src === web.ip).every((f) => f.src === web.mac)).toBe(true);
    expect(lan.filter((f) => f.ip!.dst === web.ip).every((f) => f.dst === web.mac)).toBe(true);
    expect(packets(s).flatMap((p) => p.hops).filter((h) => h.stage === 'nat' && h.action !== 'pass')).toEqual([]);
  });
});

// ---- Switch Embedded Teaming ------------------------------------------------------------------------

describe('Switch Embedded Teaming', () => {
  // Was bug B9 (fixed): every flow left on the first team member. SPEC §3: flows are spread over
  // the members by hash and the trace shows which member carried a flow.
  it('spreads twelve flows over both members of the team', async () => {
    const curls = Array.from({ length: 12 }, (_, i) => `docker exec web curl http://10.0.0.50:${8001 + i}/`).join('\n');
    const r = await run(`host host1 --nic "Ethernet" --ip 10.0.0.10/24 --nic "Ethernet 2" --nic "Ethernet 3"
client laptop --ip 10.0.0.50
docker network create -d transparent --subnet=10.0.0.0/24 --gateway=10.0.0.1 -o com.docker.network.windowsshim.interface="Ethernet 2", "Ethernet 3" team
docker run -d --name web --network team --ip 10.0.0.60 microsoft/iis
${curls}
`);
    const members = new Set<string>();
    for (const s of r.steps.filter((x) => x.command.startsWith('docker exec web curl'))) {
      for (const p of packets(s).filter((x) => x.summary.startsWith('TCP 10.0.0.60'))) {
        for (const h of p.hops) if (h.stage === 'wire' && / → LAN$/.test(h.at)) members.add(h.at);
      }
    }
    expect([...members].sort()).toEqual(['Ethernet 2 → LAN', 'Ethernet 3 → LAN']);
  });
});

// ---- l2tunnel ---------------------------------------------------------------------------------------

describe('l2tunnel', () => {
  // Bug B10: two containers of one host are bridged on the vSwitch; SPEC §3 models l2tunnel as
  // hair-pinning all traffic through the external NIC (to the physical host that applies policy).
  it.fails('hair-pins container-to-container traffic of one host through the external NIC (bug B10)', async () => {
    const r = await run(`docker network create -d l2tunnel --subnet=10.0.0.0/24 --gateway=10.0.0.1 t
docker run -d --name a --network t --ip 10.0.0.31 microsoft/nanoserver
docker run -d --name b --network t --ip 10.0.0.32 microsoft/nanoserver
expect docker exec a ping -n 1 10.0.0.32
`);
    const s = step(r, 'docker exec a ping');
    const echo = packets(s).find((p) => p.summary.startsWith('ICMP 10.0.0.31 > 10.0.0.32'))!;
    expect(echo.verdict).toBe('delivered');
    expect(echo.frames!.map((f) => f.at)).toContain('LAN');
  });
});

// ---- the sending stack --------------------------------------------------------------------------------

describe('TTL', () => {
  // Was bug B7 (fixed): the sending compartment decremented the TTL of its own packets. A host
  // does not decrement what it originates, and with no router in between Windows prints TTL=128.
  it('a ping between two containers of one nat network leaves with TTL 128 and reports TTL=128', async () => {
    const r = await run(`docker run -d --name web microsoft/iis
docker run -d --name db microsoft/nanoserver
expect docker exec web ping -n 1 db
`);
    const s = step(r, 'docker exec web ping');
    const req = packets(s).find((p) => p.summary.startsWith('ICMP') && p.summary.includes('echo request'))!;
    expect(parse(req.frames!.find((f) => f.at === 'host1 port web')!.hex).ip!.ttl).toBe(128);
    expect(s.output).toMatch(/TTL=128/);
  });
});

// ---- flood ------------------------------------------------------------------------------------------

describe('flood through a published port', () => {
  // Was bug B2 (fixed): the flood's frames to the host's published port were flooded by the LAN
  // switch and dropped with SWITCH_FLOOD_NO_SLOT; none went through WinNAT.
  it('delivers every packet to the container through WinNAT', async () => {
    const r = await run(`client laptop --ip 10.0.0.50
docker run -d --name web -p 8080:80 microsoft/iis
expect flood laptop host1 tcp/8080 --packets 2000 --flows 16
`);
    const s = step(r, 'flood');
    expect(s.output).toMatch(/^\s*delivered\s+2,000\b/m);
    expect(s.output).not.toMatch(/dropped/);
  });
});

// ---- swarm services ---------------------------------------------------------------------------------

describe('swarm services', () => {
  // Bug B14: a service on a user overlay network with a published port makes runScript throw
  // `RangeError: vtep table: network 2 listed twice` (its task has endpoints on ingress and on the
  // network, and the VTEP table lists the network twice). SPEC §6: nothing a user types crashes.
  it('a service on an overlay network with a published port runs and is reachable through any node (was bug B14: the routing mesh)', async () => {
    const r = await run(`host m --ip 10.0.0.11/24
docker swarm init --advertise-addr 10.0.0.11
client laptop --ip 10.0.0.50
docker network create -d overlay ov
docker service create --name web --network ov -p 8080:80 microsoft/iis
expect client laptop curl http://10.0.0.11:8080/
`);
    expect(r.expectations.map((e) => e.ok)).toEqual([true]);
  });

  // Bug B13: the service name resolves to its VIP, but nothing answers at the VIP (no VFP load
  // balancing to the tasks), so a connection to the service name times out.
  it('a connection to a service name reaches a task through the VIP (was bug B13: VFP load balancing)', async () => {
    const r = await run(`host m --ip 10.0.0.11/24
docker swarm init --advertise-addr 10.0.0.11
docker network create -d overlay --attachable ov
docker service create --name api --network ov --replicas 2 microsoft/iis
docker run -d --name client --network ov microsoft/nanoserver
expect docker exec client nslookup api
expect docker exec client curl http://api/
`);
    expect(r.expectations.map((e) => e.ok)).toEqual([true, true]);
    const syn = packets(step(r, 'docker exec client curl')).find((p) => p.summary.includes(':80 [S]'))!;
    expect(syn.verdict).toBe('delivered');
  });
});
