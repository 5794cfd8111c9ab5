/**
 * Commands that fail with no packet at all: the seed's tips, Windows Server 2016's limits and the
 * options Windows refuses. Each entry reads the failed line and the world as it stood before it,
 * walks back to the line or missing step that made the state, and proposes script edits.
 * Sources: docs/behaviour.md (the section each `source` names) and the seed's "Tips & insights".
 */
import { parseCidr, formatPrefix, prefixContains, prefixesOverlap } from '../../addr.js';
import { UNSUPPORTED_OPTIONS } from '../../model/unsupported.js';
import type { Candidate, Finding, Rule, Situation } from './types.js';
import {
  containerNamed, docker, flagOf, freeNics, freeSubnetInside, gatewayOf, hostLine, hostSubnet,
  lineText, networkNamed, osProfile, replaceLine, runOnHostBefore, shimFlag, shimOption, switchOfNic,
} from './context.js';
import { insertBefore, spliceSpan, withFlagValue, withFlagValues, withoutFlag } from '../fixes.js';

const errorOf = (s: Situation): string => s.step.error ?? '';

/** A finding with one cause at the symptom's line. */
function finding(s: Situation, id: string, source: string, text: string, fixes: Candidate[], root?: { text: string; line?: number; id?: string }): Finding {
  const causes = [{ id, text, line: s.line, source }];
  if (root) causes.push({ id: root.id ?? id, text: root.text, line: root.line ?? s.line, source });
  return { causes, evidence: [{ kind: 'step', line: s.line, text: errorOf(s).split('\n')[0] }], fixes };
}

const REG_DELETE = 'reg delete HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Tcpip6\\Parameters /v DisabledComponents /f';

const tip01: Rule = {
  id: 'tip01-hns-needs-ipv6', keys: ['error'],
  source: 'seed tip 1; docs/behaviour.md "IPv6 and the registry (tip 1)"',
  explain(s) {
    if (!/Element not found/.test(errorOf(s)) || !s.host || s.host.ipv6) return null;
    const h = s.host;
    const declared = hostLine(s, h.name);
    if (h.ipv6PendingReboot)
      return finding(s, this.id, this.source, 'HNS needs IPv6 (KB4015217): container starts fail with "Element not found" while IPv6 is disabled.', [
        { title: 'Restart the host: Windows reads DisabledComponents at boot', edits: [runOnHostBefore(s, h.name, ['Restart-Computer'])] },
      ], { text: 'The DisabledComponents value was deleted, but Windows reads it only at boot: IPv6 comes back after Restart-Computer, which has not run since.' });
    return finding(s, this.id, this.source, 'HNS needs IPv6 (KB4015217): every container start fails with "Element not found" while IPv6 is disabled.', [
      { title: 'Delete the DisabledComponents registry value and restart the host', edits: [runOnHostBefore(s, h.name, [REG_DELETE, 'Restart-Computer'])] },
    ], { text: `IPv6 is disabled on ${h.name} (DisabledComponents is set${declared ? `: --ipv6 off on line ${declared}` : ''}).`, line: declared ?? undefined });
  },
};

const EXTERNAL = new Set(['transparent', 'l2bridge', 'l2tunnel']);

