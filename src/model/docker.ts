/** Dispatch of `docker ...` commands to the modules that own them. */
import type { DockerCommand } from '../script/ast.js';
import { composeUp } from './compose.js';
import {
  dockerPs, dockerRestart, dockerRm, dockerRun, dockerStart, dockerStop, networkConnect, networkDisconnect,
} from './containers.js';
import { dockerInspect } from './container-inspect.js';
import { ensureEngine } from './docker-engine.js';
import { flagValue } from './args.js';
import { executeFormat, notModelled, tabwrite, type ListRow } from './docker-format.js';
import { fail } from './errors.js';
import { GoNil, GoStruct, type GoValue } from './go-template.js';
import type { FileSource } from './files.js';
import { dockerNotSimulated } from './answers.js';
import { networkCreate, networkInspect, networkLs, networkPrune, networkRm } from './networks.js';
import { dockerServiceLs, serviceCreate, serviceInspect, serviceRm, serviceScale, serviceTasksPs, serviceUpdate } from './services.js';
import { nodeLs, nodeUpdate, swarmInit, swarmJoin, swarmLeave } from './swarm.js';
import { enginePlugins, nodeInspect } from './node-inspect.js';
import { dockerLogs } from './logs.js';
import { stackDeploy, stackLs, stackPs, stackRm } from './stack.js';
import { dockerExec } from './tools.js';
import type { TrafficRequest } from './traffic.js';
import type { Host, World } from './types.js';
import { MCR_20_10, osProfile } from './os.js';
import { daemonDown, serviceRunning } from './repair.js';
import { dockerPort } from './ports.js';

/**
 * docker/cli v20.10.24 cli/command/system/version.go: `docker version` is this template run over
 * the client and server versions, through tabwriter (minwidth 20, padding 1). It prints no kernel
 * version (real 20.10 outputs pasted in public install guides show the same lines).
 */
const VERSION_TEMPLATE = `{{with .Client -}}
Client:{{if ne .Platform.Name ""}} {{.Platform.Name}}{{end}}
 Version:\t{{.Version}}
 API version:\t{{.APIVersion}}{{if ne .APIVersion .DefaultAPIVersion}} (downgraded from {{.DefaultAPIVersion}}){{end}}
 Go version:\t{{.GoVersion}}
 Git commit:\t{{.GitCommit}}
 Built:\t{{.BuildTime}}
 OS/Arch:\t{{.Os}}/{{.Arch}}
 Context:\t{{.Context}}
 Experimental:\t{{.Experimental}}
{{- end}}

{{- if .ServerOK}}{{with .Server}}

Server:{{if ne .Platform.Name ""}} {{.Platform.Name}}{{end}}
 {{- range $component := .Components}}
 {{$component.Name}}:
  {{- if eq $component.Name "Engine" }}
  Version:\t{{.Version}}
  API version:\t{{index .Details "ApiVersion"}} (minimum version {{index .Details "MinAPIVersion"}})
  Go version:\t{{index .Details "GoVersion"}}
  Git commit:\t{{index .Details "GitCommit"}}
  Built:\t{{index .Details "BuildTime"}}
  OS/Arch:\t{{index .Details "Os"}}/{{index .Details "Arch"}}
  Experimental:\t{{index .Details "Experimental"}}
  {{- else }}
  Version:\t{{$component.Version}}
  {{- $detailsOrder := getDetailsOrder $component}}
  {{- range $key := $detailsOrder}}
  {{$key}}:\t{{index $component.Details $key}}
   {{- end}}
  {{- end}}
 {{- end}}
 {{- end}}{{- end}}`;

