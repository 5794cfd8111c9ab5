/**
 * derive.ts, table-driven: for every network driver on every OS profile that has it, the contents a
 * host's plane must hold — FDB, VLAN port modes, ACL rule sets and their defaults, WinNAT / VFP NAT
 * instances, MAC rewrite, VXLAN tunnels, the neighbours HNS programs — and the LAN's.
 */
import { describe, expect, it } from 'vitest';
import { deriveHost, deriveLan, type HostPlan } from '../../src/sim/derive.js';
import { ACL_HOST_FIREWALL, NAT_VFP, NAT_VIP_FIRST, NAT_WINNAT, VIP_MAC_REWRITE_BASE } from '../../src/sim/numbering.js';
import { cidrNum, ipNum, macNum } from '../../src/addr.js';
import { providerAddress } from '../../src/model/queries.js';
import type { World } from '../../src/model/types.js';
import { osProfile } from '../../src/model/os.js';
import { runOk } from './model-helpers.js';

const OSES = ['ws2016', 'win10-1703', 'ws1709', 'win10-1803', 'win10-1809', 'ws2019', 'ws2022', 'ws2025'] as const;
type Os = (typeof OSES)[number];

function plan(world: World, host: string): HostPlan {
  return deriveHost(world, world.hosts.find((h) => h.name === host)!);
}

interface Row {
  driver: string;
  os: Os;
  script: string;
  check(p: HostPlan, world: World): void;
}

const nat = (os: Os): Row => ({
  driver: 'nat',
  os,
  script: `host h --os ${os} --ip 10.0.0.10/24 --gateway 10.0.0.1\ndocker run -d --name web -p 8080:80 microsoft/iis`,
  check(p, world) {
    const h = world.hosts[0];
    const ep = h.endpoints[0];
    const w = p.contents.nat.find((n) => n.id === NAT_WINNAT)!;
    // WinNAT translates the nat network's prefix to the host's address; the published port is a static mapping.
    expect(w.externalIp).toBe(ipNum('10.0.0.10'));
    // Every NAT of the host, in order: on win10-1803/1809 the Default Switch's ICS /28 follows nat's prefix.
    const prefixes = h.winnats.map((x) => cidrNum(x.internalPrefix)).map((x) => ({ base: x.base, len: x.len }));
    const natPrefix = cidrNum(h.winnats.find((x) => x.networkIds.includes(h.networks.find((n) => n.name === 'nat')!.id))!.internalPrefix);
    expect(prefixes[0]).toEqual({ base: natPrefix.base, len: natPrefix.len });
    expect(prefixes.length).toBe(os === 'win10-1803' || os === 'win10-1809' ? 2 : 1);
    expect(w.internal).toEqual(prefixes);
    expect(w.staticMappings).toEqual([expect.objectContaining({ proto: 6, externalPort: 8080, internalIp: ipNum(ep.ip), internalPort: 80 })]);
    expect(w.translateIcmp).toBe(true);
    expect(p.contents.nat.some((n) => n.id === NAT_VFP)).toBe(false);
    // The endpoint port and the host vNIC are static FDB entries of the internal vSwitch, both access ports.
    expect(p.contents.fdb.map((e) => e.mac)).toEqual(expect.arrayContaining([macNum(ep.mac), macNum(h.vswitches[0].hostVnic!.mac)]));
    expect(p.contents.vlans[0].ports.every((v) => v.mode === 'access')).toBe(true);
    // The host stack knows its endpoints without ARP (HNS programs them).
    expect(p.contents.domains.find((d) => d.id === 1)!.neighbors).toContainEqual({ ip: ipNum(ep.ip), mac: macNum(ep.mac) });
    // The host firewall's default inbound action follows the profile: block on ws2016 and 1703.
    const fw = p.contents.acl.find((a) => a.id === ACL_HOST_FIREWALL)!;
    expect(fw.set.defaultAction).toEqual({ in: os === 'ws2016' || os === 'win10-1703' ? 'block' : 'allow', out: 'allow' });
    expect(p.contents.macRewrite).toEqual([]);
    expect(p.contents.vxlan).toBeNull();
  },
});

const transparent = (os: Os): Row => ({
  driver: 'transparent',
  os,
  script: `host h --os ${os} --ip 10.0.0.10/24 --gateway 10.0.0.1\ndocker network create -d transparent --subnet=10.0.0.0/24 --gateway=10.0.0.1 t\ndocker run -d --name web --network t --ip 10.0.0.21 microsoft/iis`,
  check(p) {
    // The external port is a trunk; no NAT of any kind; the container's MAC is its own.
    const ext = p.fabric.ports.find((x) => x.kind === 'external')!;
    const vs = p.contents.vlans.find((v) => v.vswitch === ext.vswitch)!;
    expect(vs.ports.find((x) => x.port === ext.id)).toMatchObject({ mode: 'trunk' });
    expect(p.contents.nat.filter((n) => n.id !== NAT_WINNAT)).toEqual([]);
    expect(p.contents.macRewrite).toEqual([]);
  },
});