/** Tips 4, 7 and 9: an external network on an adapter another switch holds. */
const adapterTaken: Rule = {
  id: 'tip04-07-09-adapter-taken', keys: ['error'],
  source: 'seed tips 4, 7 and 9; docs/behaviour.md "Drivers" (External adapters) and "Services and switches (tip 9)"',
  explain(s) {
    const cmd = docker(s.cmd, 'network', 'create');
    const driver = cmd && String(flagOf(cmd, 'driver')?.value ?? '');
    if (!cmd || !s.host || !EXTERNAL.has(driver!) || !/The parameter is incorrect/.test(errorOf(s))) return null;
    const h = s.host;
    const iface = shimOption(cmd, 'interface');
    const line = lineText(s);
    const others = freeNics(h).filter((n) => n !== iface?.value);
    const moveTo = (nic: string): Candidate => ({
      title: `Bind the network to the adapter "${nic}", which no vSwitch holds`,
      edits: [replaceLine(s, s.line, iface ? spliceSpan(line, iface.flag.span, shimFlag('interface', nic)) : insertBefore(line, cmd.args[cmd.args.length - 1], shimFlag('interface', nic)))],
    });
    if (!iface) {
      return finding(s, this.id, this.source, `Every adapter of ${h.name} is held by a vSwitch: HNS finds none for a new ${driver} network ("The parameter is incorrect").`, [],
        { text: 'Each network on an external vSwitch needs an adapter of its own (seed, tip 7); give the host another adapter (--nic on its host line).', line: hostLine(s, h.name) ?? undefined });
    }
    const sw = switchOfNic(h, iface.value);
    if (!sw) return null;
    const fixes = others.slice(0, 2).map(moveTo);
    if (sw.createdBy === 'user' && sw.hnsGeneration >= h.hnsGeneration) {
      // Tip 9: a switch made out of band after HNS started is invisible to Docker.
      fixes.unshift({ title: `Remove the vSwitch "${sw.name}" made out of band, so Docker can bind its own`, edits: [runOnHostBefore(s, h.name, [`Remove-VMSwitch -Name ${/\s/.test(sw.name) ? `"${sw.name}"` : sw.name} -Force`])] });
      fixes.push({ title: 'Restart HNS and Docker so they adopt the switch (it then shows as a transparent network)', edits: [runOnHostBefore(s, h.name, ['Restart-Service hns', 'Restart-Service docker'])] });
      return finding(s, 'tip09-out-of-band-vswitch', this.source,
        `The adapter "${iface.value}" is held by the vSwitch "${sw.name}", made out of band (line ${sw.line}) while HNS ran: Docker does not see it and fails to bind a new switch to the same adapter.`,
        fixes, { id: 'tip09-out-of-band-vswitch', text: `New-VMSwitch on line ${sw.line} took "${iface.value}".`, line: sw.line });
    }
    const owner = h.networks.find((n) => n.vswitch === sw.name);
    const tip = owner?.driver === driver ? 'tip04-multiple-transparent' : 'tip07-own-adapter-per-network';
    return finding(s, tip, this.source,
      `The adapter "${iface.value}" already carries the vSwitch "${sw.name}"${owner ? ` of the ${owner.driver} network "${owner.name}"` : ''}: each network on an external vSwitch needs its own adapter.`,
      fixes, owner ? { id: tip, text: `The network "${owner.name}" took "${iface.value}" on line ${owner.line}.`, line: owner.line } : undefined);
  },
};

/** The network a `docker run` / `network connect` line names. */
function networkOfLine(s: Situation) {
  const cmd = s.cmd?.kind === 'docker' ? s.cmd : undefined;
  if (!cmd) return undefined;
  const name = docker(cmd, 'network', 'connect') ? cmd.args[0]?.value : String(flagOf(cmd, 'network', 'net')?.value ?? '');
  return name ? networkNamed(s.host, s.world, name) : undefined;
}

/** The `network create` line of a network with `--subnet`/`--gateway` added (the host's own LAN). */
function withHostSubnet(s: Situation, netLine: number, prefix: string, gateway: string): Candidate | null {
  const c = s.commands.find((x) => x.line === netLine);
  const cmd = docker(c, 'network', 'create');
  if (!cmd || flagOf(cmd, 'subnet')) return null;
  const name = cmd.args[cmd.args.length - 1];
  return {
    title: `Create the network with the host's subnet and gateway (--subnet=${prefix} --gateway=${gateway})`,
    edits: [replaceLine(s, netLine, insertBefore(lineText(s, netLine), name, `--subnet=${prefix} --gateway=${gateway}`))],
  };
}

const tip05: Rule = {
  id: 'tip05-static-ip-subnet-gateway', keys: ['error'],
  source: 'seed tip 5; docs/behaviour.md "Drivers" and "Containers"',
  explain(s) {
    if (!/user configured subnets/.test(errorOf(s)) || s.cmd?.kind !== 'docker') return null;
    const cmd = s.cmd;
    const ip = flagOf(cmd, 'ip');
    if (!ip) return null;
    const net = networkOfLine(s);
    const fixes: Candidate[] = [];
    const sub = s.host && hostSubnet(s.host, s.world);
    if (net && sub && net.line && (net.driver === 'transparent' || net.driver === 'l2bridge')) {
      const f = withHostSubnet(s, net.line, sub.prefix, sub.gateway);
      if (f) fixes.push(f);
    }
    fixes.push({ title: 'Drop --ip and let the network assign the address', edits: [replaceLine(s, s.line, withoutFlag(lineText(s), ip))] });
    return finding(s, this.id, this.source, 'A static --ip needs a network created with --subnet and --gateway (the container host\'s physical network for transparent and l2bridge).', fixes,
      net ? { text: `The network "${net.name}" was created without --subnet on line ${net.line}: its addresses come from DHCP.`, line: net.line } : undefined);
  },
};

