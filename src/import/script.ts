/**
 * Host facts → a Packet Path script that rebuilds the host: the `host` line (OS, NICs, gateway,
 * the default nat prefix), vSwitches made outside Docker, networks, containers with their
 * addresses, MACs and published ports. What cannot be rebuilt is added to `unmapped`.
 */
import { parseCidr, formatPrefix, ipNum } from '../addr.js';
import type { ContainerFact, HostFacts, NetworkFact, NicFact, SwitchFact } from './facts.js';
import { networkOf } from './facts.js';

/** The image a container is rebuilt with when no docker inspect named its own. */
export const STAND_IN_IMAGE = 'mcr.microsoft.com/windows/nanoserver:ltsc2019';

const DRIVERS = new Set(['nat', 'transparent', 'overlay', 'l2bridge', 'l2tunnel']);
/** Options the script passes through to `docker network create -o` (SPEC §3's driver options). */
const PASSED = /^com\.docker\.network\.windowsshim\.(interface|vlanid|networkname|enable_outboundnat|outboundnat_exceptions|macpool|vsid|disable_gatewaydns|dnssuffix|dnsservers)$|^com\.docker\.network\.driver\.overlay\.vxlanid_list$|^encrypted$/;

/** A word as the script's lexer reads it: quoted when it holds a space or a quote-worthy character. */
export function word(s: string): string {
  return /^[\w.:/=@+-]+$/.test(s) ? s : `"${s.replace(/(["`\\$])/g, '`$1')}"`;
}

function hostName(f: HostFacts): string {
  const n = (f.hostName ?? 'host1').toLowerCase().replace(/[^a-z0-9_.-]/g, '-');
  return /^[a-z0-9]/.test(n) ? n : `host-${n}`;
}

/** Physical NICs, each with the address its external switch's vNIC holds (same MAC) when it has none. */
function physicalNics(f: HostFacts, unmapped: string[]): NicFact[] {
  const out: NicFact[] = [];
  for (const n of f.nics) {
    if (n.virtual) continue;
    if (/Bluetooth|Loopback|isatap|Teredo|Pseudo/i.test(`${n.name} ${n.description ?? ''}`)) continue;
    if (n.disconnected && !n.ip) {
      unmapped.push(`adapter "${n.name}" is disconnected; left out`);
      continue;
    }
    const vnic = !n.ip && n.mac ? f.nics.find((v) => v.virtual && v.mac === n.mac && v.ip) : undefined;
    out.push(vnic ? { ...n, ip: vnic.ip, gateway: n.gateway ?? vnic.gateway } : n);
    if (!n.ip && !vnic) unmapped.push(`adapter "${n.name}": no IPv4 address shown (ipconfig /all shows it); rebuilt without one`);
  }
  return out;
}

/** The `nat` network's prefix from Get-NetNat when no other output gave it (`172.24.240.1/20` → its network). */
function natPrefixFor(f: HostFacts): string | undefined {
  const p = f.natPrefixes[0] ? parseCidr(f.natPrefixes[0]) : null;
  return p ? formatPrefix(p.prefix) : undefined;
}

