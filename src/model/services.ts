/**
 * Swarm services: `docker service create|ls|ps|rm|scale`. Tasks are containers named
 * `NAME.SLOT.TASKID` on the nodes the scheduler picks (spread: the node with fewest tasks of the
 * service, manager first on ties), attached to the service's overlay networks (and to ingress
 * for published ports on hosts with the routing mesh). The VIP of each network is allocated
 * before the tasks, so it is the network's first free address.
 */
import type { DockerCommand } from '../script/ast.js';
import { boolFlag, flagValue, flagValues } from './args.js';
import { runContainer, stopContainer } from './containers.js';
import { CommandError, daemon, E, fail } from './errors.js';
import { dockerId, swarmId } from './ids.js';
import { allocateAddress } from './ipam.js';
import { executeFormat, inspectWithFormat, listWithFormat, type ListRow, type ListView } from './docker-format.js';
import { dockerJson, humanDuration, isoTime } from './format.js';
import { GoStruct, type GoValue } from './go-template.js';
import { findNetwork } from './networks.js';
import { osProfile } from './os.js';
import { ensureOverlayInstance, findService, parseServicePublish, scheduler, serviceLs } from './swarm.js';
import type { Container, Host, Service, World } from './types.js';

function tasksOf(world: World, svc: Service): { host: Host; c: Container }[] {
  const out: { host: Host; c: Container }[] = [];
  for (const h of world.hosts) for (const c of h.containers) if (c.service?.serviceId === svc.id) out.push({ host: h, c });
  return out;
}

function runningTasks(world: World, svc: Service): number {
  return tasksOf(world, svc).filter((t) => t.c.state === 'running').length;
}

/**
 * The routing mesh's per-node part: once a service publishes an ingress port, every node whose OS
 * has the routing mesh holds the ingress network and an `ingress-endpoint` address on it (the
 * load balancer's source address, libnetwork service_windows.go `SourceVIP`). Real Docker creates
 * both when a node joins; Packet Path waits for the first ingress port, so swarms without one keep
 * their vSwitches and addresses as before.
 */
export function ensureIngressEndpoints(world: World, line: number, published = false): void {
  const s = world.swarm;
  const ingress = s?.networks.find((n) => n.ingress);
  if (!s || !ingress || !(published || s.services.some((svc) => svc.publish.some((p) => p.mode === 'ingress')))) return;
  const manager = world.hosts.find((h) => h.name === s.managerHost)!;
  for (const nd of s.nodes) {
    const h = world.hosts.find((x) => x.name === nd.host);
    if (!h || nd.ingressIp || !osProfile(h.os).routingMesh) continue;
    ensureOverlayInstance(world, h, ingress, line);
    nd.ingressIp = allocateAddress(world, manager, ingress).ip;
    nd.ingressEndpointId = dockerId(world);
  }
}

/** Brings every service to its desired task count over the current nodes. */
export function rebalance(world: World, line: number, warnings: string[] = []): void {
  const s = world.swarm;
  if (!s) return;
  ensureIngressEndpoints(world, line);
  // A drained node runs no tasks; a paused one keeps its tasks and takes no new ones.
  for (const nd of s.nodes)
    if (nd.availability === 'drain') {
      const h = world.hosts.find((x) => x.name === nd.host);
      if (h) for (const c of h.containers.filter((x) => x.service)) removeTask(world, h, c);
    }
  for (const svc of s.services) {
    const nodes = s.nodes.filter((n) => (n.availability ?? 'active') === 'active').map((n) => world.hosts.find((h) => h.name === n.host)!).filter((h) => h);
    const tasks = tasksOf(world, svc);
    const slots = new Set(tasks.map((t) => t.c.service!.slot));
    if (svc.mode === 'global') {
      for (const h of nodes)
        if (!tasks.some((t) => t.host === h)) createTask(world, h, svc, nextSlot(slots), line, warnings);
      continue;
    }
    let count = tasks.length;
    while (count < svc.replicas) {
      const load = (h: Host) => h.containers.filter((c) => c.service?.serviceId === svc.id).length;
      const target = [...nodes].sort((a, b) => load(a) - load(b))[0];
      if (!target) break;
      createTask(world, target, svc, nextSlot(slots), line, warnings);
      count++;
    }
    if (count > svc.replicas) {
      const extra = tasksOf(world, svc).sort((a, b) => b.c.service!.slot - a.c.service!.slot).slice(0, count - svc.replicas);
      for (const t of extra) removeTask(world, t.host, t.c);
    }
  }
}