/** The `versionInfo` value `docker version` formats: Go field names, JSON names for `{{json .}}`. */
function versionInfo(host: Host): GoStruct {
  const e = osProfile(host.os).engine;
  const platform = new GoStruct('struct { Name string }', { Name: e.product });
  const client = {
    Version: e.version, APIVersion: e.api, DefaultAPIVersion: e.api, GitCommit: e.client.commit, GoVersion: e.client.go,
    Os: 'windows', Arch: 'amd64', BuildTime: e.client.built, Context: 'default', Experimental: true,
  };
  const engine = {
    ApiVersion: e.api, Arch: 'amd64', BuildTime: e.server.built, Experimental: 'false', GitCommit: e.server.commit,
    GoVersion: e.server.go, KernelVersion: `10.0 ${osProfile(host.os).build}`,
    MinAPIVersion: '1.24', Os: 'windows',
  };
  const server = {
    Version: e.version, APIVersion: e.api, MinAPIVersion: '1.24', GitCommit: e.server.commit, GoVersion: e.server.go, Os: 'windows',
    Arch: 'amd64', KernelVersion: engine.KernelVersion, BuildTime: e === MCR_20_10 ? '2023-04-04T18:23:43.000000000+00:00' : e.server.built, Experimental: false,
  };
  const component = new GoStruct('types.ComponentVersion', { Name: 'Engine', Version: e.version, Details: engine });
  // JSON names and order of docker/cli's clientVersion and the API's types.Version (Experimental omitempty).
  const name = platform.members.Name;
  const clientJson = {
    Platform: { Name: name }, Version: client.Version, ApiVersion: client.APIVersion, DefaultAPIVersion: client.DefaultAPIVersion,
    GitCommit: client.GitCommit, GoVersion: client.GoVersion, Os: client.Os, Arch: client.Arch, BuildTime: client.BuildTime,
    Context: client.Context, Experimental: client.Experimental,
  };
  const serverJson = {
    Platform: { Name: name }, Components: [{ Name: 'Engine', Version: server.Version, Details: engine }], Version: server.Version,
    ApiVersion: server.APIVersion, MinAPIVersion: server.MinAPIVersion, GitCommit: server.GitCommit, GoVersion: server.GoVersion,
    Os: server.Os, Arch: server.Arch, KernelVersion: server.KernelVersion, BuildTime: server.BuildTime,
  };
  return new GoStruct('command.versionInfo', {
    Client: new GoStruct('command.clientVersion', { Platform: platform, ...client }, () => clientJson),
    Server: new GoStruct('*types.Version', { Platform: platform, Components: [component], ...server }, () => serverJson),
    ServerOK: () => true,
  }, () => ({ Client: clientJson, Server: serverJson }));
}

/**
 * `docker version [--format F]`: docker/cli 20.10's template on the profiles that run 20.10; the
 * older engines of Docker Desktop (18.03, 18.09) print their own layout (legacyDockerVersion). A
 * template runs over the profile's engine either way; parse errors exit 64 as `template parsing error`.
 */
function dockerVersion(host: Host, format: string | undefined): string {
  if (!format && osProfile(host.os).engine !== MCR_20_10) return legacyDockerVersion(host);
  const getDetailsOrder = (c: GoValue): GoValue => Object.keys(((c as GoStruct).members.Details ?? {}) as object).sort();
  return executeFormat(format || VERSION_TEMPLATE, versionInfo(host), { name: 'version', funcs: { getDetailsOrder } }, (s) => tabwrite(s, 20, 1));
}

/** `Operating System:` of `docker info` (the daemon's OperatingSystem field). */
function operatingSystem(host: Host): string {
  const prof = osProfile(host.os);
  return `${prof.caption} Version ${prof.release} (OS Build ${prof.build})`;
}

/** `docker version` of an older engine (18.03 aligns its columns to the longest key; 18.09+ to a fixed width). */
function legacyDockerVersion(host: Host): string {
  const prof = osProfile(host.os);
  const e = prof.engine;
  const old = !e.product;
  const row = (indent: string, key: string, value: string): string =>
    `${indent}${`${key}:`.padEnd(old ? 14 : indent.length === 1 ? 19 : 18)}${value}`;
  const client = [
    ['Version', e.version], ['API version', e.api], ['Go version', e.client.go], ['Git commit', e.client.commit],
    ['Built', e.client.built], ['OS/Arch', 'windows/amd64'], ...(e.contextLine ? [['Context', 'default']] : []),
    ['Experimental', String(e.experimental.client)], ...(e.orchestratorLine ? [['Orchestrator', 'swarm']] : []),
  ];
  const server = [
    ['Version', e.version], ['API version', `${e.api} (minimum version 1.24)`], ['Go version', e.server.go], ['Git commit', e.server.commit],
    ['Built', e.server.built], ['OS/Arch', 'windows/amd64'], ['Experimental', String(e.experimental.server)],
    ...(e.kernelLine ? [['Kernel Version', `10.0 ${prof.build}`]] : []),
  ];
  return [
    old ? 'Client:' : `Client: ${e.product}`, ...client.map(([k, v]) => row(' ', k!, v!)), '',
    old ? 'Server:' : `Server: ${e.product}`, ' Engine:', ...server.map(([k, v]) => row('  ', k!, v!)),
  ].join('\n');
}

