/**
 * `docker inspect` of a container: moby v20.10.24's ContainerJSON (api/types/types.go
 * ContainerJSONBase, ContainerJSON, NetworkSettingsBase + DefaultNetworkSettings flattened;
 * api/types/container HostConfig and Config) as a Windows daemon fills it (daemon/inspect.go),
 * every field in Go's order. Go's encoding/json writes map keys sorted, so the maps are sorted here.
 */
import type { DockerCommand } from '../script/ast.js';
import { boolFlag, flagValue } from './args.js';
import { DEFAULT_CMD, findContainer, networkById, primaryEndpoints } from './containers.js';
import { ensureEngine } from './docker-engine.js';
import { inspectWithFormat } from './docker-format.js';
import { CommandError, E, fail } from './errors.js';
import { dockerJson, goMap, isoTime } from './format.js';
import { dockerMac } from './ids.js';
import { findNetwork, networkInspectObject } from './networks.js';
import { serviceInspectObject } from './services.js';
import { findService } from './swarm.js';
import type { Container, Host, RunSettings, World } from './types.js';

/** The daemon's data root (cmd/dockerd/config_windows.go: %programdata%\docker). */
export const DOCKER_ROOT = 'C:\\ProgramData\\docker';

/** Go's time.Time zero value in RFC3339Nano (a container never started or never stopped). */
const ZERO_TIME = '0001-01-01T00:00:00Z';

/**
 * The console size the Windows client sends with `docker run` (docker/cli run.go: GetTtySize of its
 * console). The simulated user types into a default 120×30 console window; ConsoleSize is (height, width).
 */
const CONSOLE_SIZE: [number, number] = [30, 120];

/** What a task container was created with (daemon/cluster/executor/container/container.go config/hostConfig). */
function taskSettings(c: Container): RunSettings {
  return {
    networkMode: 'default', cmd: null, entrypoint: null, env: [], labels: {}, user: null, workdir: '', domainname: '',
    tty: false, interactive: false, detach: true, autoRemove: false, publishAll: false,
    portBindings: c.publish.map((p) => ({ key: `${p.containerPort}/${p.protocol}`, hostIp: '', hostPort: p.hostPort ? String(p.hostPort) : '' })),
    volumes: [],
  };
}

/** A mount as `inspect` prints it (api/types/types.go MountPoint; Name and Driver omitempty). */
export interface MountPoint {
  Type: string;
  Name?: string;
  Source: string;
  Destination: string;
  Driver?: string;
  Mode: string;
  RW: boolean;
  Propagation: string;
}

/**
 * The mounts of `-v` values: `C:\\src:C:\\dst[:ro]` is a bind (the pasted Windows inspect of a bind
 * shows Type bind, Mode "", RW true, Propagation ""); `name:C:\\dst` a volume of the local driver
 * under the data root (moby volume/local: volumes\\<name>\\_data).
 */
export function containerMounts(c: Container): MountPoint[] {
  const out: MountPoint[] = [];
  for (const v of c.run?.volumes ?? []) {
    const m = /^(?:([a-zA-Z]:\\[^:]*|[^:\\/]+):)?([a-zA-Z]:(?:\\[^:]*)?)(?::(ro|rw))?$/.exec(v);
    if (!m) continue;
    const [, src, dst, mode = ''] = m;
    const rw = mode !== 'ro';
    // An anonymous volume gets a generated 64-hex name (here derived from the container ID).
    const name = src ?? `${c.id.slice(32)}${c.id.slice(0, 32)}`;
    if (src !== undefined && /^[a-zA-Z]:/.test(src)) out.push({ Type: 'bind', Source: src, Destination: dst!, Mode: mode, RW: rw, Propagation: '' });
    else out.push({ Type: 'volume', Name: name, Source: `${DOCKER_ROOT}\\volumes\\${name}\\_data`, Destination: dst!, Driver: 'local', Mode: mode, RW: rw, Propagation: '' });
  }
  return out;
}

/** Config.Labels: the `--label` values, and the swarm labels of a task. */
export function containerLabels(world: World, c: Container): Record<string, string> {
  return goMap(Object.entries({ ...(c.run?.labels ?? {}), ...taskLabels(world, c) }));
}

