/**
 * Traffic that did not arrive: keyed by the typed drop reason of the hop that ended a packet
 * (DROP.* of src/engine/stages.ts, SIM_DROPS of src/sim/sim-drops.ts), or by the answer that
 * came back (a TCP reset: nothing listens). Each entry walks back from the drop to the state
 * that made it: no ARP reply ← no address ← no DHCP lease ← MAC spoofing off.
 * Sources: docs/behaviour.md (the section each `source` names) and the seed's tips.
 */
import { osProfile } from '../../model/os.js';
import type { Container, Host } from '../../model/types.js';
import type { Candidate, Cause, Drop, Evidence, Finding, Rule, Situation } from './types.js';
import { containerNamed, docker, endpointsOf, flagOf, lineText, ownerOf, replaceLine, runOnHostBefore, shimOption, trafficTarget } from './context.js';
import { insertBefore, withFlagValue, withoutFlag } from '../fixes.js';

const hopEvidence = (d: Drop): Evidence => ({
  kind: 'hop', line: d.hop?.sourceLine, hop: d.hop ?? undefined,
  text: d.hop ? `${d.packet.summary}: ${d.hop.action} at ${d.hop.host} / ${d.hop.at} (${d.hop.stage})${d.hop.rule ? `: ${d.hop.rule}` : ''}` : `${d.packet.summary}: ${d.packet.verdict}`,
});

const firstDrop = (s: Situation, ...reasons: string[]): Drop | undefined => s.drops.find((d) => d.reason !== null && reasons.includes(d.reason));

const MAC_SPOOFING_FIX = (host: Host): string => `Get-VMNetworkAdapter -VMName ${host.name} | Set-VMNetworkAdapter -MacAddressSpoofing On`;

/** Tip 3, reached from the frame the VM host dropped, or from an ARP nobody answered. */
const tip03: Rule = {
  id: 'tip03-dhcp-mac-spoofing', keys: ['SIM_MAC_SPOOFING_OFF', 'SIM_NO_ARP_REPLY', 'SIM_ARP_RETRY_FAILED'],
  source: 'seed tip 3; docs/behaviour.md "Drivers" (transparent without a subnet, Tip 3 fix)',
  explain(s) {
    const spoof = firstDrop(s, 'SIM_MAC_SPOOFING_OFF');
    const arp = firstDrop(s, 'SIM_NO_ARP_REPLY', 'SIM_ARP_RETRY_FAILED');
    const vm = s.world.hosts.find((h) => h.virtualized && !h.macSpoofing && h.endpoints.some((e) => e.dhcp === 'apipa'))
      ?? (spoof ? s.world.hosts.find((h) => h.name === spoof.hop?.host && h.virtualized && !h.macSpoofing) : undefined);
    if (!vm || !(spoof || arp)) return null;
    const d = (spoof ?? arp)!;
    const apipa = vm.endpoints.filter((e) => e.dhcp === 'apipa');
    const causes: Cause[] = [];
    if (arp && !spoof) causes.push({ id: 'no-arp-reply', text: `No station answered ARP for ${/(\d+\.\d+\.\d+\.\d+)/.exec(arp.text ?? '')?.[1] ?? 'the next hop'}: no container holds that address.`, line: s.line, source: 'docs/behaviour.md "ARP and flooding"' });
    for (const e of apipa.slice(0, 3)) {
      const c = vm.containers.find((x) => x.id === e.containerId);
      causes.push({ id: 'no-dhcp-lease', text: `${c ? `The container "${c.name}"` : 'An endpoint'} got no DHCP lease and fell back to the APIPA address ${e.ip}.`, line: c?.line ?? e.line, source: this.source });
    }
    causes.push({ id: this.id, text: `${vm.name} is a VM with MAC address spoofing off: the Hyper-V host drops frames whose source MAC is a container's, so DHCP (and all container traffic) fails.`, line: vm.line, source: this.source });
    return { causes, evidence: [hopEvidence(d)], fixes: [{ title: `Turn MAC address spoofing on for the VM ${vm.name}`, edits: [runOnHostBefore(s, vm.name, [MAC_SPOOFING_FIX(vm)])] }] };
  },
};