function nextSlot(slots: Set<number>): number {
  let i = 1;
  while (slots.has(i)) i++;
  slots.add(i);
  return i;
}

function createTask(world: World, host: Host, svc: Service, slot: number, line: number, warnings: string[]): void {
  const taskId = swarmId(world);
  const primary = svc.networks[0];
  // Further networks of the service, and ingress for published ports (routing mesh hosts).
  const extra = svc.networks.slice(1);
  const ingress = world.swarm!.networks.find((n) => n.ingress);
  if (ingress && svc.publish.some((p) => p.mode === 'ingress') && osProfile(host.os).routingMesh) extra.push(ingress.id);
  // Host-mode ports (and, before 1709, ingress ones): the task publishes them as `docker run -p`
  // would on its first network (WinNAT on nat, an HNS port mapping policy on overlay).
  const hostPorts = svc.publish.filter((p) => p.mode === 'host' || !osProfile(host.os).routingMesh);
  runContainer(world, host, {
    name: `${svc.name}.${slot}.${taskId}`,
    image: svc.image,
    command: '',
    network: primary ?? 'nat',
    ip: null,
    publish: hostPorts.map((p) => ({ protocol: p.protocol, hostPort: p.published, containerPort: p.target, line: svc.line })),
    expose: [],
    dns: [],
    dnsSearch: [],
    aliases: [svc.name],
    hostname: null,
    isolation: 'process',
    service: { serviceId: svc.id, slot, taskId },
    extraNetworks: extra,
  }, line, warnings);
}


function removeTask(world: World, host: Host, c: Container): void {
  stopContainer(world, host, c);
  host.containers = host.containers.filter((x) => x !== c);
}

scheduler.rebalance = (world, line) => rebalance(world, line);

/** `docker service create --name N [--network NET]... [--replicas K] [-p P:T] [--mode global] [--endpoint-mode dnsrr] IMAGE [CMD]`. */
export function serviceCreate(world: World, host: Host, cmd: DockerCommand): { output: string; warnings: string[] } {
  const warnings: string[] = [];
  if (host.engine!.swarmRole !== 'manager') fail(E.notSwarmManager(host.engine!.swarmRole));
  const s = world.swarm!;
  const image = cmd.args[0]?.value;
  if (!image) fail(`"docker service create" requires at least 1 argument.\nSee 'docker service create --help'.`);
  const name = flagValue(cmd.flags, 'name') ?? `${image.replace(/[^a-z0-9]/gi, '')}_${s.services.length + 1}`;
  if (s.services.some((x) => x.name === name)) fail(E.serviceExists(name));
  const mode = flagValue(cmd.flags, 'mode') === 'global' ? 'global' : 'replicated';
  const replicasText = flagValue(cmd.flags, 'replicas');
  if (replicasText !== undefined && !/^\d+$/.test(replicasText)) fail(`invalid argument "${replicasText}" for "--replicas" flag: strconv.ParseUint: parsing "${replicasText}": invalid syntax`);
  if (mode === 'global' && replicasText !== undefined) fail(daemon('replicas can only be used with replicated mode'));
  const networks: string[] = [];
  for (const ref of flagValues(cmd.flags, 'network', 'net')) {
    const n = findNetwork(world, host, ref);
    if (!n) fail(daemon(`network ${ref} not found`));
    if (n.ingress) fail(daemon('rpc error: code = InvalidArgument desc = Service cannot be explicitly attached to the ingress network "ingress"'));
    if (n.driver !== 'overlay') fail(daemon(`rpc error: code = InvalidArgument desc = network ${ref} is not a swarm network; services attach to overlay networks`));
    networks.push(n.id);
  }
  const publish = flagValues(cmd.flags, 'publish', 'p').map((v) => parseServicePublish(v));
  for (const p of publish) {
    if (p.published === 0) p.published = 30000 + s.services.length;
    if (s.services.some((x) => x.publish.some((q) => q.published === p.published && q.protocol === p.protocol && q.mode === 'ingress')))
      fail(daemon(`rpc error: code = InvalidArgument desc = port '${p.published}' is already in use by service`));
  }
  const endpointMode = flagValue(cmd.flags, 'endpoint-mode') === 'dnsrr' ? 'dnsrr' : 'vip';
  const managerHost = world.hosts.find((h) => h.name === s.managerHost)!;
  if (publish.some((p) => p.mode === 'ingress') && !osProfile(managerHost.os).routingMesh)
    warnings.push(`the ingress routing mesh is not supported before Windows Server 1709 (${managerHost.os}): published ports are opened in host mode on the nodes that run a task`);
  if (endpointMode === 'dnsrr' && publish.some((p) => p.mode === 'ingress'))
    fail(daemon(INGRESS_DNSRR));
  const svc: Service = {
    id: swarmId(world),
    name,
    image,
    replicas: mode === 'global' ? 0 : replicasText !== undefined ? Number(replicasText) : 1,
    mode,
    networks,
    publish,
    endpointMode,
    vips: {},
    // Version.Index is the manager's raft index: here the count of swarm objects made before it.
    version: s.nodes.length + s.networks.length + s.services.length + 1,
    createdAt: world.clock,
    line: cmd.line,
  };
  if (publish.some((p) => p.mode === 'ingress')) ensureIngressEndpoints(world, cmd.line, true);
  allocateVips(world, svc);
  s.services.push(svc);
  rebalance(world, cmd.line, warnings);
  return { output: converged(world, svc, svc.id, boolFlag(cmd.flags, 'detach', 'd')), warnings };
}