/** The swarm labels of a task's container (executor container.go labels(): com.docker.swarm.*). */
function taskLabels(world: World, c: Container): Record<string, string> {
  if (!c.service) return {};
  const svc = world.swarm?.services.find((s) => s.id === c.service!.serviceId);
  const node = world.swarm?.nodes.find((n) => world.hosts.some((h) => h.name === n.host && h.containers.includes(c)));
  return {
    'com.docker.swarm.node.id': node?.id ?? '',
    'com.docker.swarm.service.id': c.service.serviceId,
    'com.docker.swarm.service.name': svc?.name ?? '',
    'com.docker.swarm.task': '',
    'com.docker.swarm.task.id': c.service.taskId,
    'com.docker.swarm.task.name': c.name.replace(/^\//, ''),
  };
}

/**
 * `t` no earlier than `floor` (both RFC3339Nano from isoTime): within the same second the made-up
 * fraction of a later event is moved after the earlier one's, so a container never starts before
 * it was created nor stops before it started.
 */
function notBefore(t: string, floor: string): string {
  const parse = (x: string): [string, number] => {
    const m = /^(.*?)(?:\.(\d+))?Z$/.exec(x)!;
    return [m[1]!, Number((m[2] ?? '').padEnd(7, '0'))];
  };
  const [base, frac] = parse(t);
  const [floorBase, floorFrac] = parse(floor);
  if (base !== floorBase || frac >= floorFrac) return t;
  const moved = Math.min(9_999_999, floorFrac + 1 + (frac % Math.max(1, 9_999_999 - floorFrac)));
  const digits = String(moved).padStart(7, '0').replace(/0+$/, '');
  return digits ? `${base}.${digits}Z` : `${base}Z`;
}

/** Nano Server images from 1709 on run as ContainerUser (the image's config; servercore's is empty). */
function imageUser(image: string): string {
  return /nanoserver/i.test(image) && !/sac2016|14393/i.test(image) ? 'ContainerUser' : '';
}

/** The `docker inspect` object of a container, as Docker 20.10 on Windows prints it. */
export function containerInspectObject(world: World, host: Host, c: Container, size = false): Record<string, unknown> {
  const run = c.run ?? taskSettings(c);
  const running = c.state === 'running';
  const started = c.state !== 'created';
  const eps = primaryEndpoints(host, c);

  // NetworkSettings.Networks: one entry per attached network; a stopped container keeps the
  // configuration and loses the operational data (container_operations.go cleanOperationalData).
  const networks: [string, unknown][] = [];
  for (const at of c.attachments) {
    const net = networkById(world, host, at.networkId);
    if (!net) continue;
    const ep = running ? host.endpoints.find((e) => e.id === at.endpointId) : undefined;
    // updateNetworkConfig adds the short ID as an alias on user-defined networks only (not `nat`).
    const userDefined = net.name !== 'nat' && net.name !== 'none' && net.name !== 'default';
    const aliases = [...at.aliases, ...(userDefined && !at.aliases.includes(c.id.slice(0, 12)) ? [c.id.slice(0, 12)] : [])];
    networks.push([net.name, {
      IPAMConfig: at.ip ? { IPv4Address: at.ip } : null,
      Links: null,
      Aliases: aliases.length ? aliases : null,
      NetworkID: started ? net.id : '',
      EndpointID: ep?.id ?? '',
      Gateway: ep?.gateway ?? '',
      IPAddress: ep?.ip ?? '',
      IPPrefixLen: ep ? ep.dockerPrefixLen : 0,
      IPv6Gateway: '',
      GlobalIPv6Address: '',
      GlobalIPv6PrefixLen: 0,
      MacAddress: ep ? dockerMac(ep.mac) : '',
      DriverOpts: null,
    }]);
  }

  // Exposed ports: the -p and --expose ports (opts.go adds both to Config.ExposedPorts).
  const exposed = new Set<string>();
  for (const b of run.portBindings) exposed.add(b.key);
  for (const p of c.publish) exposed.add(`${p.containerPort}/${p.protocol}`);
  for (const e of c.expose) exposed.add(e.includes('/') ? e : `${e}/tcp`);

  // NetworkSettings.Ports: the running sandbox's mappings and the other exposed ports with null;
  // releaseNetwork empties it when the container stops (inspect.go then prints {}).
  const ports: [string, unknown][] = [];
  if (running) {
    const bound = new Map<string, { HostIp: string; HostPort: string }[]>();
    for (const ep of eps)
      for (const m of ep.portMappings) {
        const k = `${m.containerPort}/${m.protocol}`;
        bound.set(k, [...(bound.get(k) ?? []), { HostIp: '0.0.0.0', HostPort: String(m.hostPort) }]);
      }
    for (const k of new Set([...bound.keys(), ...exposed])) ports.push([k, bound.get(k) ?? null]);
  }

  const portBindings = new Map<string, { HostIp: string; HostPort: string }[]>();
  for (const b of run.portBindings) portBindings.set(b.key, [...(portBindings.get(b.key) ?? []), { HostIp: b.hostIp, HostPort: b.hostPort }]);

  const cmd = run.cmd ?? (run.entrypoint !== null ? null : c.run ? [DEFAULT_CMD] : c.command.split(' '));
  const argv = [...(run.entrypoint !== null ? [run.entrypoint] : []), ...(cmd ?? [])];
  const labels = containerLabels(world, c);
  const binds = run.volumes.filter((v) => /^[^:]+:./.test(v) && !/^[a-zA-Z]:[^:]*$/.test(v));
  const attached = !run.detach;
  const created = isoTime(c.createdAt, c.id);
  const startedAt = started ? notBefore(isoTime(c.startedAt, `${c.id}/start`), created) : ZERO_TIME;
  const stopped = c.state === 'exited' || c.finishedAt > 0;
  const finishedRaw = stopped ? isoTime(c.finishedAt, `${c.id}/finish`) : ZERO_TIME;
  // A container restarted later keeps an older FinishedAt; one stopped after its start does not precede it.
  const finishedAt = stopped && c.finishedAt >= c.startedAt ? notBefore(finishedRaw, startedAt) : finishedRaw;

  return {
    Id: c.id,
    Created: created,
    Path: argv[0] ?? '',
    Args: argv.slice(1),
    State: {
      Status: c.state,
      Running: running,
      Paused: false,
      Restarting: false,
      OOMKilled: false,
      Dead: false,
      Pid: running ? 4000 + c.compartmentId * 4 : 0,
      ExitCode: c.state === 'exited' ? c.exitCode : 0,
      Error: '',
      StartedAt: startedAt,
      // A restarted container keeps the time it last stopped.
      FinishedAt: finishedAt,
    },
    Image: `sha256:${c.id.split('').reverse().join('')}`,
    ResolvConfPath: '',
    HostnamePath: '',
    HostsPath: '',
    LogPath: `${DOCKER_ROOT}\\containers\\${c.id}\\${c.id}-json.log`,
    Name: `/${c.name}`,
    RestartCount: 0,
    Driver: 'windowsfilter',
    Platform: 'windows',
    MountLabel: '',
    ProcessLabel: '',
    AppArmorProfile: '',
    ExecIDs: null,
    HostConfig: {
      Binds: binds.length ? binds : null,
      ContainerIDFile: '',
      LogConfig: { Type: 'json-file', Config: {} },
      NetworkMode: run.networkMode,
      PortBindings: goMap(portBindings),
      // A task's restarts are swarm's (the executor sets no policy: Name "").
      RestartPolicy: c.run ? { Name: c.restartPolicy?.name ?? 'no', MaximumRetryCount: c.restartPolicy?.maximumRetryCount ?? 0 } : { Name: '', MaximumRetryCount: 0 },
      AutoRemove: run.autoRemove,
      VolumeDriver: '',
      VolumesFrom: null,
      CapAdd: null,
      CapDrop: null,
      CgroupnsMode: '',
      // The client never sends nil DNS lists (opts.go GetAllOrEmpty); a task's are nil without a DNS config.
      Dns: c.run || c.dns.length ? c.dns : null,
      DnsOptions: c.run ? [] : null,
      DnsSearch: c.run || c.dnsSearch.length ? c.dnsSearch : null,
      ExtraHosts: null,
      GroupAdd: null,
      IpcMode: '',
      Cgroup: '',
      Links: null,
      OomScoreAdj: 0,
      PidMode: '',
      Privileged: false,
      PublishAllPorts: run.publishAll,
      ReadonlyRootfs: false,
      SecurityOpt: null,
      UTSMode: '',
      UsernsMode: '',
      ShmSize: 0,
      ConsoleSize: c.run ? CONSOLE_SIZE : [0, 0],
      Isolation: c.isolation,
      CpuShares: 0,
      Memory: 0,
      NanoCpus: 0,
      CgroupParent: '',
      BlkioWeight: 0,
      BlkioWeightDevice: [],
      BlkioDeviceReadBps: null,
      BlkioDeviceWriteBps: null,
      BlkioDeviceReadIOps: null,
      BlkioDeviceWriteIOps: null,
      CpuPeriod: 0,
      CpuQuota: 0,
      CpuRealtimePeriod: 0,
      CpuRealtimeRuntime: 0,
      CpusetCpus: '',
      CpusetMems: '',
      Devices: [],
      DeviceCgroupRules: null,
      DeviceRequests: null,
      KernelMemory: 0,
      KernelMemoryTCP: 0,
      MemoryReservation: 0,
      MemorySwap: 0,
      MemorySwappiness: null,
      OomKillDisable: false,
      PidsLimit: null,
      Ulimits: null,
      CpuCount: 0,
      CpuPercent: 0,
      IOMaximumIOps: 0,
      IOMaximumBandwidth: 0,
      MaskedPaths: null,
      ReadonlyPaths: null,
    },
    GraphDriver: { Data: { dir: `${DOCKER_ROOT}\\windowsfilter\\${c.id}` }, Name: 'windowsfilter' },
    // `-s`: the layer sizes, which a Windows daemon reports as 0 (moby #28702).
    ...(size ? { SizeRw: 0, SizeRootFs: 0 } : {}),
    Mounts: containerMounts(c),
    Config: {
      Hostname: c.hostname,
      Domainname: run.domainname,
      User: run.user ?? imageUser(c.image),
      AttachStdin: attached && run.interactive,
      AttachStdout: attached,
      AttachStderr: attached,
      ...(exposed.size ? { ExposedPorts: goMap([...exposed].map((k) => [k, {}])) } : {}),
      Tty: run.tty,
      OpenStdin: run.interactive,
      StdinOnce: attached && run.interactive,
      Env: run.env.length ? run.env : null,
      Cmd: cmd,
      Image: c.image,
      Volumes: null,
      WorkingDir: run.workdir,
      Entrypoint: run.entrypoint !== null ? [run.entrypoint] : null,
      ...(c.macAddress ? { MacAddress: c.macAddress } : {}),
      OnBuild: null,
      Labels: labels,
    },
    NetworkSettings: {
      Bridge: '',
      SandboxID: started ? c.id : '',
      HairpinMode: false,
      LinkLocalIPv6Address: '',
      LinkLocalIPv6PrefixLen: 0,
      Ports: goMap(ports),
      SandboxKey: started ? c.id : '',
      SecondaryIPAddresses: null,
      SecondaryIPv6Addresses: null,
      // DefaultNetworkSettings come from a network named "bridge", which Windows never has.
      EndpointID: '',
      Gateway: '',
      GlobalIPv6Address: '',
      GlobalIPv6PrefixLen: 0,
      IPAddress: '',
      IPPrefixLen: 0,
      IPv6Gateway: '',
      MacAddress: '',
      Networks: goMap(networks),
    },
  };
}

/** The object types `docker inspect --type` accepts (docker/cli v20.10.24 cli/command/system/inspect.go). */
const INSPECT_TYPES = ['container', 'image', 'node', 'network', 'service', 'volume', 'task', 'plugin', 'secret'];

/**
 * `docker inspect [--type T] [-s] X...`: the CLI tries containers, then networks, then (on a swarm
 * manager) services, as inspectAll does; images, volumes, tasks, nodes, plugins and secrets are not
 * objects Packet Path has, and asking for them by `--type` says so. `-s` adds SizeRw/SizeRootFs to
 * containers (0 on Windows, moby #28702) and warns for other objects.
 */
export function dockerInspect(world: World, host: Host, cmd: DockerCommand): { output: string; warnings: string[] } {
  ensureEngine(world, host, cmd.line);
  // `docker container inspect` asks the container API only (cli/command/container/inspect.go).
  const type = cmd.path[0] === 'container' ? 'container' : flagValue(cmd.flags, 'type') ?? '';
  if (type !== '' && !INSPECT_TYPES.includes(type)) fail(`${JSON.stringify(type)} is not a valid value for --type`);
  if (type !== '' && type !== 'container' && type !== 'network' && type !== 'service')
    fail(`Packet Path does not simulate docker inspect --type ${type} (it has no ${type} objects)`);
  if (cmd.args.length === 0) fail(`"docker inspect" requires at least 1 argument.\nSee 'docker inspect --help'.`);
  const size = boolFlag(cmd.flags, 'size', 's');
  const manager = host.engine?.swarmRole === 'manager';
  const objs: unknown[] = [];
  const errors: string[] = [];
  const warnings: string[] = [];
  for (const a of cmd.args) {
    const c = type === '' || type === 'container' ? findContainer(host, a.value) : undefined;
    if (c) {
      objs.push(containerInspectObject(world, host, c, size));
      continue;
    }
    const n = type === '' || type === 'network' ? findNetwork(world, host, a.value) : undefined;
    const svc = !n && (type === 'service' || (type === '' && manager)) ? findService(world, a.value) : undefined;
    if (n || svc) {
      objs.push(n ? networkInspectObject(world, host, n) : serviceInspectObject(world, svc!));
      if (size) warnings.push(`--size ignored for ${n ? 'network' : 'service'}`);
      continue;
    }
    if (type === 'service' && !manager) fail(E.notSwarmManager());
    errors.push(type === 'container' ? E.noSuchContainer(a.value) : type === 'network' ? E.noSuchNetwork(a.value) : type === 'service' ? E.noSuchService(a.value) : E.noSuchObject(a.value));
  }
  const format = flagValue(cmd.flags, 'format', 'f');
  if (format) return { output: inspectWithFormat(format, objs, errors), warnings };
  if (errors.length) throw new CommandError(errors.join('\n'), dockerJson(objs));
  return { output: dockerJson(objs), warnings };
}