const l2bridge = (os: Os): Row => ({
  driver: 'l2bridge',
  os,
  script: `host h --os ${os} --ip 10.0.0.10/24 --gateway 10.0.0.1\ndocker network create -d l2bridge --subnet=10.0.0.0/24 --gateway=10.0.0.1 b\ndocker run -d --name web --network b --ip 10.0.0.21 microsoft/iis`,
  check(p, world) {
    const h = world.hosts[0];
    const ep = h.endpoints.find((e) => e.ip === '10.0.0.21')!;
    // MAC rewrite: container frames carry the host NIC's MAC; the endpoint is found by its IP.
    expect(p.contents.macRewrite).toEqual([{ id: expect.any(Number), hostMac: macNum(h.nics[0].mac), endpoints: [{ ip: ipNum('10.0.0.21'), mac: macNum(ep.mac) }] }]);
    expect(p.contents.nat.some((n) => n.id === NAT_VFP)).toBe(false);
  },
});

const l2bridgeOutboundNat = (os: Os): Row => ({
  driver: 'l2bridge (enable_outboundnat)',
  os,
  script: `host h --os ${os} --ip 10.0.0.10/24 --gateway 10.0.0.1\ndocker network create -d l2bridge --subnet=10.0.0.0/24 --gateway=10.0.0.1 -o com.docker.network.windowsshim.enable_outboundnat=true b\ndocker run -d --name web --network b --ip 10.0.0.21 microsoft/iis`,
  check(p) {
    // VFP outbound NAT for the endpoint, except toward its own subnet; ICMP is translated.
    const v = p.contents.nat.find((n) => n.id === NAT_VFP)!;
    expect(v.internal).toEqual([{ base: ipNum('10.0.0.21'), len: 32 }]);
    expect(v.exceptions).toContainEqual({ base: ipNum('10.0.0.0'), len: 24 });
    expect(v.translateIcmp).toBe(true);
  },
});

const l2tunnel = (os: Os): Row => ({
  driver: 'l2tunnel',
  os,
  script: `host h --os ${os} --ip 10.0.0.10/24 --gateway 10.0.0.1\ndocker network create -d l2tunnel --subnet=10.0.0.0/24 --gateway=10.0.0.1 t\ndocker run -d --name web --network t --ip 10.0.0.21 microsoft/iis`,
  check(p) {
    // An l2tunnel endpoint keeps its own MAC: the physical host's switch knows it (no rewrite here).
    expect(p.contents.macRewrite).toEqual([]);
    expect(p.fabric.ports.some((x) => x.kind === 'endpoint')).toBe(true);
  },
});

const overlay = (os: Os): Row => ({
  driver: 'overlay',
  os,
  script: [
    `host a --os ${os} --ip 10.0.0.10/24 --gateway 10.0.0.1`,
    'docker swarm init --advertise-addr 10.0.0.10',
    'docker network create -d overlay --attachable --subnet=10.10.0.0/24 ov',
    'docker run -d --name app --network ov microsoft/nanoserver',
    `host b --os ${os} --ip 10.0.0.11/24 --gateway 10.0.0.1`,
    'docker swarm join --token SWMTKN-1-3pu6hszjas19xyp7ghgosyx9k8atbfcr8p2is99znpy26u2lkl-1awxwuwd3z9j1z3puu7rcgdbx 10.0.0.10:2377',
    'docker run -d --name web --network ov microsoft/iis',
  ].join('\n'),
  check(p, world) {
    const b = world.hosts.find((h) => h.name === 'b')!;
    const web = b.endpoints.find((e) => b.containers.some((c) => c.name === 'web' && c.id === e.containerId) && e.role === 'primary')!;
    const vx = p.contents.vxlan!;
    // Host a tunnels to web on host b: remote provider address 10.0.0.11, local 10.0.0.10, the network's VNI.
    expect(vx.localVteps).toEqual([ipNum('10.0.0.10')]);
    const net = world.swarm!.networks.find((n) => n.name === 'ov') ?? world.hosts[0].networks.find((n) => n.name === 'ov')!;
    expect(vx.tunnels).toContainEqual(expect.objectContaining({ vni: net.vni, mac: macNum(web.mac), remotePa: ipNum('10.0.0.11'), localPa: ipNum('10.0.0.10') }));
    // The remote endpoint's MAC is reached through the external port.
    const ext = p.fabric.ports.find((x) => x.kind === 'external');
    expect(ext).toBeDefined();
    expect(p.contents.fdb).toContainEqual(expect.objectContaining({ mac: macNum(web.mac), port: ext!.id }));
    // Outside the overlay: VFP outbound NAT without ICMP where the profile has it, else a second
    // endpoint on nat (ws2016, 1709: the profile's overlayExternal).
    const vfp = p.contents.nat.find((n) => n.id === NAT_VFP);
    if (osProfile(os).overlayExternal === 'outbound-nat') expect(vfp?.translateIcmp).toBe(false);
    else {
      expect(vfp).toBeUndefined();
      expect(world.hosts[0].endpoints.some((e) => e.role === 'overlay-gateway')).toBe(true);
    }
  },
});