/** ARP for an address nobody answers: a stopped container, or nobody at all. */
const noArpReply: Rule = {
  id: 'no-arp-reply', keys: ['SIM_NO_ARP_REPLY', 'SIM_ARP_RETRY_FAILED', 'ROUTE_NO_NEIGHBOR'],
  source: 'docs/behaviour.md "ARP and flooding"',
  explain(s) {
    const d = firstDrop(s, 'SIM_NO_ARP_REPLY', 'SIM_ARP_RETRY_FAILED', 'ROUTE_NO_NEIGHBOR');
    const target = trafficTarget(s.cmd)?.target;
    const ip = /(\d+\.\d+\.\d+\.\d+)/.exec(d?.text ?? '')?.[1] ?? target;
    if (!d || !ip) return null;
    const owner = ownerOf(s.world, ip);
    if (owner?.kind === 'endpoint' && owner.container && owner.container.state !== 'running') {
      const c = owner.container;
      return {
        causes: [
          { id: this.id, text: `Nothing answered ARP for ${ip}.`, line: s.line, source: this.source },
          { id: 'container-stopped', text: `${ip} belongs to the container "${c.name}", which is ${c.state === 'exited' ? 'stopped' : 'not started'}.`, line: lastStop(s, c) ?? c.line, source: 'docs/behaviour.md "Containers"' },
        ],
        evidence: [hopEvidence(d)],
        fixes: [{ title: `Start "${c.name}" first`, edits: [runOnHostBefore(s, owner.host.name, [`docker start ${c.name}`])] }],
      };
    }
    if (owner) return null;
    return {
      causes: [{ id: this.id, text: `Nothing answered ARP for ${ip}: no host, client or container holds that address.`, line: s.line, source: this.source }],
      evidence: [hopEvidence(d)], fixes: [],
    };
  },
};

function lastStop(s: Situation, c: Container): number | undefined {
  return [...s.commands].reverse().find((x) => x.line < s.line && !!docker(x, 'stop')?.args.some((a) => a.value === c.name))?.line;
}

/** A user firewall rule blocked the flow: the rule's own line made it. */
const firewallRule: Rule = {
  id: 'firewall-rule-blocks', keys: ['ACL_BLOCKED'],
  source: 'docs/behaviour.md "Firewall" and "Firewall and NAT"',
  explain(s) {
    const d = firstDrop(s, 'ACL_BLOCKED');
    if (!d?.hop) return null;
    const line = d.hop.sourceLine;
    const made = line !== undefined ? s.commands.find((c) => c.line === line) : undefined;
    const fixes: Candidate[] = [];
    if (line !== undefined && made && line !== s.line) fixes.push({ title: `Remove the blocking rule of line ${line}`, edits: [{ kind: 'delete', line, was: lineText(s, line) }] });
    return {
      causes: [{ id: this.id, text: `${d.hop.rule ?? 'An ACL rule'} drops the packet at ${d.hop.at}.`, line: line ?? s.line, source: this.source }],
      evidence: [hopEvidence(d)], fixes,
    };
  },
};

/** The profile's default inbound block (ws2016, win10-1703) with no rule allowing the flow. */
const firewallDefault: Rule = {
  id: 'firewall-default-inbound-block', keys: ['ACL_DEFAULT_BLOCK'],
  source: 'docs/behaviour.md "Firewall" (profile defaults); SPEC §1 (deny inbound on ws2016 and win10-1703)',
  explain(s) {
    const d = firstDrop(s, 'ACL_DEFAULT_BLOCK');
    if (!d?.hop || !/Windows Firewall/.test(d.hop.rule ?? '')) return null;
    const h = s.world.hosts.find((x) => x.name === d.hop!.host);
    if (!h) return null;
    const inside = /Windows Firewall \(([^)]+)\)/.exec(d.hop.rule ?? '')?.[1];
    const container = inside && inside !== 'host' ? containerNamed(h, inside) : undefined;
    const m = /^(ICMP|TCP|UDP)\b.*?>\s*[\d.]+(?::(\d+))?/.exec(d.packet.summary);
    const proto = m?.[1];
    const rule = proto === 'ICMP'
      ? 'netsh advfirewall firewall add rule name="Allow ICMPv4" dir=in action=allow protocol=icmpv4'
      : proto && m?.[2] ? `netsh advfirewall firewall add rule name="Allow ${proto} ${m[2]}" dir=in action=allow protocol=${proto} localport=${m[2]}` : null;
    const where = container ? `the container "${container.name}"` : h.name;
    return {
      causes: [{ id: this.id, text: `The Windows Firewall of ${where} blocks inbound traffic by default on ${h.os} (${osProfile(h.os).inboundDefault === 'deny-all' ? 'deny all inbound' : 'only TCP, UDP, ICMPv4 and IGMP are allowed'}), and no rule allows this flow.`, line: container?.line ?? h.line, source: this.source }],
      evidence: [hopEvidence(d)],
      fixes: rule ? [{ title: `Allow it with a firewall rule on ${where}`, edits: [runOnHostBefore(s, h.name, [container ? `docker exec ${container.name} ${rule}` : rule])] }] : [],
    };
  },
};

