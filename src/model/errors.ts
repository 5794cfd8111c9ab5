/**
 * Error texts of the real tools, in one place (sources in reference/windows-facts.md and
 * docs/behaviour.md). A command that fails throws a CommandError; execute() turns it into an
 * Outcome and discards the world copy.
 */
import type { Host, Network } from './types.js';
import { osProfile } from './os.js';

export class CommandError extends Error {
  constructor(
    message: string,
    /** Lines printed before the error (e.g. a network ID Docker printed before failing). */
    readonly output = '',
    readonly warnings: string[] = [],
    /** What the command changed stays (a service that failed to start is left stopped); most failures change nothing. */
    readonly keepsChanges = false,
  ) {
    super(message);
  }
}

export function fail(message: string): never {
  throw new CommandError(message);
}

/**
 * A container's start failed (docker run's second step, docker start, a hot network connect): the
 * daemon's error, which each command prints its own way (docker/cli v20.10.24: run.go reportError
 * without the help hint, start.go the error then `Error: failed to start containers: NAME`). The
 * message is docker run's form.
 */
export class StartError extends CommandError {
  constructor(readonly daemonText: string) {
    super(`docker: ${daemonText.replace(/\.$/, '')}.`);
  }
}

export function failStart(daemonText: string): never {
  throw new StartError(daemonText);
}

/** `Error response from daemon: ...` as the Docker CLI prints a daemon error. */
export function daemon(msg: string): string {
  return `Error response from daemon: ${msg}`;
}

/** `docker run`/`docker create` errors: the CLI prefixes `docker:` and adds the help hint. */
export function runError(msg: string, sub = 'run'): string {
  return `docker: ${msg.replace(/\.$/, '')}.\nSee 'docker ${sub} --help'.`;
}

/**
 * An HNS failure as the Docker daemon reports it: HNS v1 calls (up to 1709) answer with an error
 * in the response (`HNS failed with error : <text>`, the seed's text); on 1809+ the call itself
 * fails, which the hcsshim vendored by Docker 20.10 wraps twice (`hnsCallRawResponse` in
 * internal/hns/hnsfuncs.go, then hcserror): `failed during hnsCallRawResponse: hnsCall failed in
 * Win32: <text> (0xNN)`.
 */
export function hnsError(host: Host, text: string, code: string): string {
  return osProfile(host.os).build >= 17763
    ? `failed during hnsCallRawResponse: hnsCall failed in Win32: ${text} (${code})`
    : `HNS failed with error : ${text}`;
}

