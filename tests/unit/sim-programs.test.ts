/**
 * programs.ts, table-driven: one row per line of the architecture table (the comment block at the top
 * of src/sim/programs.ts and docs/architecture.md) — the program each place runs, with its guards.
 * Programs are rendered as text: `parse vlan-in(1) [dst 172.16.0.5/32: nat(2,in)] switch(1)`.
 */
import { describe, expect, it } from 'vitest';
import * as abi from '../../src/abi.js';
import type { ProgramStep } from '../../src/engine/core.js';
import type { Guard, GuardTerm } from '../../src/engine/loaders/guard.js';
import { deriveHost } from '../../src/sim/derive.js';
import { compilePrograms, LAN_SWITCH, ROUTER, slowProgram, type HostPrograms } from '../../src/sim/programs.js';
import type { PortDesc } from '../../src/sim/fabric.js';
import { formatIp, formatMac } from '../../src/addr.js';
import type { World } from '../../src/model/types.js';
import { runOk } from './model-helpers.js';
import { NAT_LOCALHOST, NAT_LOCALHOST_SOURCE, NAT_VFP, NAT_VIP_FIRST, VIP_MAC_REWRITE_BASE, aclCompartment, aclEndpoint } from '../../src/sim/numbering.js';

const NAMES: Record<number, string> = {
  [abi.STAGE_PARSE]: 'parse', [abi.STAGE_VLAN_IN]: 'vlan-in', [abi.STAGE_VLAN_OUT]: 'vlan-out', [abi.STAGE_ACL]: 'acl',
  [abi.STAGE_NAT]: 'nat', [abi.STAGE_VXLAN_ENCAP]: 'vxlan-encap', [abi.STAGE_VXLAN_DECAP]: 'vxlan-decap',
  [abi.STAGE_MAC_REWRITE]: 'mac-rewrite', [abi.STAGE_SWITCH]: 'switch', [abi.STAGE_ROUTE]: 'route',
};

function term(t: GuardTerm): string {
  const parts: string[] = [];
  if (t.srcIp) parts.push(`src ${formatIp(t.srcIp.base)}/${t.srcIp.len}`);
  if (t.dstIp) parts.push(t.dstIp.len === 0 ? 'ipv4' : `dst ${formatIp(t.dstIp.base)}/${t.dstIp.len}`);
  if (t.proto !== undefined) parts.push(`proto ${t.proto}`);
  if (t.sport) parts.push(`sport ${t.sport.lo}`);
  if (t.dport) parts.push(`dport ${t.dport.lo}`);
  if (t.srcMac !== undefined) parts.push(`src-mac ${formatMac(t.srcMac)}`);
  if (t.dstMac !== undefined) parts.push(`dst-mac ${formatMac(t.dstMac)}`);
  if (t.flags === abi.F_VXLAN) parts.push('vxlan');
  else if (t.flags === abi.F_ARP) parts.push('arp');
  if (t.opensFlow) parts.push('opens-flow');
  return parts.join(' ');
}

/** A compiled program as text; a guard shows its terms (`|` between them, `not` when negated). A
 *  port's UFT step shows as the layers it stands for (the UFT itself: its own test below). */
function render(compiled: readonly ProgramStep[], guards: Guard[]): string {
  const program = slowProgram(compiled);
  const out: string[] = [];
  const close: number[] = [];
  program.forEach((s, i) => {
    if (s.stage === abi.STAGE_GUARD) {
      const g = guards[s.a0 ?? 0];
      out.push(`[${g.negate ? 'not ' : ''}${g.terms.map(term).join(' | ')}:`);
      close.push(i + (s.a1 ?? 0));
      return;
    }
    // ACL: a1 = 1 outbound; NAT and MAC rewrite: a1 = 1 inbound (ingress).
    const dir = s.stage === abi.STAGE_ACL ? `,${s.a1 ? 'out' : 'in'}` : s.stage === abi.STAGE_NAT || s.stage === abi.STAGE_MAC_REWRITE ? `,${s.a1 ? 'in' : 'out'}` : '';
    const args = s.stage === abi.STAGE_PARSE || s.stage === abi.STAGE_VXLAN_DECAP || s.stage === abi.STAGE_VXLAN_ENCAP ? '' : `(${s.a0 ?? 0}${dir})`;
    let text = `${NAMES[s.stage]}${s.stage === abi.STAGE_ROUTE && s.a1 ? `(${s.a0},originate)` : args}`;
    while (close.length && close[close.length - 1] === i) {
      text += ']';
      close.pop();
    }
    out.push(text);
  });
  return out.join(' ');
}

