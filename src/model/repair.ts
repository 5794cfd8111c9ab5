/**
 * Reset and repair, as the public troubleshooting guides do it (issue 9, item 5): stopping and
 * starting the docker and hns services, removing WinNAT instances and HNS networks behind Docker's
 * back, and what the Docker daemon does with that state when it starts again (moby v20.10
 * daemon/daemon_windows.go `initNetworkController`). The broken states a half-done reset leaves are
 * kept, not repaired: a network Docker still lists after its HNS network went, a nat network
 * without its WinNAT.
 */
import type { DockerCommand } from '../script/ast.js';
import { cidrNum, formatIp, parseCidr } from '../addr.js';
import { startContainer, stopContainer } from './containers.js';
import { adoptSwitches, createDefaultNat, createNatNetwork, ensureEngine } from './docker-engine.js';
import { loadDaemonConfig } from './daemon-config.js';
import { CommandError, fail } from './errors.js';
import { notRecognizedText } from './answers.js';
import { psTable } from './format.js';
import { osProfile } from './os.js';
import type { Container, Host, Network, World } from './types.js';

/** The services a reset touches. Stopping `hns` or `docker` changes what the host does. */
const MANAGED = ['docker', 'hns'] as const;

export function serviceRunning(host: Host, name: string): boolean {
  return !host.stoppedServices.includes(name.toLowerCase());
}

/** `Stop-Service docker`: dockerd stops its containers (their endpoints go), then the engine pipe closes. */
export function stopService(world: World, host: Host, name: string): string {
  const key = name.toLowerCase();
  if (!(MANAGED as readonly string[]).includes(key)) return '';
  if (!serviceRunning(host, key)) return '';
  if (key === 'docker') for (const c of host.containers) stopContainer(world, host, c);
  host.stoppedServices.push(key);
  return '';
}

/** `Start-Service docker|hns`; docker starts hns first (a dependent service), as the service manager does. */
export function startService(world: World, host: Host, name: string, line: number): { output: string; warnings: string[] } {
  const key = name.toLowerCase();
  if (!(MANAGED as readonly string[]).includes(key) || serviceRunning(host, key)) return { output: '', warnings: [] };
  if (key === 'hns') {
    host.stoppedServices = host.stoppedServices.filter((s) => s !== 'hns');
    host.hnsGeneration++;
    return { output: '', warnings: [] };
  }
  const started = dockerdStarts(world, host, line, false);
  if (started.failed) throw new CommandError(serviceStartFailed('Start-Service', 'Docker Engine', 'docker'), '', started.warnings, true);
  return { output: '', warnings: started.warnings };
}

/**
 * What dockerd does with HNS's state when it starts (daemon_windows.go, v20.10): a local network
 * whose HNS network is gone is deleted, except a user nat network, which is created again with its
 * name, ID and subnet; swarm networks stay; then the default `nat` is created if none is left.
 * Then it restarts the containers whose restart policy says so. Returns the run's warnings.
 */
export function startDaemon(world: World, host: Host, line: number): string[] {
  let oldNat: string | null = null;
  for (const n of [...host.networks]) {
    if (!n.hnsRemoved || n.scope !== 'local') continue;
    host.networks = host.networks.filter((x) => x !== n);
    if (n.name === 'nat') oldNat = n.id;
    if (n.driver === 'nat' && n.name !== 'nat') recreateNat(world, host, n, line);
  }
  if (!host.daemonConfig?.bridgeNone && !host.networks.some((n) => n.name === 'nat')) createDefaultNat(world, host, line);
  adoptSwitches(world, host, line);
  if (oldNat !== null) followNat(host, oldNat);
  return restoreContainers(world, host, line);
}

/**
 * A container attached to `nat` finds it by name when it starts (moby v20.10 daemon/
 * container_operations.go `getNetworkID`: only user-defined networks are found by ID), so the nat
 * dockerd created again is its network; with `"bridge": "none"` it has none (`connectToNetwork`
 * disables networking for nat).
 */
function followNat(host: Host, oldId: string): void {
  const nat = host.networks.find((n) => n.name === 'nat');
  for (const c of host.containers) {
    c.attachments = nat
      ? c.attachments.map((a) => (a.networkId === oldId ? { ...a, networkId: nat.id } : a))
      : c.attachments.filter((a) => a.networkId !== oldId);
  }
}

/**
 * The docker service starts (Start-Service, Restart-Service, a boot): dockerd reads daemon.json
 * first and exits on an error in it, leaving the service stopped; the error is what the
 * Application event log records (source docker). With no engine yet, the engine starts at the
 * next docker command with this configuration (`boot`) or now.
 */