export function buildScript(f: HostFacts, sources: string[]): { script: string; unmapped: string[] } {
  const unmapped = [...f.unmapped];
  const lines: string[] = [];
  const name = hostName(f);
  const os = f.os?.name ?? 'ws2019';
  if (!f.os) unmapped.push('no OS build in the pasted outputs (docker info, ver or systeminfo show it): ws2019 assumed');

  // The host: NICs (addresses, MACs), gateway, and the default nat network's prefix.
  const nics = physicalNics(f, unmapped);
  const hostWords = ['host', word(name), '--os', os];
  for (const n of nics) {
    hostWords.push('--nic', word(n.name));
    if (n.ip) hostWords.push('--ip', n.ip);
    if (n.mac) hostWords.push('--mac', n.mac);
  }
  const gateway = nics.find((n) => n.gateway)?.gateway;
  if (gateway) hostWords.push('--gateway', gateway);
  if (nics.length === 0) unmapped.push('no physical adapter in the pasted outputs (ipconfig /all or Get-NetAdapter show them): the default NIC Ethernet 10.0.0.10/24 is used');

  // Docker's default network is named nat and has the nat driver (docker network ls shows it so).
  for (const n of f.networks) if (n.name === 'nat' && !n.driver) n.driver = 'nat';
  const nets = f.networks.filter((n) => n.name !== 'none' && n.driver !== 'null');
  const defaultNat = nets.find((n) => n.name === 'nat' && (n.driver ?? 'nat') === 'nat');
  const natPrefix = defaultNat?.subnet ?? natPrefixFor(f);
  if (natPrefix) hostWords.push('--fixed-cidr', natPrefix);
  for (const n of nets)
    if (n.driver === 'nat' && n.vlan !== undefined) unmapped.push(`network ${n.name ?? n.hnsName}: HNS VLAN policy ${n.vlan} is not rebuilt (Packet Path's nat networks carry no VLAN)`);
  lines.push(hostWords.join(' '));
  const leased = dhcpLeases(f, nets, unmapped);
  if (leased.length) {
    lines.push(`lan dhcp ${leased[0]}-${leased.at(-1)}`);
    unmapped.push(`the LAN's DHCP server is rebuilt to hand out ${leased.length === 1 ? 'the address' : 'the addresses'} the containers on DHCP networks hold (${leased.join(', ')}); its real range was not shown`);
  }

  // A transparent network Docker was not asked to make (no subnet, no adapter option) named like an
  // external vSwitch is that switch, adopted when the engine started (SPEC §1: pre-existing external
  // vSwitches appear as transparent networks): the switch is rebuilt, Docker adopts it again.
  const adopted = new Set(nets.filter((n) => n.driver === 'transparent' && !n.subnet && !n.options['com.docker.network.windowsshim.interface']
    && f.switches.some((s) => s.name === n.name && /^external$/i.test(s.type ?? ''))));
  // vSwitches made outside Docker: the ones no network brings (Docker's engine brings `nat`).
  const netSwitches = new Set(['nat', ...nets.filter((n) => !adopted.has(n)).map((n) => n.hnsName ?? n.name)]);
  for (const s of impliedSwitches(f, nets)) if (!f.switches.some((x) => x.name === s.name)) f.switches.push(s);
  for (const s of f.switches) {
    if (netSwitches.has(s.name) || nets.some((n) => n.name === s.name && !adopted.has(n))) continue;
    const type = (s.type ?? '').toLowerCase();
    if (type === 'external') {
      // The adapter HNS names for the network on this switch, else the one whose description Get-VMSwitch shows.
      const named = nets.find((n) => adopted.has(n) && n.name === s.name)?.adapter;
      const nic = (named ? f.nics.find((n) => n.name === named) : undefined) ?? adapterByDescription(f, s.adapterDescriptions);
      if (nic) lines.push(`New-VMSwitch -Name ${word(s.name)} -NetAdapterName ${word(nic.name)}`);
      else unmapped.push(`external vSwitch "${s.name}": its adapter "${s.adapterDescriptions.join(', ')}" was not matched to an adapter name (paste Get-NetAdapter)`);
    } else if (type === 'internal' || type === 'private') {
      lines.push(`New-VMSwitch -Name ${word(s.name)} -SwitchType ${s.type}`);
    }
  }

  // Networks.
  let swarm = false;
  for (const n of nets) {
    if (n === defaultNat || adopted.has(n)) continue;
    // Swarm's routing-mesh network comes with docker swarm init.
    if (n.name === 'ingress' && n.driver === 'overlay') continue;
    const line = networkLine(n, unmapped);
    if (!line) continue;
    if (n.driver === 'overlay' && !swarm) {
      const addr = nics.find((x) => x.ip)?.ip?.split('/')[0];
      lines.push(`docker swarm init${addr ? ` --advertise-addr ${addr}` : ''}`);
      swarm = true;
    }
    lines.push(line);
  }

  // Containers; those holding DHCP leases in the order of their addresses (the LAN's server leases
  // the lowest free address first).
  const leasedSet = new Set(leased);
  const leaseOf = new Map<ContainerFact, number>();
  for (const c of f.containers) {
    const a = c.attachments.find((x) => x.ip && leasedSet.has(x.ip));
    if (a) leaseOf.set(c, ipNum(a.ip!));
  }
  const byLease = [...leaseOf.keys()].sort((a, b) => leaseOf.get(a)! - leaseOf.get(b)!);
  let nextLease = 0;
  const ordered = f.containers.map((c) => (leaseOf.has(c) ? byLease[nextLease++]! : c));
  for (const c of ordered) lines.push(...containerLines(f, c, unmapped));

  // The outputs came from a host whose Docker engine runs: start it when no line above did.
  const engineSeen = f.networks.length > 0 || f.containers.length > 0 || f.natPrefixes.length > 0;
  if (engineSeen && !lines.some((l) => l.startsWith('docker '))) lines.push('docker network ls');

  const header = [
    `# Rebuilt by packet-path import from ${sources.length ? sources.join(', ') : 'no recognised output'}.`,
    ...(unmapped.length ? ['# Not mapped:', ...unmapped.map((u) => `#   - ${u.replace(/\n/g, ' ')}`)] : ['# Everything read was mapped.']),
    '',
  ];
  return { script: [...header, ...lines, ''].join('\n'), unmapped };
}