interface Setup {
  world: World;
  progs: HostPrograms;
  port(kind: PortDesc['kind'], name?: string): PortDesc;
}

function setup(script: string, host?: string): Setup {
  const { world } = runOk(script);
  const h = host ? world.hosts.find((x) => x.name === host)! : world.hosts[0];
  const plan = deriveHost(world, h);
  const progs = compilePrograms(world, plan);
  return {
    world,
    progs,
    port: (kind, name) => plan.fabric.ports.find((p) => p.kind === kind && (!name || p.name.includes(name)))!,
  };
}

const NAT = 'host h --os ws2019 --ip 10.0.0.10/24 --gateway 10.0.0.1\ndocker run -d --name web -p 8080:80 microsoft/iis\nnetsh advfirewall firewall add rule name=x dir=in action=allow protocol=tcp localport=81';
const L2BRIDGE = 'host h --os ws2019 --ip 10.0.0.10/24 --gateway 10.0.0.1\ndocker network create -d l2bridge --subnet=10.0.0.0/24 --gateway=10.0.0.1 -o com.docker.network.windowsshim.enable_outboundnat=true b\ndocker run -d --name web --network b --ip 10.0.0.21 microsoft/iis';
const L2TUNNEL = 'host h --os ws2019 --ip 10.0.0.10/24 --gateway 10.0.0.1\ndocker network create -d l2tunnel --subnet=10.0.0.0/24 --gateway=10.0.0.1 t\ndocker run -d --name web --network t --ip 10.0.0.21 microsoft/iis';
const OVERLAY = [
  'host a --os ws2019 --ip 10.0.0.10/24 --gateway 10.0.0.1',
  'docker swarm init --advertise-addr 10.0.0.10',
  'docker network create -d overlay --attachable --subnet=10.10.0.0/24 ov',
  'docker service create --name api --network ov --replicas 1 microsoft/iis',
  'docker run -d --name app --network ov microsoft/nanoserver',
  'host b --os ws2019 --ip 10.0.0.11/24 --gateway 10.0.0.1',
  'docker swarm join --token SWMTKN-1-3pu6hszjas19xyp7ghgosyx9k8atbfcr8p2is99znpy26u2lkl-1awxwuwd3z9j1z3puu7rcgdbx 10.0.0.10:2377',
  'docker run -d --name web --network ov microsoft/iis',
].join('\n');