/**
 * `docker info`. Before 19.03 the CLI printed the daemon's fields without the Client/Server split
 * and with its own debug, label and registry lines (real 18.06 output on Windows 10 1803 and 18.09
 * on Windows Server 2016 pasted in public notes, docs/behaviour.md).
 */
function dockerInfo(host: Host): string {
  const prof = osProfile(host.os);
  const running = host.containers.filter((c) => c.state === 'running').length;
  const stopped = host.containers.length - running;
  const swarm = host.engine?.swarmRole
    ? [`Swarm: active`, ` NodeID: ${host.engine.nodeId}`, ` Is Manager: ${host.engine.swarmRole === 'manager'}`, ` Node Address: ${(host.nics.find((n) => n.ip)?.ip ?? '').replace(/\/\d+$/, '')}`]
    : ['Swarm: inactive'];
  const modern = prof.engine.contextLine;
  const kernel = prof.kernel ? `10.0 ${prof.build} (${prof.kernel})` : `10.0 ${prof.build}`;
  const daemon = [
    `Containers: ${host.containers.length}`, ` Running: ${running}`, ' Paused: 0', ` Stopped: ${stopped}`,
    'Images: 1', `Server Version: ${prof.engine.version}`, 'Storage Driver: windowsfilter', ' Windows:', 'Logging Driver: json-file',
    'Plugins:', ...Object.entries(enginePlugins(modern)).map(([kind, names]) => ` ${kind}: ${names.join(' ')}`),
    ...swarm,
    `Default Isolation: ${prof.client ? 'hyperv' : 'process'}`, `Kernel Version: ${kernel}`,
    `Operating System: ${prof.caption} Version ${prof.release} (OS Build ${prof.build})`,
    'OSType: windows', 'Architecture: x86_64', 'CPUs: 4', 'Total Memory: 16GiB', `Name: ${infoName(host)}`,
    `ID: ${daemonId(host)}`, 'Docker Root Dir: C:\\ProgramData\\docker',
  ];
  if (!modern) {
    return [
      ...daemon, 'Debug Mode (client): false', 'Debug Mode (server): false', 'Registry: https://index.docker.io/v1/', 'Labels:',
      'Experimental: false', 'Insecure Registries:', ' 127.0.0.0/8', 'Live Restore Enabled: false',
    ].join('\n');
  }
  return [
    'Client:', ' Context:    default', ' Debug Mode: false', '', 'Server:',
    // docker/cli v20.10.24 info.go: Experimental and the default insecure registry CIDR are always printed.
    ...[...daemon, 'Debug Mode: false', 'Registry: https://index.docker.io/v1/', 'Experimental: false', 'Insecure Registries:', ' 127.0.0.0/8',
      'Live Restore Enabled: false'].map((l) => ` ${l}`),
  ].join('\n');
}

/**
 * The daemon's ID (`ID:` of `docker info`): twelve groups of four base-32 characters, the form of
 * the libtrust key ID real daemons print (moby #38306's pasted Windows output); derived from the
 * host name so it is stable.
 */
function daemonId(host: Host): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let h = 0x811c9dc5;
  const out: string[] = [];
  for (let i = 0; i < 48; i++) {
    const c = host.name.charCodeAt(i % host.name.length) + i;
    h = Math.imul(h ^ c, 0x01000193) >>> 0;
    out.push(alphabet[(h >>> 7) % 32]!);
  }
  return out.join('').match(/.{4}/g)!.join(':');
}

/**
 * The value `docker info --format` runs over (docker/cli v20.10.24 cli/command/system/info.go: the
 * API's types.Info embedded in `info`, with ClientInfo): the fields `docker info` prints, from the
 * same facts; the other fields of types.Info answer that they are not simulated.
 */