/** What `service create|update` print: the service, then (without --detach) the progress of its tasks. */
function converged(world: World, svc: Service, first: string, detach: boolean): string {
  if (detach) return first;
  const s = world.swarm!;
  const n = svc.mode === 'global' ? s.nodes.length : svc.replicas;
  const bar = '[==================================================>]';
  const lines = [first, `overall progress: ${n} out of ${n} tasks `];
  if (svc.mode === 'global') for (const nd of s.nodes) lines.push(`${nd.id.slice(0, 12)}: running   ${bar} `);
  else for (let i = 1; i <= n; i++) lines.push(`${i}/${n}: running   ${bar} `);
  lines.push('verify: Service converged ');
  return lines.join('\n');
}

/** VIPs: one per network (and ingress when ports are published), allocated before the tasks. */
function allocateVips(world: World, svc: Service): void {
  const s = world.swarm!;
  const managerHost = world.hosts.find((h) => h.name === s.managerHost)!;
  const before = svc.vips;
  svc.vips = {};
  if (svc.endpointMode !== 'vip') return;
  const vipNets = [...svc.networks];
  const ingress = s.networks.find((n) => n.ingress);
  if (ingress && svc.publish.some((p) => p.mode === 'ingress')) vipNets.push(ingress.id);
  // An update keeps the VIPs of the networks the service still has.
  for (const nid of vipNets) if (before[nid]) svc.vips[nid] = before[nid];
  for (const nid of vipNets) svc.vips[nid] ??= allocateAddress(world, managerHost, s.networks.find((x) => x.id === nid)!).ip;
}

const INGRESS_DNSRR = "rpc error: code = InvalidArgument desc = EndpointSpec: port published with ingress mode can't be used with dnsrr mode";

/**
 * `docker service update [--replicas K] [--publish-add P]... [--publish-rm P]... [--endpoint-mode M]
 * [--image I] [--force] SERVICE` (docker/cli v20.10.24 cli/command/service/update.go): a changed spec
 * replaces the tasks (a rolling update: new task IDs in the same slots); only --replicas scales in
 * place. Ports removed match protocol, target port and mode; added ones already there are kept.
 */