/** A connection answered with a reset: nothing listens there (no NAT loopback, no published port, no service). */
const refused: Rule = {
  id: 'connection-refused', keys: ['tcp-reset'],
  source: 'docs/behaviour.md "Stations and answers" and "Windows versions after the seed" (localhost); SPEC §1 (NAT loopback from ws1709)',
  explain(s) {
    const t = trafficTarget(s.cmd);
    if (!t || t.tool !== 'curl' || t.port === null || s.answer !== 'refused') return null;
    const from = s.cmd?.kind === 'tool' ? s.host : undefined;
    const local = t.target === 'localhost' || t.target === '127.0.0.1';
    const owner = local && from ? { kind: 'host' as const, host: from } : /^\d+\.\d+\.\d+\.\d+$/.test(t.target) ? ownerOf(s.world, t.target) : null;
    const evidence: Evidence[] = [{ kind: 'step', line: s.line, text: (s.step.error ?? 'connection refused (RST)').split('\n')[0] }];
    if (owner?.kind === 'host') {
      const h = owner.host;
      const mapped = h.endpoints.find((e) => e.portMappings.some((p) => p.protocol === 'tcp' && p.hostPort === t.port));
      const map = mapped?.portMappings.find((p) => p.protocol === 'tcp' && p.hostPort === t.port);
      const prof = osProfile(h.os);
      if (mapped && map && from === h && !(local ? prof.localhostLoopback : prof.natLoopback)) {
        const c = h.containers.find((x) => x.id === mapped.containerId);
        const url = `http://${mapped.ip}${map.containerPort === 80 ? '' : `:${map.containerPort}`}/`;
        return {
          causes: [{
            id: local ? 'winnat-no-localhost' : 'winnat-no-hairpin',
            text: local
              ? `WinNAT on ${h.os} does not forward localhost: the host cannot reach its published port ${t.port} through 127.0.0.1 (from 1803 / Windows Server 2019 on it can).`
              : `WinNAT on ${h.os} does not hair-pin: the host cannot reach its own published port ${t.port} through its own address (from ws1709 on it can).`,
            line: s.line, source: this.source,
          }],
          evidence,
          fixes: [{ title: `Reach the container directly at ${mapped.ip}:${map.containerPort}${c ? ` ("${c.name}")` : ''}`, edits: [replaceLine(s, s.line, lineText(s).replace(t.url!, url))] }],
        };
      }
      const direct = h.containers.find((c) => c.state === 'running' && c.publish.some((p) => p.protocol === 'tcp' && p.hostPort === t.port)
        && endpointsOf(h, c).some((e) => h.networks.find((n) => n.id === e.networkId)?.driver === 'transparent'));
      const ep = direct && endpointsOf(h, direct).find((e) => h.networks.find((n) => n.id === e.networkId)?.driver === 'transparent');
      if (!mapped && direct && ep && t.url) {
        const port = direct.publish.find((p) => p.hostPort === t.port)!.containerPort;
        return {
          causes: [{ id: 'transparent-publish-no-effect', text: `"${direct.name}" is on a transparent network, where -p has no effect: nothing maps ${h.name}'s port ${t.port}; the container is reached at its own address ${ep.ip}.`, line: direct.line, source: 'docs/behaviour.md "Drivers" (transparent: -p has no effect)' }],
          evidence,
          fixes: [{ title: `Reach "${direct.name}" at its own address ${ep.ip}:${port}`, edits: [replaceLine(s, s.line, lineText(s).replace(t.url, `http://${ep.ip}${port === 80 ? '' : `:${port}`}/`))] }],
        };
      }
      if (!mapped && !h.listeners.some((l) => l.protocol === 'tcp' && l.port === t.port)) {
        const web = h.containers.filter((c) => c.state === 'running' && c.publish.length === 0 && h.networks.some((n) => n.driver === 'nat' && endpointsOf(h, c).some((e) => e.networkId === n.id)));
        return {
          causes: [{ id: 'port-not-published', text: `Nothing listens on ${h.name} port ${t.port}: no container publishes it (docker run -p ${t.port}:<port>).`, line: s.line, source: 'docs/behaviour.md "Containers" (published ports)' }],
          evidence,
          fixes: web.slice(0, 2).map((c) => publishFix(s, c, t.port!)).filter((x): x is Candidate => x !== null),
        };
      }
    }
    if (owner?.kind === 'endpoint' && owner.container) {
      const c = owner.container;
      const run = s.commands.find((x) => x.line === c.line);
      const cmd = docker(run, 'run');
      return {
        causes: [{ id: 'container-not-listening', text: `The container "${c.name}" (${owner.endpoint.ip}) has nothing listening on TCP ${t.port}: its image serves no web site there and the port is neither published nor exposed.`, line: c.line, source: 'docs/behaviour.md "Stations and answers" (what listens)' }],
        evidence,
        fixes: cmd ? [{ title: `Expose TCP ${t.port} on "${c.name}" (the service it runs listens there)`, edits: [replaceLine(s, c.line, insertBefore(lineText(s, c.line), cmd.args[0], `--expose ${t.port}`))] }] : [],
      };
    }
    return null;
  },
};