const tip06: Rule = {
  id: 'tip06-l2bridge-static-only', keys: ['error'],
  source: 'seed tip 6; docs/behaviour.md "Drivers" (l2bridge without --subnet)',
  explain(s) {
    if (!/does not have a subnet for this endpoint/.test(errorOf(s))) return null;
    const net = networkOfLine(s);
    const sub = s.host && hostSubnet(s.host, s.world);
    const fix = net && sub ? withHostSubnet(s, net.line, sub.prefix, sub.gateway) : null;
    return finding(s, this.id, this.source, 'l2bridge networks support static IP assignment only: without --subnet, HNS has no address for the endpoint (there is no DHCP on l2bridge).',
      fix ? [fix] : [], net ? { text: `The l2bridge network "${net.name}" was created without --subnet and --gateway on line ${net.line}.`, line: net.line } : undefined);
  },
};

const tip08: Rule = {
  id: 'tip08-stopped-vs-running', keys: ['error'],
  source: 'seed tip 8; docs/behaviour.md "Containers" (hot add)',
  explain(s) {
    if (!/does not support connecting a running container/.test(errorOf(s))) return null;
    const cmd = docker(s.cmd, 'network', 'connect') ?? docker(s.cmd, 'network', 'disconnect');
    const name = cmd?.args[1]?.value;
    if (!cmd || !name || !s.host) return null;
    return finding(s, this.id, this.source,
      `${s.host.os} cannot hot add or remove a network adapter of a running container (Windows 10 Creators Update and later can): connect it while it is stopped.`,
      [{ title: `Stop "${name}", connect it, start it again`, edits: [{ kind: 'insert', before: s.line, lines: [`docker stop ${name}`] }, { kind: 'insert', before: s.line + 1, lines: [`docker start ${name}`] }] }]);
  },
};

const tip10: Rule = {
  id: 'tip10-ws2016-multiple-nat', keys: ['error'],
  source: 'seed tip 10 ("Multiple NAT networks on WS2016 container host"); docs/behaviour.md "Drivers" (ws2016 multiple NAT)',
  explain(s) {
    const cmd = docker(s.cmd, 'network', 'create');
    const h = s.host;
    if (!cmd || !h || osProfile(h.os).multipleNat || String(flagOf(cmd, 'driver')?.value ?? '') !== 'nat' || !/Unspecified error/.test(errorOf(s))) return null;
    const winnat = h.winnats[0];
    const internal = winnat ? parseCidr(winnat.internalPrefix)!.prefix : null;
    if (!internal) return null;
    const taken = h.networks.filter((n) => n.driver === 'nat' && n.origin !== 'default').flatMap((n) => n.subnets.map((x) => parseCidr(x.prefix)!.prefix));
    const free = freeSubnetInside(internal, taken);
    const subnet = flagOf(cmd, 'subnet');
    const gateway = flagOf(cmd, 'gateway');
    const fixes: Candidate[] = [];
    if (free) {
      const p = formatPrefix(free);
      let text = withFlagValues(lineText(s), [
        ...(subnet ? [{ flag: subnet, value: p }] : []),
        ...(gateway ? [{ flag: gateway, value: gatewayOf(free) }] : []),
      ]);
      if (!subnet) text = insertBefore(text, cmd.args[cmd.args.length - 1], `--subnet=${p} --gateway=${gatewayOf(free)}`);
      fixes.push({ title: `Use ${p}, a partition of the WinNAT internal prefix ${formatPrefix(internal)}`, edits: [replaceLine(s, s.line, text)] });
    }
    const outside = subnet ? parseCidr(String(subnet.value))?.prefix : undefined;
    const why = !subnet ? 'it has no --subnet'
      : outside && !prefixContains(internal, outside) ? `${subnet.value} is outside the internal prefix ${formatPrefix(internal)}`
      : outside && outside.len === internal.len ? `${subnet.value} is the whole internal prefix, not a partition of it`
      : `${subnet.value} overlaps another nat network`;
    return finding(s, this.id, this.source,
      `Windows Server 2016 has one WinNAT: a new nat network must be a partition of its internal prefix (Get-NetNat: InternalIPInterfaceAddressPrefix ${winnat.internalPrefix}), and ${why}.`,
      fixes);
  },
};