export function serviceUpdate(world: World, host: Host, cmd: DockerCommand): { output: string; warnings: string[] } {
  if (host.engine!.swarmRole !== 'manager') fail(E.notSwarmManager(host.engine!.swarmRole));
  const warnings: string[] = [];
  const ref = cmd.args[0]?.value;
  if (!ref) fail(`"docker service update" requires exactly 1 argument.\nSee 'docker service update --help'.`);
  const svc = findService(world, ref);
  if (!svc) fail(E.noSuchService(ref));
  const replicasText = flagValue(cmd.flags, 'replicas');
  if (replicasText !== undefined) {
    if (!/^\d+$/.test(replicasText)) fail(`invalid argument "${replicasText}" for "--replicas" flag: strconv.ParseUint: parsing "${replicasText}": invalid syntax`);
    if (svc.mode === 'global') fail('replicas can only be used with replicated or replicated-job mode');
  }
  let respec = boolFlag(cmd.flags, 'force');
  const image = flagValue(cmd.flags, 'image');
  if (image !== undefined && image !== svc.image) {
    svc.image = image;
    respec = true;
  }
  const removed = flagValues(cmd.flags, 'publish-rm').map((v) => parseServicePublish(v, '--publish-rm'));
  const added = flagValues(cmd.flags, 'publish-add').map((v) => parseServicePublish(v, '--publish-add'));
  if (removed.length || added.length) {
    const key = (p: Service['publish'][number]) => `${p.published}:${p.target}/${p.protocol}/${p.mode}`;
    const kept = svc.publish.filter((p) => !removed.some((r) => r.protocol === p.protocol && r.target === p.target && r.mode === p.mode));
    for (const p of added) {
      if (p.published === 0) p.published = 30000 + world.swarm!.services.indexOf(svc);
      if (world.swarm!.services.some((x) => x !== svc && x.publish.some((q) => q.published === p.published && q.protocol === p.protocol && q.mode === 'ingress')))
        fail(daemon(`rpc error: code = InvalidArgument desc = port '${p.published}' is already in use by service`));
      if (!kept.some((q) => key(q) === key(p))) kept.push(p);
    }
    kept.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    svc.publish = kept;
    respec = true;
  }
  const mode = flagValue(cmd.flags, 'endpoint-mode');
  if (mode !== undefined && mode !== svc.endpointMode) {
    if (mode !== 'vip' && mode !== 'dnsrr') fail(daemon(`rpc error: code = InvalidArgument desc = EndpointSpec: invalid resolution mode: ${mode}`));
    svc.endpointMode = mode;
    respec = true;
  }
  if (svc.endpointMode === 'dnsrr' && svc.publish.some((p) => p.mode === 'ingress')) fail(daemon(INGRESS_DNSRR));
  if (replicasText !== undefined) svc.replicas = Number(replicasText);
  svc.version = (svc.version ?? 1) + 1;
  svc.updatedAt = world.clock;
  if (respec) {
    for (const t of tasksOf(world, svc)) removeTask(world, t.host, t.c);
    if (svc.publish.some((p) => p.mode === 'ingress')) ensureIngressEndpoints(world, cmd.line, true);
    allocateVips(world, svc);
  }
  rebalance(world, cmd.line, warnings);
  return { output: converged(world, svc, ref, boolFlag(cmd.flags, 'detach', 'd')), warnings };
}

/** `docker service ls`. */
export function dockerServiceLs(world: World, host: Host, cmd: DockerCommand): string {
  return serviceLs(world, host, cmd, (svc) => runningTasks(world, svc));
}

/** docker/cli v20.10.24 cli/command/task/formatter.go: the `service ps` context and its table. */
const TASK_VIEW: ListView = {
  typeName: '*task.taskContext',
  header: { ID: 'ID', Name: 'NAME', Image: 'IMAGE', Node: 'NODE', DesiredState: 'DESIRED STATE', CurrentState: 'CURRENT STATE', Error: 'ERROR', Ports: 'PORTS' },
  table: 'table {{.ID}}\t{{.Name}}\t{{.Image}}\t{{.Node}}\t{{.DesiredState}}\t{{.CurrentState}}\t{{.Error}}\t{{.Ports}}',
};