/**
 * The physical adapter with one of these descriptions: an exact match first, else one whose
 * description Get-NetAdapter's table cut with `...` and that starts the same way.
 */
function adapterByDescription(f: HostFacts, descriptions: string[]): NicFact | undefined {
  const physical = f.nics.filter((n) => !n.virtual && n.description);
  for (const d of descriptions) {
    const exact = physical.find((n) => n.description === d);
    if (exact) return exact;
  }
  for (const d of descriptions) {
    const cut = physical.find((n) => n.description!.endsWith('...') && d.startsWith(n.description!.slice(0, -3)));
    if (cut) return cut;
  }
  return undefined;
}

/**
 * External vSwitches the adapters imply: a host vNIC `vEthernet (X)` with the MAC of a physical
 * adapter is the management vNIC of an external switch X bound to that adapter (Hyper-V gives the
 * vNIC the adapter's MAC: docker/for-win#4581's Get-NetAdapter shows PROD and vEthernet
 * (prodSwitch) with one MAC). Left out when a network that binds an adapter would make it.
 */
function impliedSwitches(f: HostFacts, nets: NetworkFact[]): SwitchFact[] {
  if (nets.some((n) => n.driver && n.driver !== 'nat')) return [];
  const out: SwitchFact[] = [];
  for (const v of f.nics) {
    const m = /^vEthernet \((.+)\)$/.exec(v.name);
    const nic = m && v.mac ? f.nics.find((n) => !n.virtual && n.mac === v.mac) : undefined;
    if (m && nic?.description && !nic.description.endsWith('...')) out.push({ name: m[1]!, type: 'External', adapterDescriptions: [nic.description] });
  }
  return out;
}

/** Addresses containers hold on DHCP networks (transparent without a subnet), ascending; APIPA ones are noted. */
function dhcpLeases(f: HostFacts, nets: NetworkFact[], unmapped: string[]): string[] {
  const dhcpNets = new Set(nets.filter((n) => n.driver === 'transparent' && !n.subnet));
  const out = new Set<string>();
  for (const c of f.containers) {
    for (const a of c.attachments) {
      const n = networkOf(f, a.network);
      if (!n || !dhcpNets.has(n) || !a.ip) continue;
      if (a.ip.startsWith('169.254.')) unmapped.push(`container ${c.name}: ${a.ip} is an APIPA address (no DHCP answer on the real host); the rebuilt host draws its own`);
      else out.add(a.ip);
    }
  }
  return [...out].sort((a, b) => ipNum(a) - ipNum(b));
}