const gatewayOutside: Rule = {
  id: 'ipam-gateway-outside-subnet', keys: ['error'],
  source: 'docs/behaviour.md "Drivers"; example 35 (the seed\'s second command of tip 10)',
  explain(s) {
    const m = /no matching subnet for gateway (\S+)/.exec(errorOf(s));
    const cmd = docker(s.cmd, 'network', 'create');
    const subnet = cmd && flagOf(cmd, 'subnet');
    const gw = cmd && flagOf(cmd, 'gateway');
    const p = subnet && parseCidr(String(subnet.value))?.prefix;
    if (!m || !cmd || !gw || !p) return null;
    return finding(s, this.id, this.source, `The gateway ${m[1]} is not inside the subnet ${subnet!.value}: Docker's IPAM refuses a gateway outside every subnet.`,
      [{ title: `Use ${gatewayOf(p)}, the subnet's first address, as the gateway`, edits: [replaceLine(s, s.line, withFlagValue(lineText(s), gw, gatewayOf(p)))] }]);
  },
};

/** Options Windows refuses (the seed's "Unsupported features and network options"). */
const unsupportedRefused: Rule = {
  id: 'unsupported-option', keys: ['error'],
  source: 'seed "Unsupported features and network options"; src/model/unsupported.ts; docs/behaviour.md "Containers"',
  explain(s) {
    if (s.cmd?.kind !== 'docker' || s.step.ok) return null;
    const cmd = s.cmd;
    for (const [key, opt] of Object.entries(UNSUPPORTED_OPTIONS)) {
      if (opt.effect !== 'refused' || opt.path.join(' ') !== cmd.path.join(' ')) continue;
      const f = flagOf(cmd, opt.flag);
      if (!f) continue;
      return finding(s, `unsupported:${key}`, this.source, `--${opt.flag} is not supported on Windows: ${key === 'network create --ip-range' || key === 'network create --ipv6' ? 'the windows IPAM driver refuses it' : 'Windows networks have no IPv6 address management'}.`,
        [{ title: `Remove --${opt.flag}`, edits: [replaceLine(s, s.line, withoutFlag(lineText(s), f))] }]);
    }
    return null;
  },
};

const LINUX_DRIVERS = new Set(['bridge', 'macvlan', 'ipvlan', 'host']);

const linuxDriver: Rule = {
  id: 'linux-only-driver', keys: ['error'],
  source: 'seed "Unsupported features and network options"; docs/behaviour.md "What is not simulated"',
  explain(s) {
    const cmd = docker(s.cmd, 'network', 'create');
    const d = cmd && flagOf(cmd, 'driver');
    if (!cmd || !d || !LINUX_DRIVERS.has(String(d.value)) || s.step.ok) return null;
    return finding(s, this.id, this.source, `The ${d.value} driver exists only on Linux; Windows networks use nat, transparent, overlay, l2bridge or l2tunnel.`,
      [{ title: 'Use the nat driver, the Windows counterpart of bridge', edits: [replaceLine(s, s.line, withFlagValue(lineText(s), d, 'nat'))] }]);
  },
};

const hostNetwork: Rule = {
  id: 'host-network', keys: ['error'],
  source: 'docs/behaviour.md "Containers" (--network host)',
  explain(s) {
    const cmd = docker(s.cmd, 'run');
    const f = cmd && flagOf(cmd, 'network', 'net');
    if (!cmd || !f || f.value !== 'host' || !/network host not found/.test(errorOf(s))) return null;
    return finding(s, this.id, this.source, 'Host networking does not exist on Windows: a container always has its own compartment.',
      [{ title: 'Run it on the default nat network (publish the ports it serves with -p)', edits: [replaceLine(s, s.line, withoutFlag(lineText(s), f))] }]);
  },
};