function publishFix(s: Situation, c: Container, hostPort: number): Candidate | null {
  const cmd = docker(s.commands.find((x) => x.line === c.line), 'run');
  if (!cmd?.args[0]) return null;
  const p = flagOf(cmd, 'publish');
  const text = p ? withFlagValue(lineText(s, c.line), p, `${hostPort}:80`) : insertBefore(lineText(s, c.line), cmd.args[0], `-p ${hostPort}:80`);
  return { title: `Publish port 80 of "${c.name}" on the host port ${hostPort}`, edits: [replaceLine(s, c.line, text)] };
}

/** VFP's OutBoundNAT of overlay networks translates TCP and UDP, not ICMP. */
const overlayIcmp: Rule = {
  id: 'overlay-outboundnat-no-icmp', keys: ['NAT_UNSUPPORTED'],
  source: 'docs/behaviour.md "Firewall and NAT" (VFP outbound NAT does not translate ICMP); windows-facts (overlay, WS2019+: ping does not work for external destinations)',
  explain(s) {
    const d = firstDrop(s, 'NAT_UNSUPPORTED');
    const t = trafficTarget(s.cmd);
    if (!d?.hop || !/^ICMP/.test(d.packet.summary) || !/vSwitch/.test(d.hop.at)) return null;
    const fixes: Candidate[] = [];
    if (t?.tool === 'ping' && /^\d+\.\d+\.\d+\.\d+$/.test(t.target)) {
      const text = lineText(s).replace(/\bping\b(?:\s+-n\s+\d+)?\s+(\S+)/, 'curl http://$1/');
      if (text !== lineText(s)) fixes.push({ title: `Test the way out with TCP (curl http://${t.target}/): VFP translates TCP and UDP`, edits: [replaceLine(s, s.line, text)] });
    }
    return {
      causes: [{ id: this.id, text: `The container reaches outside its overlay network through VFP's OutBoundNAT, which translates TCP and UDP but not ICMP: a ping to ${t?.target ?? 'an outside address'} cannot leave, while TCP and UDP can.`, line: s.line, source: this.source }],
      evidence: [hopEvidence(d)], fixes,
    };
  },
};

/** A name that did not resolve: a stopped container, or one on no network the asker shares. */
const nameUnresolved: Rule = {
  id: 'name-unresolved', keys: ['name-unresolved'],
  source: 'docs/behaviour.md "Service discovery (resolveName)"; Docker\'s embedded DNS answers names on the asker\'s networks',
  explain(s) {
    const t = trafficTarget(s.cmd);
    if (!t || /^\d+\.\d+\.\d+\.\d+$/.test(t.target)) return null;
    const where = s.world.hosts.find((h) => h.containers.some((c) => c.name === t.target));
    const c = where?.containers.find((x) => x.name === t.target);
    const evidence: Evidence[] = [{ kind: 'step', line: s.line, text: (s.step.error ?? s.step.output).split('\n').find((l) => l.trim()) ?? '' }];
    if (!where || !c) {
      return { causes: [{ id: this.id, text: `No container, host or client is named "${t.target}": no DNS server knows the name.`, line: s.line, source: this.source }], evidence, fixes: [] };
    }
    if (c.state !== 'running') {
      return {
        causes: [
          { id: this.id, text: `Docker's DNS does not answer for "${c.name}": a stopped container has no endpoint to resolve to.`, line: s.line, source: this.source },
          { id: 'container-stopped', text: `"${c.name}" is stopped.`, line: lastStop(s, c) ?? c.line, source: 'docs/behaviour.md "Containers"' },
        ],
        evidence,
        fixes: [{ title: `Start "${c.name}" first`, edits: [runOnHostBefore(s, where.name, [`docker start ${c.name}`])] }],
      };
    }
    const asker = s.cmd?.kind === 'docker' && s.cmd.inner ? containerNamed(s.host, s.cmd.args[0]?.value ?? '') : undefined;
    if (!asker || !s.host) return { causes: [{ id: this.id, text: `"${c.name}" is a container name: only containers on its networks resolve it (Docker's embedded DNS); from a host or a client, use its address.`, line: s.line, source: this.source }], evidence, fixes: [] };
    const theirs = endpointsOf(where, c).map((e) => where.networks.find((n) => n.id === e.networkId)).filter((n): n is NonNullable<typeof n> => !!n);
    const mine = new Set(endpointsOf(s.host, asker).map((e) => e.networkId));
    if (theirs.some((n) => mine.has(n.id)) || !theirs[0]) return null;
    const net = theirs[0];
    return {
      causes: [{ id: 'no-shared-network', text: `"${asker.name}" and "${c.name}" share no network: Docker's DNS answers a container only for names on its own networks ("${c.name}" is on "${net.name}").`, line: c.line, source: this.source }],
      evidence,
      fixes: [
        ...onNetwork(s, asker, net.name),
        { title: `Connect "${asker.name}" to "${net.name}" as well`, edits: [runOnHostBefore(s, s.host.name, [`docker network connect ${net.name} ${asker.name}`])] },
      ],
    };
  },
};