function networkLine(n: NetworkFact, unmapped: string[]): string | null {
  const label = n.name ?? n.hnsName ?? n.hnsId ?? n.dockerId ?? '?';
  const driver = n.driver ?? '';
  if (!DRIVERS.has(driver)) {
    unmapped.push(`network ${label}: driver ${driver || '(unknown)'} is not one Packet Path builds`);
    return null;
  }
  if (!n.name) {
    unmapped.push(`network ${label}: no name in the pasted outputs`);
    return null;
  }
  if (n.name.startsWith('-')) {
    unmapped.push(`network ${n.name}: a name the docker command line would read as a flag; left out`);
    return null;
  }
  if (!n.docker) unmapped.push(`network ${n.name} was seen only by HNS (not in docker network ls/inspect): rebuilt as a Docker network`);
  const w = ['docker network create', '-d', driver];
  if (n.subnet) {
    w.push(`--subnet=${n.subnet}`);
    if (n.gateway) w.push(`--gateway=${n.gateway}`);
  } else if (driver !== 'nat' && driver !== 'transparent') {
    unmapped.push(`network ${n.name}: ${driver} needs a subnet and none was shown; left out`);
    return null;
  }
  if (driver === 'overlay') w.push('--attachable');
  const opts = { ...n.options };
  if (n.vlan !== undefined && (driver === 'transparent' || driver === 'l2bridge')) opts['com.docker.network.windowsshim.vlanid'] ??= String(n.vlan);
  if (n.vsid !== undefined && driver !== 'overlay' && driver !== 'nat') opts['com.docker.network.windowsshim.vsid'] ??= String(n.vsid);
  if (n.vni !== undefined && driver === 'overlay') opts['com.docker.network.driver.overlay.vxlanid_list'] ??= String(n.vni);
  // HNS's adapter when Docker's own options were not shown (docker network inspect shows the ones given).
  if (n.adapter && !n.inspected && driver !== 'nat' && driver !== 'overlay') opts['com.docker.network.windowsshim.interface'] ??= n.adapter;
  if (n.hnsName && n.hnsName !== n.name) opts['com.docker.network.windowsshim.networkname'] ??= n.hnsName;
  if (opts['com.docker.network.windowsshim.networkname'] === n.name) delete opts['com.docker.network.windowsshim.networkname'];
  for (const [k, v] of Object.entries(opts)) {
    if (PASSED.test(k)) w.push('-o', v === '' ? k : `${k}=${word(v)}`);
    else unmapped.push(`network ${n.name}: option ${k}=${v} is not one Packet Path simulates`);
  }
  w.push(word(n.name));
  return w.join(' ');
}

function containerLines(f: HostFacts, c: ContainerFact, unmapped: string[]): string[] {
  const name = c.name ?? (c.id ? c.id.slice(0, 12) : null);
  if (!name) return [];
  // Docker's rule for container names (daemon/names.go: [a-zA-Z0-9][a-zA-Z0-9_.-]+).
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(name)) {
    unmapped.push(`container ${name}: not a valid Docker container name; left out`);
    return [];
  }
  const atts = c.attachments
    .map((a) => ({ a, n: networkOf(f, a.network) }))
    .filter((x) => {
      if (x.n?.name && DRIVERS.has(x.n.driver ?? '')) return true;
      unmapped.push(`container ${name}: its attachment to network ${x.a.network} was not rebuilt (${x.n ? `driver ${x.n.driver ?? 'unknown'}` : 'network not shown'})`);
      return false;
    });
  if (atts.length === 0 && c.attachments.length > 0) return [];
  if (!c.image) unmapped.push(`container ${name}: image not shown (docker inspect shows it): ${STAND_IN_IMAGE} stands in`);
  const [first, ...rest] = atts;
  const w = ['docker run -d', '--name', word(name)];
  if (first) {
    w.push('--network', word(first.n!.name!));
    if (first.a.ip && first.n!.subnet) w.push('--ip', first.a.ip);
    else if (first.a.ip && first.n!.driver !== 'transparent') unmapped.push(`container ${name}: address ${first.a.ip} on ${first.n!.name}, whose subnet was not shown, is left to the network`);
    if (first.a.mac) w.push('--mac-address', first.a.mac);
  }
  for (const p of c.ports) w.push('-p', `${p.hostPort}:${p.containerPort}${p.protocol === 'udp' ? '/udp' : ''}`);
  w.push(word(c.image ?? STAND_IN_IMAGE));
  const out = [w.join(' ')];
  for (const r of rest) {
    out.push(['docker network connect', ...(r.a.ip && r.n!.subnet ? ['--ip', r.a.ip] : []), word(r.n!.name!), word(name)].join(' '));
    if (r.a.mac) unmapped.push(`container ${name}: MAC ${r.a.mac} on ${r.n!.name} (a second network) comes from the network's pool instead`);
  }
  if (c.state && c.state !== 'running') out.push(`docker stop ${word(name)}`);
  return out;
}