/** A published host port that a host process or another container already holds. */
const portTaken: Rule = {
  id: 'published-port-taken', keys: ['error'],
  source: 'docs/behaviour.md "Ports held by something else" and "Containers" (one mapping per external port)',
  explain(s) {
    const cmd = docker(s.cmd, 'run');
    const h = s.host;
    if (!cmd || !h || !/being used by another process|port is already allocated|The object already exists/.test(errorOf(s))) return null;
    const used = new Set([...h.listeners.filter((l) => l.protocol === 'tcp').map((l) => l.port), ...h.endpoints.flatMap((e) => e.portMappings.map((m) => m.hostPort))]);
    for (const f of cmd.flags.filter((x) => x.name === 'publish')) {
      const m = /^(?:(\d+):)?(\d+)(?:\/(tcp|udp))?$/.exec(String(f.value));
      if (!m?.[1] || !used.has(Number(m[1]))) continue;
      const port = Number(m[1]);
      let free = port + 1;
      while (used.has(free)) free++;
      const holder = h.listeners.find((l) => l.port === port);
      return finding(s, this.id, this.source,
        holder ? `The host port ${port} is held by the host process "${holder.name}" (line ${holder.line}): WinNAT cannot map it.` : `The host port ${port} is already published by another container: an external port maps to one endpoint.`,
        [{ title: `Publish on the host port ${free} instead`, edits: [replaceLine(s, s.line, withFlagValue(lineText(s), f, `${free}:${m[2]}${m[3] ? `/${m[3]}` : ''}`))] }],
        holder ? { text: `listen ${holder.name} on line ${holder.line} holds ${holder.protocol}/${port}.`, line: holder.line } : undefined);
    }
    return null;
  },
};

const dockerStopped: Rule = {
  id: 'docker-service-stopped', keys: ['error'],
  source: 'docs/behaviour.md "Reset and repair" (Stop-Service docker)',
  explain(s) {
    if (!/docker daemon is not running/.test(errorOf(s)) || !s.host) return null;
    const stop = [...s.commands].reverse().find((c) => c.line < s.line && c.kind === 'powershell' && /Stop-Service\s+docker/i.test(c.text));
    return finding(s, this.id, this.source, 'The Docker service is stopped, so docker commands cannot reach the engine.',
      [{ title: 'Start the Docker service first', edits: [runOnHostBefore(s, s.host.name, ['Start-Service docker'])] }],
      stop ? { text: `Stop-Service docker on line ${stop.line} stopped it.`, line: stop.line } : undefined);
  },
};

const notRunning: Rule = {
  id: 'container-not-running', keys: ['error'],
  source: 'docs/behaviour.md "Containers"; Docker\'s "is not running" error',
  explain(s) {
    const cmd = docker(s.cmd, 'exec');
    const name = cmd?.args[0]?.value;
    if (!cmd || !name || !/is not running/.test(errorOf(s))) return null;
    const c = containerNamed(s.host, name);
    const stop = [...s.commands].reverse().find((x) => x.line < s.line && !!docker(x, 'stop')?.args.some((a) => a.value === name));
    return finding(s, this.id, this.source, `The container "${name}" is not running: docker exec needs a running container.`,
      [{ title: `Start "${name}" first`, edits: [{ kind: 'insert', before: s.line, lines: [`docker start ${name}`] }] }],
      stop ? { text: `docker stop on line ${stop.line} stopped it.`, line: stop.line } : c ? { text: `It is ${c.state}.` } : undefined);
  },
};

const notAttachable: Rule = {
  id: 'overlay-not-attachable', keys: ['error'],
  source: 'docs/behaviour.md "Overlay and swarm" (--attachable)',
  explain(s) {
    if (!/attachable|PermissionDenied|manually attachable/i.test(errorOf(s))) return null;
    const net = networkOfLine(s);
    const c = net && s.commands.find((x) => x.line === net.line);
    const create = docker(c, 'network', 'create');
    if (!net || !create) return null;
    return finding(s, this.id, this.source, `Standalone containers can join the overlay network "${net.name}" only when it was created with --attachable.`,
      [{ title: `Create "${net.name}" with --attachable`, edits: [replaceLine(s, net.line, insertBefore(lineText(s, net.line), create.args[create.args.length - 1], '--attachable'))] }],
      { text: `"${net.name}" was created without --attachable on line ${net.line}.`, line: net.line });
  },
};

const natPrefixOverHost: Rule = {
  id: 'nat-prefix-over-host-nic', keys: ['error'],
  source: 'docs/behaviour.md "Drivers" (a prefix over a host NIC; New-NetNat error 87, Virtualization-Documentation #361)',
  explain(s) {
    const cmd = docker(s.cmd, 'network', 'create');
    const h = s.host;
    const subnet = cmd && flagOf(cmd, 'subnet');
    const p = subnet && parseCidr(String(subnet.value))?.prefix;
    if (!cmd || !h || !p || String(flagOf(cmd, 'driver')?.value ?? 'nat') !== 'nat' || !/The parameter is incorrect/.test(errorOf(s))) return null;
    const nic = h.nics.find((n) => n.ip && prefixesOverlap(parseCidr(n.ip)!.prefix, p));
    if (!nic) return null;
    const taken = [...h.nics.filter((n) => n.ip).map((n) => parseCidr(n.ip!)!.prefix), ...h.networks.flatMap((n) => n.subnets.map((x) => parseCidr(x.prefix)!.prefix))];
    const free = freeSubnetInside({ base: parseCidr('172.16.0.0/12')!.prefix.base, len: 12 }, taken);
    if (!free) return null;
    const gw = flagOf(cmd, 'gateway');
    const text = withFlagValues(lineText(s), [{ flag: subnet!, value: formatPrefix(free) }, ...(gw ? [{ flag: gw, value: gatewayOf(free) }] : [])]);
    return finding(s, this.id, this.source, `The subnet ${subnet!.value} overlaps the host's own address ${nic.ip} (${nic.name}): WinNAT refuses an internal prefix that holds a host address.`,
      [{ title: `Use the free private prefix ${formatPrefix(free)}`, edits: [replaceLine(s, s.line, text)] }]);
  },
};