/** `docker service ps SERVICE... [-q] [--no-trunc] [--format F]`: the tasks of each service, in the order given. */
export function serviceTasksPs(world: World, host: Host, cmd: DockerCommand): string {
  if (host.engine!.swarmRole !== 'manager') fail(E.notSwarmManager(host.engine!.swarmRole));
  if (!cmd.args.length) fail(`"docker service ps" requires at least 1 argument.\nSee 'docker service ps --help'.`);
  const svcs = cmd.args.map((a) => findService(world, a.value) ?? fail(E.noSuchService(a.value)));
  const trunc = !boolFlag(cmd.flags, 'no-trunc');
  const rows = svcs.flatMap((svc) => tasksOf(world, svc)
    .sort((a, b) => a.c.service!.slot - b.c.service!.slot)
    .map((t): ListRow => ({
      ID: trunc ? t.c.service!.taskId.slice(0, 12) : t.c.service!.taskId,
      Name: `${svc.name}.${t.c.service!.slot}`,
      Image: svc.image,
      Node: t.host.name,
      DesiredState: 'Running',
      CurrentState: `Running ${humanDuration(world.clock - t.c.startedAt)} ago`,
      Error: '',
      Ports: svc.publish.filter((p) => p.mode === 'host').map((p) => `*:${p.published}->${p.target}/${p.protocol}`).join(','),
    })));
  return listWithFormat(TASK_VIEW, flagValue(cmd.flags, 'format'), boolFlag(cmd.flags, 'quiet', 'q'), rows);
}

/** `docker service rm SERVICE...`. */
export function serviceRm(world: World, host: Host, cmd: DockerCommand): string {
  if (host.engine!.swarmRole !== 'manager') fail(E.notSwarmManager(host.engine!.swarmRole));
  const out: string[] = [];
  for (const a of cmd.args) {
    const svc = findService(world, a.value);
    if (!svc) fail(E.noSuchService(a.value));
    for (const t of tasksOf(world, svc)) removeTask(world, t.host, t.c);
    world.swarm!.services = world.swarm!.services.filter((x) => x !== svc);
    out.push(a.value);
  }
  return out.join('\n');
}

/** `docker service scale NAME=K`. */
export function serviceScale(world: World, host: Host, cmd: DockerCommand): { output: string; warnings: string[] } {
  if (host.engine!.swarmRole !== 'manager') fail(E.notSwarmManager(host.engine!.swarmRole));
  const warnings: string[] = [];
  const out: string[] = [];
  for (const a of cmd.args) {
    const m = /^([^=]+)=(\d+)$/.exec(a.value);
    if (!m) fail(`invalid scale specifier '${a.value}'.\nSee 'docker service scale --help'.`);
    const svc = findService(world, m[1]!);
    if (!svc) fail(E.noSuchService(m[1]!));
    if (svc.mode === 'global') fail(`${m[1]}: scale can only be used with replicated mode`);
    svc.replicas = Number(m[2]);
    out.push(`${m[1]} scaled to ${m[2]}`);
  }
  rebalance(world, cmd.line, warnings);
  return { output: out.join('\n'), warnings };
}

// ---- docker service inspect ---------------------------------------------------------------------

/**
 * swarmkit's defaults the manager fills in (moby v20.10.24 vendor/github.com/docker/swarmkit/api/
 * defaults/service.go): restart on any failure after 5 s; updates and rollbacks one task at a time,
 * pausing on failure, monitored 5 s, stop-first; 10 s stop grace period.
 */
const UPDATE_DEFAULTS = { Parallelism: 1, FailureAction: 'pause', Monitor: 5_000_000_000, MaxFailureRatio: 0, Order: 'stop-first' };

function servicePorts(svc: Service): Record<string, unknown>[] {
  return svc.publish.map((p) => ({ Protocol: p.protocol, TargetPort: p.target, PublishedPort: p.published, PublishMode: p.mode }));
}

/**
 * The `docker service inspect` object (moby v20.10.24 api/types/swarm: Service, ServiceSpec,
 * TaskSpec, ContainerSpec with its omitempty fields): the spec docker/cli 20.10 sends from
 * `service create` (cli/command/service/opts.go ToService: Init false, an empty DNSConfig, no
 * isolation, which the daemon reports as "default": daemon/cluster/convert/container.go) with
 * swarmkit's defaults, the image's platform (windows/amd64), and the endpoint the manager
 * allocated (ports, one VIP per network). Shape as pasted from a Windows swarm in docker/for-win #1216.
 */