// enable_outboundnat on l2bridge needs ws1709 or later (the model refuses it before: see model-l2bridge tests).
const ROWS: Row[] = OSES.flatMap((os) => [nat(os), transparent(os), l2bridge(os), ...(os === 'ws2016' || os === 'win10-1703' ? [] : [l2bridgeOutboundNat(os)]), l2tunnel(os), overlay(os)]);

describe('derive: the contents of a host plane, per driver and OS profile', () => {
  for (const row of ROWS) {
    it(`${row.driver} on ${row.os}`, () => {
      const { world } = runOk(row.script);
      const host = world.hosts[0].name;
      const p = plan(world, host);
      expect(p.providerAddress).toBe(ipNum(providerAddress(world.hosts[0])!));
      row.check(p, world);
      // Derivation is pure: the same world gives the same contents.
      expect(JSON.stringify(plan(world, host).contents)).toBe(JSON.stringify(p.contents));
    });
  }
});

describe('derive: the provider address is one definition', () => {
  it('is the first NIC with an address, else the host vNIC of an external vSwitch', () => {
    const { world } = runOk('host h --ip 10.0.0.10/24 --gateway 10.0.0.1\ndocker network create -d transparent t');
    const h = world.hosts[0];
    expect(providerAddress(h)).toBe('10.0.0.10');
    const moved = { ...h, nics: h.nics.map((n) => ({ ...n, ip: null })), vswitches: h.vswitches.map((s) => (s.type === 'External' ? { ...s, hostVnic: { ...s.hostVnic!, ip: '10.0.0.10/24' } } : s)) };
    expect(providerAddress(moved)).toBe('10.0.0.10');
    expect(providerAddress({ ...h, nics: [], vswitches: [] })).toBeNull();
  });
});

describe('derive: service VIPs', () => {
  // moby v20.10.24 vendor/github.com/docker/libnetwork/service_windows.go (addLBBackend): every
  // enabled backend of the VIP goes into one ILB policy list on builds above 16236.
  it('programs one VFP load balancer per VIP the host can reach, over every running task', () => {
    const { world } = runOk([
      'host a --ip 10.0.0.10/24 --gateway 10.0.0.1',
      'docker swarm init --advertise-addr 10.0.0.10',
      'host b --ip 10.0.0.11/24 --gateway 10.0.0.1',
      'docker swarm join --token SWMTKN-1-3pu6hszjas19xyp7ghgosyx9k8atbfcr8p2is99znpy26u2lkl-1awxwuwd3z9j1z3puu7rcgdbx 10.0.0.10:2377',
      'host a',
      'docker network create -d overlay --subnet=10.20.0.0/24 ov',
      'docker service create --name web --network ov --replicas 3 microsoft/iis',
    ].join('\n'));
    const p = plan(world, 'a');
    expect(p.vips.length).toBe(1);
    const tasks = world.hosts.flatMap((h) => h.endpoints.filter((e) => h.containers.some((c) => c.id === e.containerId && c.service)).map((e) => ipNum(e.ip)));
    expect(tasks.length).toBe(3);
    expect(p.vips[0].tasks.map((t) => t.ip).sort()).toEqual([...tasks].sort());
    const lb = p.contents.nat.find((n) => n.id === NAT_VIP_FIRST)!;
    expect(lb.externalIp).toBe(p.vips[0].vip);
    expect(lb.loadBalance).toEqual({ seed: world.seed >>> 0 });
    expect(lb.staticMappings.filter((m) => m.externalPort === 80).map((m) => m.internalIp)).toEqual(p.vips[0].tasks.map((t) => t.ip));
    // The frame takes the chosen task's MAC after the translation.
    expect(p.contents.macRewrite.find((m) => m.id === VIP_MAC_REWRITE_BASE + NAT_VIP_FIRST)?.endpoints).toEqual(p.vips[0].tasks);
  });
});

describe('derive: the LAN', () => {
  it('has the router, every host NIC and every LAN client as ports, trunks for trunk-mode hosts', () => {
    const { world } = runOk('host a --ip 10.0.0.10/24 --gateway 10.0.0.1\nhost b --ip 10.0.0.11/24 --no-trunk\nclient laptop --ip 10.0.0.50\nclient far --ip 93.184.216.34 --internet');
    const lan = deriveLan(world);
    expect(lan.ports.map((p) => p.name)).toEqual(['router', 'a Ethernet', 'b Ethernet', 'laptop']);
    const modes = lan.contents.vlans[0].ports.map((p) => p.mode);
    expect(modes).toEqual(['access', 'trunk', 'access', 'access']);
    expect(lan.routerIp).toBe(ipNum('10.0.0.1'));
    expect(lan.contents.fdb.map((e) => e.port)).toEqual([1, 2, 3, 4]);
  });
});