export function dockerdStarts(world: World, host: Host, line: number, now: boolean): { warnings: string[]; failed: boolean } {
  const loaded = loadDaemonConfig(host);
  if ('error' in loaded) {
    if (serviceRunning(host, 'docker')) host.stoppedServices.push('docker');
    return { warnings: [`dockerd exited (Application event log, source docker): ${loaded.error}`], failed: true };
  }
  host.daemonConfig = loaded.config;
  host.stoppedServices = host.stoppedServices.filter((s) => s !== 'docker' && s !== 'hns');
  if (!host.engine) {
    if (now) ensureEngine(world, host, line);
    return { warnings: loaded.warnings, failed: false };
  }
  return { warnings: [...loaded.warnings, ...startDaemon(world, host, line)], failed: false };
}

/** PowerShell's error when the service manager cannot start a service (Virtualization-Documentation #1633). */
export function serviceStartFailed(cmdlet: 'Start-Service' | 'Restart-Service', display: string, name: string): string {
  return [
    `${cmdlet} : Failed to start service '${display} (${name})'.`,
    `    + CategoryInfo          : OpenError: (System.ServiceProcess.ServiceController:ServiceController) [${cmdlet}], ServiceCommandException`,
    `    + FullyQualifiedErrorId : StartServiceFailed,Microsoft.PowerShell.Commands.${cmdlet.replace('-', '')}Command`,
  ].join('\n');
}

/**
 * dockerd's `restore` (moby v20.10 daemon/daemon.go): a container that ran before and is not a
 * swarm task starts again when `ShouldRestart` says so (restartmanager.go): `always`;
 * `unless-stopped` unless `docker stop` stopped it (daemon/kill.go marks a stop as manual only
 * while the daemon is not shutting down, so the stop of a service restart or a reboot is not);
 * `on-failure` when the exit code is not 0 — a Windows container dockerd stops exits 1067, as
 * after `docker stop`. A start that fails is logged by dockerd; the container stays exited.
 */
function restoreContainers(world: World, host: Host, line: number): string[] {
  const warnings: string[] = [];
  for (const c of host.containers) {
    if (c.service || c.state === 'running' || c.startedAt === 0 && c.state === 'created' || !shouldRestart(c)) continue;
    try {
      startContainer(world, host, c, line, warnings);
    } catch (e) {
      if (!(e instanceof CommandError)) throw e;
      warnings.push(`dockerd could not restart container ${c.name} (restart policy ${c.restartPolicy!.name}); it stays exited: ${e.message.split('\n')[0]!.replace(/^docker: Error response from daemon: /, '')}`);
    }
  }
  return warnings;
}

function shouldRestart(c: Container): boolean {
  switch (c.restartPolicy?.name ?? 'no') {
    case 'always': return true;
    case 'unless-stopped': return !c.manuallyStopped;
    case 'on-failure': return c.exitCode !== 0;
    default: return false;
  }
}

function recreateNat(world: World, host: Host, old: Network, line: number): void {
  const sn = old.subnets[0];
  if (!sn) return;
  const net = createNatNetwork(world, host, {
    name: old.name, hnsName: old.hnsName, prefix: sn.prefix, gateway: sn.gateway, userSubnet: old.userSubnet, origin: old.origin, line,
    options: Object.fromEntries(Object.entries(old.options).filter(([k]) => !/windowsshim\.(hnsid|networkname)$/.test(k))),
    dnsSuffix: old.dnsSuffix, dnsServers: old.dnsServers, disableGatewayDns: old.disableGatewayDns, labels: old.labels,
  });
  net.id = old.id;
}

/** The Docker CLI's answer while dockerd is stopped (20.10 text; the path is the first API call the command makes). */
export function daemonDown(cmd: DockerCommand): string {
  const [verb, path] = apiCall(cmd);
  const text = `error during connect: This error may indicate that the docker daemon is not running.: ${verb} "http://%2F%2F.%2Fpipe%2Fdocker_engine/v1.24${path}": open //./pipe/docker_engine: The system cannot find the file specified.`;
  return cmd.path[0] === 'run' || cmd.path[0] === 'create' ? `docker: ${text}\nSee 'docker ${cmd.path[0]} --help'.` : text;
}