describe('programs: the architecture table, one row per place', () => {
  it('route (compartment, host stack): parse → route(domain, originate)', () => {
    const s = setup(NAT);
    expect(render(s.progs.route(1), s.progs.guards)).toBe('parse route(1,originate)');
  });

  it('vSwitch port in, endpoint (nat): parse → vlan-in → acl(VFP, out) → switch', () => {
    const s = setup(NAT);
    const ep = s.port('endpoint', 'web');
    expect(render(s.progs.vswitchIngress(ep.id), s.progs.guards)).toBe(`parse vlan-in(1) acl(${aclEndpoint(ep.id)},out) switch(1)`);
  });

  it('vSwitch port in, endpoint (overlay, ws2019): a VIP load balancer per VIP, VFP outbound NAT for IPv4 off its subnet', () => {
    const s = setup(OVERLAY, 'a');
    const ep = s.port('endpoint', 'app');
    const text = render(s.progs.vswitchIngress(ep.id), s.progs.guards);
    expect(text).toMatch(new RegExp(String.raw`^parse vlan-in\(\d+\) acl\(\d+,out\) \[dst 10\.10\.0\.\d+\/32: nat\(${NAT_VIP_FIRST},in\) mac-rewrite\(${VIP_MAC_REWRITE_BASE + NAT_VIP_FIRST},in\)\] \[ipv4: \[not dst 10\.10\.0\.0\/24: nat\(${NAT_VFP},out\)\]\] switch\(\d+\)$`));
  });

  it('vSwitch port in, endpoint (l2tunnel): no switch, the frame is hair-pinned through the external port', () => {
    const s = setup(L2TUNNEL);
    const ep = s.port('endpoint', 'web');
    expect(render(s.progs.vswitchIngress(ep.id), s.progs.guards)).toMatch(/^parse vlan-in\(\d+\) acl\(\d+,out\)$/);
    expect(s.progs.hairpin(ep.id)).toBe(s.port('external').id);
  });

  it('vSwitch port in, external (overlay): VXLAN frames are decapsulated and parsed again', () => {
    const s = setup(OVERLAY, 'a');
    const ext = s.port('external');
    expect(render(s.progs.vswitchIngress(ext.id), s.progs.guards)).toMatch(/^parse vlan-in\((\d+)\) \[vxlan: vxlan-decap parse vlan-in\(\1\)\] switch\(\1\)$/);
  });

  it('vSwitch port in, external (l2bridge): VFP NAT replies, MAC rewrite toward an endpoint (or any ARP)', () => {
    const s = setup(L2BRIDGE);
    const ext = s.port('external');
    expect(render(s.progs.vswitchIngress(ext.id), s.progs.guards)).toMatch(/^parse vlan-in\((\d+)\) nat\(1,in\) \[dst 10\.0\.0\.21\/32 \| arp: mac-rewrite\(\1,in\)\] switch\(\1\)$/);
  });

  it('vSwitch port in, host vNIC: parse → vlan-in → switch', () => {
    const s = setup(NAT);
    expect(render(s.progs.vswitchIngress(s.port('vnic').id), s.progs.guards)).toBe('parse vlan-in(1) switch(1)');
  });

  it('vSwitch port out, endpoint: acl(VFP, in) → vlan-out; a VIP task answers through its load balancer', () => {
    const nat = setup(NAT);
    const ep = nat.port('endpoint', 'web');
    expect(render(nat.progs.vswitchEgress(ep.id, nat.port('vnic').id), nat.progs.guards)).toBe(`acl(${aclEndpoint(ep.id)},in) vlan-out(1)`);
    const ov = setup(OVERLAY, 'a');
    const task = ov.port('endpoint', 'api');
    expect(render(ov.progs.vswitchEgress(task.id, 0), ov.progs.guards)).toMatch(new RegExp(String.raw`^\[src 10\.10\.0\.\d+\/32 sport 80: nat\(${NAT_VIP_FIRST},out\)\] acl\(\d+,in\) vlan-out\(\d+\)$`));
  });

  it('vSwitch port out, external (l2bridge): MAC rewrite of every frame but the host\'s own', () => {
    const s = setup(L2BRIDGE);
    const ext = s.port('external');
    expect(render(s.progs.vswitchEgress(ext.id, s.port('endpoint').id), s.progs.guards)).toBe(`[not src-mac ${formatMac(ext.mac)}: mac-rewrite(${ext.vswitch},out)] vlan-out(${ext.vswitch})`);
  });

  it('vSwitch port out, external (overlay): encap for an overlay port\'s frames, for others only to a remote endpoint', () => {
    const s = setup(OVERLAY, 'a');
    const ext = s.port('external');
    const app = s.port('endpoint', 'app');
    expect(render(s.progs.vswitchEgress(ext.id, app.id), s.progs.guards)).toBe(`vxlan-encap vlan-out(${ext.vswitch})`);
    expect(render(s.progs.vswitchEgress(ext.id, s.port('vnic').id), s.progs.guards)).toMatch(new RegExp(`^\\[dst-mac [0-9A-F-]+: vxlan-encap\\] vlan-out\\(${ext.vswitch}\\)$`));
  });

  // VFP's unified flow table (NSDI 2017 §5): a port's layers run behind the port's own UFT when an
  // entry can hold them: guards on addresses, protocol and ports only; no decap, each stage once.
  it('vSwitch ports run their VFP layers behind a UFT of their own (not where an entry cannot hold them)', () => {
    const s = setup(L2BRIDGE);
    const ep = s.port('endpoint', 'web');
    const ext = s.port('external');
    const stages = (p: readonly ProgramStep[]) => p.map((x) => x.stage);
    const ingress = s.progs.vswitchIngress(ep.id);
    expect(stages(ingress)).toEqual([abi.STAGE_PARSE, abi.STAGE_VLAN_IN, abi.STAGE_UFT]);
    const uft = s.progs.ufts.find((u) => u.id === ingress[2].a0)!;
    // Its layers: the program without the UFT, from the ACL to the switch (the guards included).
    expect(uft.layers).toEqual(slowProgram(ingress).slice(2));
    expect(render(uft.layers, s.progs.guards)).toBe(`acl(${aclEndpoint(ep.id)},out) [ipv4: [not dst 10.0.0.0/24: nat(${NAT_VFP},out)]] switch(${ep.vswitch})`);
    // The egress of an endpoint port: uft(acl) → vlan-out.
    expect(stages(s.progs.vswitchEgress(ep.id, ext.id))).toEqual([abi.STAGE_UFT, abi.STAGE_VLAN_OUT]);
    // The external port's ingress guard reads addresses and the ARP flag (no flow the UFT keeps is
    // ARP): behind a UFT. Its egress guard reads the source MAC: no UFT.
    expect(stages(s.progs.vswitchIngress(ext.id))).toEqual([abi.STAGE_PARSE, abi.STAGE_VLAN_IN, abi.STAGE_UFT]);
    expect(s.progs.vswitchEgress(ext.id, ep.id).some((x) => x.stage === abi.STAGE_UFT)).toBe(false);
    // Every UFT has its own id; the programs name only those.
    expect(new Set(s.progs.ufts.map((u) => u.id)).size).toBe(s.progs.ufts.length);
    // An overlay external port decapsulates first: an entry cannot hold decap, no UFT.
    const o = setup(OVERLAY, 'a');
    expect(o.progs.vswitchIngress(o.port('external').id).some((x) => x.stage === abi.STAGE_UFT)).toBe(false);
  });

  it('vSwitch port out, host vNIC: vlan-out', () => {
    const s = setup(NAT);
    expect(render(s.progs.vswitchEgress(s.port('vnic').id, s.port('endpoint').id), s.progs.guards)).toBe('vlan-out(1)');
  });

  it('host stack in, uplink: the firewall judges new flows, WinNAT, route', () => {
    const s = setup(NAT);
    expect(render(s.progs.hostIngress(s.port('nic').id), s.progs.guards)).toBe('parse [opens-flow: acl(1,in)] nat(0,in) route(1)');
    expect(s.progs.isUplink(s.port('nic').id)).toBe(true);
  });

  it('host stack in, host vNIC: a published port\'s reply to the host goes back through WinNAT (from 1803 first through its localhost mappings)', () => {
    const s = setup(NAT);
    const web = s.world.hosts[0].endpoints[0];
    expect(render(s.progs.hostIngress(s.port('vnic').id), s.progs.guards)).toBe(
      `parse [src ${web.ip}/32 dst 10.0.0.10/32 sport 80: nat(${NAT_LOCALHOST_SOURCE},in)] [src ${web.ip}/32 dst 127.0.0.1/32 sport 80: nat(${NAT_LOCALHOST},out)] [src ${web.ip}/32 dst 10.0.0.10/32 sport 80: nat(0,out)] route(1)`,
    );
    expect(s.progs.isUplink(s.port('vnic').id)).toBe(false);
    // 1709 had no localhost forwarding (docker/for-win #1178, #204).
    const old = setup(NAT.replace('ws2019', 'ws1709'));
    const oldWeb = old.world.hosts[0].endpoints[0];
    expect(render(old.progs.hostIngress(old.port('vnic').id), old.progs.guards)).toBe(`parse [src ${oldWeb.ip}/32 dst 10.0.0.10/32 sport 80: nat(0,out)] route(1)`);
  });

  it('host stack out, NIC: WinNAT source NAT', () => {
    expect(render(setup(NAT).progs.hostEgressNic, [])).toBe('nat(0,out)');
    expect(render(setup('host h --ip 10.0.0.10/24').progs.hostEgressNic, [])).toBe('');
  });

  it('NAT loopback (ws1709+): the host\'s own address and a published port, through WinNAT; from 1803 also 127.0.0.1 (docker/for-win #204)', () => {
    const s = setup(NAT);
    expect(render(s.progs.loopback, s.progs.guards)).toBe(
      `[dst 10.0.0.10/32 proto 6 dport 8080: nat(0,in) route(1,originate)] [dst 127.0.0.1/32 proto 6 dport 8080: nat(${NAT_LOCALHOST},in) nat(${NAT_LOCALHOST_SOURCE},out) route(1,originate)]`,
    );
    expect(render(setup(NAT.replace('ws2019', 'ws1709')).progs.loopback, setup(NAT.replace('ws2019', 'ws1709')).progs.guards)).toBe('[dst 10.0.0.10/32 proto 6 dport 8080: nat(0,in) route(1,originate)]');
    expect(setup(NAT.replace('ws2019', 'ws2016')).progs.loopback).toEqual([]);
  });

  it('delivery into a compartment: the container\'s own firewall judges new flows', () => {
    const s = setup(NAT);
    const domain = s.world.hosts[0].containers[0].compartmentId;
    expect(render(s.progs.compartmentIngress(domain), s.progs.guards)).toBe(`parse [opens-flow: acl(${aclCompartment(domain)},in)]`);
  });

  it('the LAN and the router', () => {
    expect(render(LAN_SWITCH, [])).toBe('parse vlan-in(1) switch(1) vlan-out(1)');
    expect(render(ROUTER, [])).toBe('parse route(1)');
  });

  it('numbers each distinct guard once per plane', () => {
    const s = setup(NAT);
    const keys = s.progs.guards.map((g) => JSON.stringify(g));
    expect(new Set(keys).size).toBe(keys.length);
  });
});