function infoValue(host: Host): GoStruct {
  const prof = osProfile(host.os);
  const running = host.containers.filter((c) => c.state === 'running').length;
  const e = host.engine;
  const unmodelled = (f: string) => notModelled('docker info', f, 'that part of the daemon');
  const members: ListRow = Object.fromEntries(INFO_FIELDS.map((f) => [f, unmodelled(f)]));
  Object.assign(members, {
    Containers: host.containers.length, ContainersRunning: running, ContainersPaused: 0, ContainersStopped: host.containers.length - running,
    Images: 1, Driver: 'windowsfilter', LoggingDriver: 'json-file', KernelVersion: prof.kernel ? `10.0 ${prof.build} (${prof.kernel})` : `10.0 ${prof.build}`, OperatingSystem: operatingSystem(host),
    OSType: 'windows', Architecture: 'x86_64', NCPU: 4, MemTotal: 17179869184, DockerRootDir: 'C:\\ProgramData\\docker',
    Name: infoName(host), ID: daemonId(host), ServerVersion: prof.engine.version, Isolation: prof.client ? 'hyperv' : 'process', Debug: false,
    IndexServerAddress: 'https://index.docker.io/v1/', LiveRestoreEnabled: false, ExperimentalBuild: false,
    Swarm: new GoStruct('swarm.Info', {
      NodeID: e?.swarmRole ? e.nodeId ?? '' : '',
      NodeAddr: e?.swarmRole ? (host.nics.find((n) => n.ip)?.ip ?? '').replace(/\/\d+$/, '') : '',
      LocalNodeState: e?.swarmRole ? 'active' : 'inactive',
      ControlAvailable: e?.swarmRole === 'manager',
      Error: '',
    }),
    ClientInfo: new GoStruct('*system.clientInfo', { Debug: false, Context: 'default', Plugins: [], Warnings: new GoNil('slice') }),
  });
  return new GoStruct('system.info', members);
}

/** The fields of types.Info in moby v20.10.24 (api/types/types.go) and of its `info` wrapper. */
const INFO_FIELDS = [
  'ID', 'Containers', 'ContainersRunning', 'ContainersPaused', 'ContainersStopped', 'Images', 'Driver', 'DriverStatus', 'SystemStatus',
  'Plugins', 'MemoryLimit', 'SwapLimit', 'KernelMemory', 'KernelMemoryTCP', 'CPUCfsPeriod', 'CPUCfsQuota', 'CPUShares', 'CPUSet',
  'PidsLimit', 'IPv4Forwarding', 'BridgeNfIptables', 'BridgeNfIP6tables', 'Debug', 'NFd', 'OomKillDisable', 'NGoroutines', 'SystemTime',
  'LoggingDriver', 'CgroupDriver', 'CgroupVersion', 'NEventsListener', 'KernelVersion', 'OperatingSystem', 'OSVersion', 'OSType',
  'Architecture', 'IndexServerAddress', 'RegistryConfig', 'NCPU', 'MemTotal', 'GenericResources', 'DockerRootDir', 'HTTPProxy',
  'HTTPSProxy', 'NoProxy', 'Name', 'Labels', 'ExperimentalBuild', 'ServerVersion', 'ClusterStore', 'ClusterAdvertise', 'Runtimes',
  'DefaultRuntime', 'Swarm', 'LiveRestoreEnabled', 'Isolation', 'InitBinary', 'ContainerdCommit', 'RuncCommit', 'InitCommit',
  'SecurityOptions', 'ProductLicense', 'DefaultAddressPools', 'Warnings', 'ServerErrors', 'ClientInfo',
];

export interface DockerResult {
  output: string;
  warnings: string[];
  traffic?: TrafficRequest;
}