export function serviceInspectObject(world: World, svc: Service): Record<string, unknown> {
  const ports = servicePorts(svc);
  const endpointSpec: Record<string, unknown> = { Mode: svc.endpointMode, ...(ports.length ? { Ports: ports } : {}) };
  const vips = Object.entries(svc.vips).map(([nid, ip]) => {
    const net = world.swarm!.networks.find((n) => n.id === nid);
    return { NetworkID: nid, Addr: `${ip}/${net?.subnets[0]?.prefix.split('/')[1] ?? '24'}` };
  });
  return {
    ID: svc.id,
    Version: { Index: svc.version ?? 1 },
    CreatedAt: isoTime(svc.createdAt, svc.id),
    UpdatedAt: isoTime(svc.updatedAt ?? svc.createdAt, `${svc.id}u`),
    Spec: {
      Name: svc.name,
      Labels: { ...(svc.labels ?? {}) },
      TaskTemplate: {
        ContainerSpec: { Image: svc.image, Init: false, StopGracePeriod: 10_000_000_000, DNSConfig: {}, Isolation: 'default' },
        Resources: { Limits: {}, Reservations: {} },
        RestartPolicy: { Condition: 'any', Delay: 5_000_000_000, MaxAttempts: 0 },
        Placement: { Platforms: [{ Architecture: 'amd64', OS: 'windows' }] },
        ...(svc.networks.length ? { Networks: svc.networks.map((Target) => ({ Target })) } : {}),
        ForceUpdate: 0,
        Runtime: 'container',
      },
      Mode: svc.mode === 'global' ? { Global: {} } : { Replicated: { Replicas: svc.replicas } },
      UpdateConfig: { ...UPDATE_DEFAULTS },
      RollbackConfig: { ...UPDATE_DEFAULTS },
      EndpointSpec: endpointSpec,
    },
    Endpoint: { Spec: endpointSpec, ...(ports.length ? { Ports: ports } : {}), ...(vips.length ? { VirtualIPs: vips } : {}) },
  };
}