export const E = {
  noSuchContainer: (name: string) => `Error: No such container: ${name}`,
  noSuchContainerDaemon: (name: string) => daemon(`No such container: ${name}`),
  noSuchObject: (name: string) => `Error: No such object: ${name}`,
  noSuchNetwork: (name: string) => `Error: No such network: ${name}`,
  networkNotFound: (name: string) => daemon(`network ${name} not found`),
  notRunning: (id: string) => daemon(`Container ${id} is not running`),
  predefinedRemove: (name: string) => daemon(`${name} is a pre-defined network and cannot be removed`),
  predefinedCreate: (name: string) => daemon(`operation is not permitted on predefined ${name} network `),
  networkExists: (name: string) => daemon(`network with name ${name} already exists`),
  pluginNotFound: (name: string) => daemon(`plugin "${name}" not found`),
  windowsIpam: () => daemon(`this request is not supported by the 'windows' ipam driver`),
  hotAdd: () => daemon('windows does not support connecting a running container to a network'),
  natMultiPort: () => 'Windows does not support more than one host port in NAT settings',
  natHostIp: () => 'Windows does not support host IP addresses in NAT settings',
  macPool: () => daemon('Invalid mac pool. You must specify both a start range and an end range'),
  gatewayNoSubnet: (gw: string) => `no matching subnet for gateway ${gw}`,
  everyGatewayNeedsSubnet: () => 'every ip-range or gateway must have a corresponding subnet',
  staticIpNoSubnet: () =>
    'Error response from daemon: user specified IP address is supported only when connecting to networks with user configured subnets',
  ipNotInSubnet: (ip: string) => `Error response from daemon: no configured subnet or ip-range contain the IP address ${ip}`,
  nameInUse: (name: string, id: string) =>
    daemon(`Conflict. The container name "/${name}" is already in use by container "${id}". You have to remove (or rename) that container to be able to reuse that name.`),
  activeEndpoints: (name: string, id: string) =>
    daemon(`error while removing network: network ${name} id ${id} has active endpoints`),
  removeRunning: (id: string) =>
    daemon(`You cannot remove a running container ${id}. Stop the container before attempting removal or force remove`),
  /** moby v20.10.24 daemon/cluster/cluster.go errNoManager: outside a swarm, or a worker (errSwarmNotManager). */
  notSwarmManager: (role?: 'manager' | 'worker' | null) =>
    daemon(role === 'worker'
      ? "This node is not a swarm manager. Worker nodes can't be used to view or modify cluster state. Please run this command on a manager node or promote the current node to a manager."
      : 'This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.'),
  workerCannotCreate: () =>
    daemon('Cannot create a multi-host network from a worker node. Please create the network from a manager node.'),
  alreadyInSwarm: () =>
    daemon('This node is already part of a swarm. Use "docker swarm leave" to leave this swarm and join another one.'),
  notInSwarm: () => daemon('This node is not part of a swarm'),
  managerLeave: () =>
    daemon('You are attempting to leave the swarm on a node that is participating as a manager. Removing the last manager erases all current state of the swarm. Use `--force` to ignore this message.'),
  notAttachable: (name: string) =>
    daemon(`Could not attach to network ${name}: rpc error: code = PermissionDenied desc = network ${name} not manually attachable`),
  alreadyConnected: (cname: string, net: string) =>
    daemon(`endpoint with name ${cname} already exists in network ${net}`),
  notConnected: (cname: string, net: string) =>
    daemon(`container ${cname} is not connected to network ${net}`),
  invalidPublish: (spec: string) => `invalid argument "${spec}" for "-p, --publish" flag: Invalid hostPort: ${spec}`,
  invalidProto: (p: string) => daemon(`invalid protocol ${p}`),
  portAllocated: (port: number) =>
    daemon(`failed to create endpoint on network nat: HNS failed with error : The specified port already exists.`) + ` (port ${port})`,
  ipInUse: () => daemon('Address already in use'),
  serviceExists: (name: string) =>
    daemon(`rpc error: code = AlreadyExists desc = name conflicts with an existing object: service ${name} already exists`),
  noSuchService: (name: string) => `Error: no such service: ${name}`,
  ipv4Disabled: () => daemon('IPv4 cannot be disabled on Windows'),
  v6Subnet: () => daemon("windowsshim driver doesn't support v6 subnets"),
  outboundNatOs: () => daemon('Invalid network option. OutboundNat is not supported on this OS version'),
  parseBool: (v: string) => daemon(`strconv.ParseBool: parsing "${v}": invalid syntax`),
  parseUint: (v: string) => daemon(`strconv.ParseUint: parsing "${v}": invalid syntax`),
  invalidVxlan: (v: string) => daemon(`invalid vxlan id value "${v}" passed`),
  ipv4PoolEmpty: () => daemon('ipv4 pool is empty'),
  hostNetwork: () => runError(daemon('network host not found')),
  elementNotFound: (id: string) =>
    daemon(`container ${id} encountered an error during CreateContainer: failure in a Windows system call: Element not found.`),
  dockerNotRunning: () =>
    'error during connect: This error may indicate that the docker daemon is not running.: Get "http://%2F%2F.%2Fpipe%2Fdocker_engine/v1.24/version": open //./pipe/docker_engine: The system cannot find the file specified.',
};

/**
 * Creating an endpoint on a network Docker lists but HNS removed fails in HNS; no public output of
 * that HNS error was found, so the text says what happened instead of inventing HNS's words.
 */
export function hnsNetworkGone(container: string, n: Network): string {
  return `failed to create endpoint ${container} on network ${n.name}: its HNS network ${n.hnsId} was removed (Remove-HnsNetwork) while Docker kept the network; Packet Path does not know HNS's error text here. Restart the docker service to let Docker reconcile`;
}