/** The host line's flag, removed: the host as it comes (`--no-kb4015217`, `--ipv6 off`). */
function withoutHostFlag(s: Situation, host: string, flag: string, title: string): Candidate | null {
  const line = hostLine(s, host);
  const c = line === null ? undefined : s.commands.find((x) => x.line === line);
  const f = c?.kind === 'sim' ? flagOf(c, flag) : undefined;
  return line !== null && f ? { title, edits: [replaceLine(s, line, withoutFlag(lineText(s, line), f))] } : null;
}

const kb4015217: Rule = {
  id: 'ws2016-needs-kb4015217', keys: ['error'],
  source: 'windows-facts "WS2016 / Win10 1607" (overlay needs KB4015217); src/model/networks.ts (l2bridge too)',
  explain(s) {
    if (!/requires KB4015217/.test(errorOf(s)) || !s.host) return null;
    const fix = withoutHostFlag(s, s.host.name, 'no-kb4015217', 'Install KB4015217 on the host (the host line without --no-kb4015217)');
    return finding(s, this.id, this.source, `On Windows Server 2016, l2bridge and overlay networks need the update KB4015217, which ${s.host.name} lacks.`,
      fix ? [fix] : [], { text: `${s.host.name} is declared without KB4015217.`, line: hostLine(s, s.host.name) ?? undefined });
  },
};

const outboundNatOs: Rule = {
  id: 'outboundnat-needs-1709', keys: ['error'],
  source: 'docs/behaviour.md "Drivers" (enable_outboundnat); src/model/os.ts (outboundNatOption from ws1709)',
  explain(s) {
    const cmd = docker(s.cmd, 'network', 'create');
    const opt = cmd && shimOption(cmd, 'enable_outboundnat');
    if (!cmd || !opt || !/OutboundNat is not supported on this OS version/.test(errorOf(s))) return null;
    return finding(s, this.id, this.source, `The OutboundNat policy of l2bridge and l2tunnel networks is not supported on ${s.host?.os ?? 'this OS'} (it came with Windows Server 1709).`,
      [{ title: 'Create the network without enable_outboundnat', edits: [replaceLine(s, s.line, withoutFlag(lineText(s), opt.flag))] }]);
  },
};

const hnsNetworkGone: Rule = {
  id: 'hns-network-removed', keys: ['error'],
  source: 'docs/behaviour.md "Reset and repair" (Remove-HnsNetwork; dockerd reconciles at Restart-Service docker)',
  explain(s) {
    if (!/was removed \(Remove-HnsNetwork\)/.test(errorOf(s)) || !s.host) return null;
    const removed = [...s.commands].reverse().find((c) => c.line < s.line && c.kind === 'powershell' && /Remove-HnsNetwork/i.test(c.text));
    return finding(s, this.id, this.source, 'Docker still lists the network, but HNS no longer has it: containers cannot get an endpoint on it until Docker reconciles with HNS.',
      [{ title: 'Restart Docker so it re-creates its networks in HNS', edits: [runOnHostBefore(s, s.host.name, ['Restart-Service docker'])] }],
      removed ? { text: `Remove-HnsNetwork on line ${removed.line} deleted HNS's networks.`, line: removed.line } : undefined);
  },
};

export const COMMAND_RULES: readonly Rule[] = [kb4015217, outboundNatOs, hnsNetworkGone, 
  tip01, adapterTaken, natPrefixOverHost, tip05, tip06, tip08, tip10, gatewayOutside, unsupportedRefused, linuxDriver,
  hostNetwork, portTaken, dockerStopped, notRunning, notAttachable,
];