/** docker/cli v20.10.24 cli/command/service/formatter.go serviceInspectPrettyTemplate, as written there. */
const SERVICE_PRETTY = `
ID:		{{.ID}}
Name:		{{.Name}}
{{- if .Labels }}
Labels:
{{- range $k, $v := .Labels }}
 {{ $k }}{{if $v }}={{ $v }}{{ end }}
{{- end }}{{ end }}
Service Mode:
{{- if .IsModeGlobal }}	Global
{{- else if .IsModeReplicated }}	Replicated
{{- if .ModeReplicatedReplicas }}
 Replicas:	{{ .ModeReplicatedReplicas }}
{{- end }}{{ end }}
{{- if .HasUpdateStatus }}
UpdateStatus:
 State:		{{ .UpdateStatusState }}
{{- if .HasUpdateStatusStarted }}
 Started:	{{ .UpdateStatusStarted }}
{{- end }}
{{- if .UpdateIsCompleted }}
 Completed:	{{ .UpdateStatusCompleted }}
{{- end }}
 Message:	{{ .UpdateStatusMessage }}
{{- end }}
Placement:
{{- if .TaskPlacementConstraints }}
 Constraints:	{{ .TaskPlacementConstraints }}
{{- end }}
{{- if .TaskPlacementPreferences }}
 Preferences:   {{ .TaskPlacementPreferences }}
{{- end }}
{{- if .MaxReplicas }}
 Max Replicas Per Node:   {{ .MaxReplicas }}
{{- end }}
{{- if .HasUpdateConfig }}
UpdateConfig:
 Parallelism:	{{ .UpdateParallelism }}
{{- if .HasUpdateDelay}}
 Delay:		{{ .UpdateDelay }}
{{- end }}
 On failure:	{{ .UpdateOnFailure }}
{{- if .HasUpdateMonitor}}
 Monitoring Period: {{ .UpdateMonitor }}
{{- end }}
 Max failure ratio: {{ .UpdateMaxFailureRatio }}
 Update order:      {{ .UpdateOrder }}
{{- end }}
{{- if .HasRollbackConfig }}
RollbackConfig:
 Parallelism:	{{ .RollbackParallelism }}
{{- if .HasRollbackDelay}}
 Delay:		{{ .RollbackDelay }}
{{- end }}
 On failure:	{{ .RollbackOnFailure }}
{{- if .HasRollbackMonitor}}
 Monitoring Period: {{ .RollbackMonitor }}
{{- end }}
 Max failure ratio: {{ .RollbackMaxFailureRatio }}
 Rollback order:    {{ .RollbackOrder }}
{{- end }}
ContainerSpec:
 Image:		{{ .ContainerImage }}
{{- if .ContainerArgs }}
 Args:		{{ range $arg := .ContainerArgs }}{{ $arg }} {{ end }}
{{- end -}}
{{- if .ContainerEnv }}
 Env:		{{ range $env := .ContainerEnv }}{{ $env }} {{ end }}
{{- end -}}
{{- if .ContainerWorkDir }}
 Dir:		{{ .ContainerWorkDir }}
{{- end -}}
{{- if .HasContainerInit }}
 Init:		{{ .ContainerInit }}
{{- end -}}
{{- if .ContainerUser }}
 User: {{ .ContainerUser }}
{{- end }}
{{- if .HasCapabilities }}
Capabilities:
{{- if .HasCapabilityAdd }}
 Add: {{ .CapabilityAdd }}
{{- end }}
{{- if .HasCapabilityDrop }}
 Drop: {{ .CapabilityDrop }}
{{- end }}
{{- end }}
{{- if .ContainerSysCtls }}
SysCtls:
{{- range $k, $v := .ContainerSysCtls }}
 {{ $k }}{{if $v }}: {{ $v }}{{ end }}
{{- end }}{{ end }}
{{- if .ContainerUlimits }}
Ulimits:
{{- range $k, $v := .ContainerUlimits }}
 {{ $k }}: {{ $v }}
{{- end }}{{ end }}
{{- if .ContainerMounts }}
Mounts:
{{- end }}
{{- range $mount := .ContainerMounts }}
 Target:	{{ $mount.Target }}
  Source:	{{ $mount.Source }}
  ReadOnly:	{{ $mount.ReadOnly }}
  Type:		{{ $mount.Type }}
{{- end -}}
{{- if .Configs}}
Configs:
{{- range $config := .Configs }}
 Target:	{{$config.File.Name}}
  Source:	{{$config.ConfigName}}
{{- end }}{{ end }}
{{- if .Secrets }}
Secrets:
{{- range $secret := .Secrets }}
 Target:	{{$secret.File.Name}}
  Source:	{{$secret.SecretName}}
{{- end }}{{ end }}
{{- if .HasLogDriver }}
Log Driver:
{{- if .HasLogDriverName }}
 Name:		{{ .LogDriverName }}
{{- end }}
{{- if .LogOpts }}
 LogOpts:
{{- range $k, $v := .LogOpts }}
  {{ $k }}{{if $v }}:       {{ $v }}{{ end }}
{{- end }}{{ end }}
{{ end }}
{{- if .HasResources }}
Resources:
{{- if .HasResourceReservations }}
 Reservations:
{{- if gt .ResourceReservationNanoCPUs 0.0 }}
  CPU:		{{ .ResourceReservationNanoCPUs }}
{{- end }}
{{- if .ResourceReservationMemory }}
  Memory:	{{ .ResourceReservationMemory }}
{{- end }}{{ end }}
{{- if .HasResourceLimits }}
 Limits:
{{- if gt .ResourceLimitsNanoCPUs 0.0 }}
  CPU:		{{ .ResourceLimitsNanoCPUs }}
{{- end }}
{{- if .ResourceLimitMemory }}
  Memory:	{{ .ResourceLimitMemory }}
{{- end }}{{ end }}{{ end }}
{{- if gt .ResourceLimitPids 0 }}
  PIDs:		{{ .ResourceLimitPids }}
{{- end }}
{{- if .Networks }}
Networks:
{{- range $network := .Networks }} {{ $network }}{{ end }} {{ end }}
Endpoint Mode:	{{ .EndpointMode }}
{{- if .Ports }}
Ports:
{{- range $port := .Ports }}
 PublishedPort = {{ $port.PublishedPort }}
  Protocol = {{ $port.Protocol }}
  TargetPort = {{ $port.TargetPort }}
  PublishMode = {{ $port.PublishMode }}
{{- end }} {{ end -}}
{{- if .Healthcheck }}
 Healthcheck:
  Interval = {{ .Healthcheck.Interval }}
  Retries = {{ .Healthcheck.Retries }}
  StartPeriod =	{{ .Healthcheck.StartPeriod }}
  Timeout =	{{ .Healthcheck.Timeout }}
  {{- if .Healthcheck.Test }}
  Tests:
	{{- range $test := .Healthcheck.Test }}
	 Test = {{ $test }}
  {{- end }} {{ end -}}
{{- end }}
`;