function apiCall(cmd: DockerCommand): [string, string] {
  const arg = cmd.args[0]?.value ?? '';
  const flag = (n: string) => cmd.flags.find((f) => f.name === n)?.value;
  switch (cmd.path.join(' ')) {
    case 'ps':
    case 'container ls':
      return ['Get', flag('a') || flag('all') ? '/containers/json?all=1' : '/containers/json'];
    case 'run':
    case 'create': {
      const name = flag('name');
      return ['Post', typeof name === 'string' ? `/containers/create?name=${encodeURIComponent(name)}` : '/containers/create'];
    }
    case 'start':
    case 'stop':
    case 'restart':
      return ['Post', `/containers/${arg}/${cmd.path[0]}`];
    case 'rm':
      return ['Delete', `/containers/${arg}`];
    case 'exec':
      return ['Post', `/containers/${arg}/exec`];
    case 'inspect':
      return ['Get', `/containers/${arg}/json`];
    case 'network ls':
    case 'network list':
      return ['Get', '/networks'];
    case 'network create':
      return ['Post', '/networks/create'];
    case 'network inspect':
      return ['Get', `/networks/${arg}`];
    case 'network rm':
    case 'network remove':
      return ['Delete', `/networks/${arg}`];
    case 'info':
      return ['Get', '/info'];
    case 'version':
      return ['Get', '/version'];
    default:
      return ['Get', '/_ping'];
  }
}

/** `Get-NetNat | Remove-NetNat` or `Remove-NetNat [-Name] N`: the WinNAT goes; the nat networks that used it stay. */
export function removeNetNat(host: Host, name: string | undefined): string {
  if (name !== undefined && !host.winnats.some((w) => w.name.toLowerCase() === name.toLowerCase()))
    fail(`Remove-NetNat : No MSFT_NetNat objects found with property 'Name' equal to '${name}'.  Verify the value of the property and retry.`);
  host.winnats = name === undefined ? [] : host.winnats.filter((w) => w.name.toLowerCase() !== name.toLowerCase());
  for (const n of host.networks) if (n.winnat && !host.winnats.some((w) => w.name === n.winnat)) n.winnat = null;
  return '';
}

/**
 * `New-NetNat -Name N -InternalIPInterfaceAddressPrefix P`: a WinNAT for a prefix. A nat network
 * whose gateway lies in the prefix uses it again. A prefix holding the host's own address fails
 * with error 87 (Virtualization-Documentation #361).
 */
export function newNetNat(host: Host, p: Record<string, string>, line: number): string {
  const name = p.name;
  const prefix = p.internalipinterfaceaddressprefix;
  if (!name) fail("New-NetNat : Cannot validate argument on parameter 'Name'. The argument is null or empty.");
  if (!prefix) fail('New-NetNat : Packet Path simulates New-NetNat with -InternalIPInterfaceAddressPrefix only.');
  const c = parseCidr(prefix);
  if (!c) fail(`New-NetNat : The parameter is incorrect.`);
  const base = cidrNum(prefix);
  const inside = (ip: string | null | undefined) => !!ip && ((cidrNum(`${ip.split('/')[0]}/32`).base ^ base.base) >>> (32 - base.len)) === 0 && base.len > 0;
  if (host.nics.some((n) => inside(n.ip)) || host.winnats.some((w) => overlaps(cidrNum(w.internalPrefix), base)))
    fail('New-NetNat : The parameter is incorrect.\n    + CategoryInfo          : InvalidArgument: (MSFT_NetNat:root/StandardCimv2/MSFT_NetNat) [New-NetNat], CimException\n    + FullyQualifiedErrorId : Windows System Error 87,New-NetNat');
  const users = host.networks.filter((n) => n.driver === 'nat' && n.subnets.some((s) => inside(s.gateway)));
  const gateway = users[0]?.subnets[0]?.gateway;
  host.winnats.push({
    name, internalPrefix: gateway ? `${gateway}/${base.len}` : `${formatIp(base.base)}/${base.len}`, networkIds: users.map((n) => n.id),
    externalIp: null, staticMappings: [], portPool: { first: 49152, last: 65535 }, line,
  });
  for (const n of users) n.winnat = name;
  return [
    '', `Name                             : ${name}`, 'ExternalIPInterfaceAddressPrefix :', `InternalIPInterfaceAddressPrefix : ${prefix}`,
    'IcmpQueryTimeout                 : 30', 'TcpEstablishedConnectionTimeout  : 1800', 'TcpTransientConnectionTimeout    : 120',
    'TcpFilteringBehavior             : AddressDependentFiltering', 'UdpFilteringBehavior             : AddressDependentFiltering',
    'UdpIdleSessionTimeout            : 120', 'UdpInboundRefresh                : False', 'Store                            : Local',
    'Active                           : True', '',
  ].join('\n');
}

function overlaps(a: { base: number; len: number }, b: { base: number; len: number }): boolean {
  const len = Math.min(a.len, b.len);
  return len === 0 || ((a.base ^ b.base) >>> (32 - len)) === 0;
}

/**
 * `Get-HnsNetwork | Remove-HnsNetwork`: HNS deletes its networks (their switches and WinNATs go
 * with them) whether or not Docker knows; a running dockerd keeps listing them until it restarts.
 * A network with attached containers is left alone and named in a warning: what HNS does then was
 * not found in public material.
 */