export function docker(world: World, host: Host, cmd: DockerCommand, files: FileSource): DockerResult {
  const path = cmd.path.join(' ');
  const plain = (output: string): DockerResult => ({ output, warnings: [] });
  if (!serviceRunning(host, 'docker')) fail(daemonDown(cmd));
  ensureEngine(world, host, cmd.line);
  const format = flagValue(cmd.flags, 'format');
  switch (path) {
    case 'network create':
      return networkCreate(world, host, cmd);
    case 'network ls':
    case 'network list':
      return plain(networkLs(world, host, cmd));
    case 'network inspect':
      return plain(networkInspect(world, host, cmd));
    case 'network rm':
    case 'network remove':
      return plain(networkRm(world, host, cmd));
    case 'network prune':
      return plain(networkPrune(world, host, cmd));
    case 'network connect':
      return networkConnect(world, host, cmd);
    case 'network disconnect':
      return plain(networkDisconnect(world, host, cmd));
    case 'run':
    case 'container run':
      return dockerRun(world, host, cmd);
    case 'start':
    case 'container start':
      return dockerStart(world, host, cmd);
    case 'stop':
    case 'container stop':
      return plain(dockerStop(world, host, cmd));
    case 'restart':
    case 'container restart':
      return dockerRestart(world, host, cmd);
    case 'rm':
    case 'container rm':
      return plain(dockerRm(world, host, cmd));
    case 'ps':
    case 'container ls':
    case 'container list':
      return plain(dockerPs(world, host, cmd));
    case 'logs':
    case 'container logs':
      return dockerLogs(host, cmd);
    case 'port':
    case 'container port':
      return plain(dockerPort(host, cmd));
    case 'inspect':
    case 'container inspect':
      return dockerInspect(world, host, cmd);
    case 'exec':
    case 'container exec':
      return dockerExec(world, host, cmd);
    case 'swarm init':
      return plain(swarmInit(world, host, cmd));
    case 'swarm join':
      return swarmJoin(world, host, cmd);
    case 'swarm leave':
      return plain(swarmLeave(world, host, cmd));
    case 'swarm join-token': {
      const s = world.swarm;
      if (!s || host.engine?.swarmRole !== 'manager')
        fail('Error response from daemon: This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.');
      const role = cmd.args[0]?.value === 'manager' ? 'manager' : 'worker';
      return plain(`To add a ${role} to this swarm, run the following command:\n\n    docker swarm join --token ${s.tokens[role]} ${s.managerAddr}:2377\n`);
    }
    case 'service create':
      return serviceCreate(world, host, cmd);
    case 'service ls':
    case 'service list':
      return plain(dockerServiceLs(world, host, cmd));
    case 'service ps':
      return plain(serviceTasksPs(world, host, cmd));
    case 'service rm':
    case 'service remove':
      return plain(serviceRm(world, host, cmd));
    case 'service scale':
      return serviceScale(world, host, cmd);
    case 'service update':
      return serviceUpdate(world, host, cmd);
    case 'service inspect':
      return plain(serviceInspect(world, host, cmd));
    case 'node ls':
    case 'node list':
      return plain(nodeLs(world, host, cmd));
    case 'node update':
      return plain(nodeUpdate(world, host, cmd));
    case 'node inspect':
      return plain(nodeInspect(world, host, cmd));
    case 'stack deploy':
      return stackDeploy(world, host, cmd, files);
    case 'stack ls':
      return plain(stackLs(world, host, cmd));
    case 'stack ps':
      return plain(stackPs(world, host, cmd));
    case 'stack rm':
      return stackRm(world, host, cmd);
    case 'compose up':
      return composeUp(world, host, cmd, files);
    case 'pull':
    case 'image pull': {
      const image = cmd.args[0]?.value ?? '';
      const tagged = /:[^/]+$/.test(image) ? image : `${image}:latest`;
      const tag = tagged.slice(tagged.lastIndexOf(':') + 1);
      return plain(`${tagged === image ? '' : 'Using default tag: latest\n'}${tag}: Pulling from ${image.replace(/:[^/]+$/, '')}\nDigest: sha256:${'0'.repeat(64)}\nStatus: Image is up to date for ${tagged}`);
    }
    case 'version':
      return plain(dockerVersion(host, format));
    case 'info':
      return plain(format === undefined ? dockerInfo(host) : executeFormat(format, infoValue(host)));
    default:
      return fail(dockerNotSimulated(path));
  }
}

/**
 * `docker info`'s Name: moby v20.10.24 daemon/info.go hostName() is Go's os.Hostname, which on
 * Windows is GetComputerNameEx(ComputerNamePhysicalDnsHostname): the DNS host name in the case it
 * was set, not the upper-case NetBIOS name. The swarm node's Hostname is the same value
 * (daemon/cluster/executor/container/executor.go Describe: `Hostname: info.Name`).
 */
function infoName(host: Host): string {
  return host.name;
}