/**
 * The pretty context (serviceInspectContext's methods in the same file) for what Packet Path's
 * services hold: no update status, placement constraints, env, mounts, secrets, capabilities, log
 * driver, resource limits or health check.
 */
function servicePrettyContext(world: World, svc: Service): GoStruct {
  const names = svc.networks.map((id) => world.swarm!.networks.find((n) => n.id === id)?.name ?? id);
  const update = (prefix: 'Update' | 'Rollback'): Record<string, GoValue> => ({
    [`Has${prefix}Config`]: true, [`${prefix}Parallelism`]: 1, [`Has${prefix}Delay`]: false, [`${prefix}Delay`]: '0s',
    [`${prefix}OnFailure`]: 'pause', [`Has${prefix}Monitor`]: true, [`${prefix}Monitor`]: '5s', [`${prefix}MaxFailureRatio`]: 0, [`${prefix}Order`]: 'stop-first',
  });
  return new GoStruct('*service.serviceInspectContext', {
    ID: svc.id,
    Name: svc.name,
    Labels: { ...(svc.labels ?? {}) },
    IsModeGlobal: svc.mode === 'global',
    IsModeReplicated: svc.mode !== 'global',
    // A *uint64: any replica count, 0 too, is a non-nil pointer.
    ModeReplicatedReplicas: svc.mode === 'global' ? null : String(svc.replicas),
    ...update('Update'),
    ...update('Rollback'),
    HasUpdateStatus: false,
    TaskPlacementConstraints: null,
    TaskPlacementPreferences: null,
    MaxReplicas: 0,
    ContainerImage: svc.image,
    ContainerArgs: null,
    ContainerEnv: null,
    ContainerWorkDir: '',
    HasContainerInit: true,
    ContainerInit: false,
    ContainerUser: '',
    HasCapabilities: false,
    ContainerSysCtls: null,
    ContainerUlimits: null,
    ContainerMounts: null,
    Configs: null,
    Secrets: null,
    HasLogDriver: false,
    HasResources: true,
    HasResourceReservations: false,
    HasResourceLimits: false,
    ResourceLimitPids: 0,
    Healthcheck: null,
    Networks: names.length ? names : null,
    EndpointMode: svc.endpointMode,
    Ports: servicePorts(svc) as GoValue,
  });
}

/** `docker service inspect [--pretty] [-f FORMAT] SERVICE...` (on a manager). */
export function serviceInspect(world: World, host: Host, cmd: DockerCommand): string {
  if (host.engine!.swarmRole !== 'manager') fail(E.notSwarmManager(host.engine!.swarmRole));
  const found: Service[] = [];
  const missing: string[] = [];
  for (const a of cmd.args) {
    const svc = findService(world, a.value);
    if (svc) found.push(svc);
    else missing.push(a.value);
  }
  const format = flagValue(cmd.flags, 'format', 'f');
  if (boolFlag(cmd.flags, 'pretty') && !format) {
    if (missing.length) fail(E.noSuchService(missing[0]!));
    return found.map((svc) => executeFormat(SERVICE_PRETTY, servicePrettyContext(world, svc))).join('');
  }
  const objs = found.map((svc) => serviceInspectObject(world, svc));
  if (format) return inspectWithFormat(format, objs, missing.map((m) => E.noSuchService(m)));
  if (missing.length) throw new CommandError(missing.map((m) => E.noSuchService(m)).join('\n'), objs.length ? dockerJson(objs) : '[]');
  return dockerJson(objs);
}