export function removeHnsNetworks(host: Host, which: Network[] = hnsNetworks(host), output = ''): { output: string; warnings: string[] } {
  const warnings: string[] = [];
  for (const n of which) {
    if (host.endpoints.some((e) => e.networkId === n.id)) {
      warnings.push(`Packet Path does not simulate removing HNS network ${n.hnsName} while containers are attached to it; it was left in place (stop the containers, or Stop-Service docker, first)`);
      continue;
    }
    n.hnsRemoved = true;
    if (n.vswitch && host.vswitches.some((s) => s.name === n.vswitch && s.createdBy === 'hns')) {
      host.vswitches = host.vswitches.filter((s) => s.name !== n.vswitch);
    }
    n.vswitch = null;
    // A WinNAT goes with the last network using it (ws2016's one WinNAT serves every nat network).
    const winnat = n.winnat;
    n.winnat = null;
    if (winnat && !host.networks.some((x) => x.winnat === winnat && !x.hnsRemoved)) host.winnats = host.winnats.filter((w) => w.name !== winnat);
  }
  return { output, warnings };
}

/** The networks HNS holds (Docker's `none` has no HNS network; a removed one is gone). */
function hnsNetworks(host: Host): Network[] {
  return host.networks.filter((x) => x.driver !== 'null' && !x.hnsRemoved);
}

/** The Containers module's `Mode` (the `-Mode` values of New-ContainerNetwork: NAT, Transparent, ... ). */
const CONTAINER_NETWORK_MODE: Record<string, string> = { nat: 'NAT', transparent: 'Transparent', l2bridge: 'L2Bridge', l2tunnel: 'L2Tunnel', overlay: 'Overlay' };

function containerModule(host: Host, cmdlet: string): void {
  if (!osProfile(host.os).containersModule) fail(notRecognizedText(cmdlet));
}

function namedNetworks(host: Host, cmdlet: string, names: string[]): Network[] {
  const all = hnsNetworks(host);
  if (!names.length) return all;
  return names.map((name) => all.find((n) => n.hnsName.toLowerCase() === name.toLowerCase())
    ?? fail(`${cmdlet} : Packet Path finds no container network named '${name}' (the module's own text for this was not found in public material).`));
}

/**
 * `Get-ContainerNetwork [-Name N]` (the Containers module of Windows Server 2016): HNS's networks
 * under HNS's names, in the module's table (`Name Id Subnets Mode SourceMac DNSServers DNSSuffix`,
 * lower-case Id, subnets as `{prefix}`), as pasted in microsoft/hcsshim #99 and
 * Virtualization-Documentation #516.
 */
export function getContainerNetwork(host: Host, names: string[]): string {
  containerModule(host, 'Get-ContainerNetwork');
  const nets = namedNetworks(host, 'Get-ContainerNetwork', names);
  if (!nets.length) return '';
  return psTable(
    ['Name', 'Id', 'Subnets', 'Mode', 'SourceMac', 'DNSServers', 'DNSSuffix'].map((label) => ({ label })),
    nets.map((n) => [
      n.hnsName, n.hnsId.toLowerCase(), `{${n.subnets.map((s) => s.prefix).join(', ')}}`, CONTAINER_NETWORK_MODE[n.driver] ?? n.driver,
      '', n.dnsServers.join(','), n.dnsSuffix ?? '',
    ]),
  );
}

/**
 * `Get-ContainerNetwork | Remove-ContainerNetwork [-Force]` or `Remove-ContainerNetwork -Name N`:
 * HNS deletes the networks, as `Remove-HnsNetwork` does (Docker keeps listing them until dockerd
 * restarts). Without -Force the cmdlet asks for each network; a piped network is named `""` in the
 * question (hcsshim #99); the script answers Yes.
 */
export function removeContainerNetworks(host: Host, names: string[], piped: boolean, force: boolean): { output: string; warnings: string[] } {
  containerModule(host, piped ? 'Get-ContainerNetwork' : 'Remove-ContainerNetwork');
  if (!piped && !names.length) fail('Remove-ContainerNetwork : Packet Path runs it with -Name or after `Get-ContainerNetwork |`.');
  const nets = namedNetworks(host, piped ? 'Get-ContainerNetwork' : 'Remove-ContainerNetwork', names);
  const ask = (n: Network) => ['', 'Confirm', `Remove-ContainerNetwork will remove the container network "${piped ? '' : n.hnsName}".`,
    '[Y] Yes  [A] Yes to All  [N] No  [L] No to All  [S] Suspend  [?] Help (default is "Y"): Y'].join('\n');
  return removeHnsNetworks(host, nets, force ? '' : nets.map(ask).join('\n'));
}