/** The container's `docker run` line with its network changed to (or set to) `net`. */
function onNetwork(s: Situation, c: Container, net: string): Candidate[] {
  const cmd = docker(s.commands.find((x) => x.line === c.line), 'run');
  if (!cmd?.args[0]) return [];
  const f = flagOf(cmd, 'network', 'net');
  const text = f ? withFlagValue(lineText(s, c.line), f, net) : insertBefore(lineText(s, c.line), cmd.args[0], `--network ${net}`);
  return [{ title: `Run "${c.name}" on "${net}"`, edits: [replaceLine(s, c.line, text)] }];
}

/** A VLAN-tagged container and an untagged (or other-VLAN) peer. */
const vlanIsolation: Rule = {
  id: 'vlan-isolation', keys: ['no-answer', '*'],
  source: 'SPEC §3 (endpoints in different VLANs cannot reach each other at L2); docs/behaviour.md "VLANs"',
  explain(s) {
    const t = trafficTarget(s.cmd);
    const owner = t && /^\d+\.\d+\.\d+\.\d+$/.test(t.target) ? ownerOf(s.world, t.target) : null;
    if (owner?.kind !== 'endpoint' || owner.endpoint.vlan === null) return null;
    const from = s.cmd?.kind === 'client-traffic' ? 'the LAN client (untagged, VLAN 1)' : s.cmd?.kind === 'tool' ? `${s.host?.name ?? 'the host'} (untagged)` : null;
    if (!from) return null;
    const net = owner.host.networks.find((n) => n.id === owner.endpoint.networkId);
    const create = net ? docker(s.commands.find((x) => x.line === net.line), 'network', 'create') : undefined;
    const opt = create && shimOption(create, 'vlanid');
    return {
      causes: [{ id: this.id, text: `${t!.target} is on VLAN ${owner.endpoint.vlan} (network "${net?.name ?? '?'}"), and ${from} is not: endpoints in different VLANs cannot reach each other at layer 2.`, line: net?.line ?? s.line, source: this.source }],
      evidence: s.drops[0] ? [hopEvidence(s.drops[0])] : [{ kind: 'step', line: s.line, text: 'no answer' }],
      fixes: net && opt ? [{ title: `Put "${net.name}" on the untagged VLAN (drop vlanid=${owner.endpoint.vlan})`, edits: [replaceLine(s, net.line, withoutFlag(lineText(s, net.line), opt.flag))] }] : [],
    };
  },
};

/** Any other drop: its hop and rule, in plain words. */
const anyDrop: Rule = {
  id: 'drop', keys: ['*'],
  source: 'src/engine/stages.ts (drop reasons)',
  explain(s) {
    const d = s.drops.find((x) => x.packet.verdict === 'dropped');
    if (!d) return null;
    return {
      causes: [{ id: `drop:${d.reason ?? 'unknown'}`, text: `The packet was dropped at ${d.hop?.at ?? 'a hop'}${d.hop ? ` of ${d.hop.host}` : ''}: ${d.text ?? 'no reason given'}.`, line: d.hop?.sourceLine ?? s.line, source: this.source }],
      evidence: [hopEvidence(d)], fixes: [],
    };
  },
};

export const PACKET_RULES: readonly Rule[] = [tip03, noArpReply, firewallRule, firewallDefault, refused, overlayIcmp, nameUnresolved, vlanIsolation];
export const FALLBACK_RULE = anyDrop;
