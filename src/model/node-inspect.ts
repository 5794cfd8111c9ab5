/**
 * `docker node inspect [--pretty] [-f FORMAT] self|NODE...` (docker/cli v20.10.24 cli/command/node/
 * inspect.go, formatter.go): the swarm's node objects as Docker 20.10's API holds them (api/types/
 * swarm/node.go) and the CLI's pretty template. What a node describes of itself comes from the
 * engine's /info, as moby v20.10.24 daemon/cluster/executor/container/executor.go Describe() builds
 * it: hostname, platform, CPUs and memory, engine version and the engine's plugins (deduplicated,
 * sorted by type then name, the overlay driver always among them).
 */
import type { DockerCommand } from '../script/ast.js';
import { boolFlag, flagValue } from './args.js';
import { CommandError, E, fail } from './errors.js';
import { executeFormat, inspectWithFormat } from './docker-format.js';
import { dockerJson, isoTime } from './format.js';
import { GoStruct, type GoValue } from './go-template.js';
import { osProfile } from './os.js';
import { findNode } from './swarm.js';
import type { Host, SwarmNode, World } from './types.js';

/** The daemon's plugins as `docker info` lists them: Volume, Network, Log (modern: engines from 19.03). */
export function enginePlugins(modern: boolean): { Volume: string[]; Network: string[]; Log: string[] } {
  return {
    Volume: ['local'],
    Network: modern ? ['ics', 'internal', 'l2bridge', 'l2tunnel', 'nat', 'null', 'overlay', 'private', 'transparent'] : ['ics', 'l2bridge', 'l2tunnel', 'nat', 'null', 'overlay', 'transparent'],
    Log: modern
      ? ['awslogs', 'etwlogs', 'fluentd', 'gcplogs', 'gelf', 'json-file', 'local', 'logentries', 'splunk', 'syslog']
      : ['awslogs', 'etwlogs', 'fluentd', 'gelf', 'json-file', 'local', 'logentries', 'splunk', 'syslog'],
  };
}

/** What `docker info` reports for every simulated host: 4 CPUs, 16 GiB (src/model/docker.ts). */
const NANO_CPUS = 4_000_000_000;
const MEMORY_BYTES = 17_179_869_184;

/** executor.go Describe(): the plugins as a set (overlay added), sorted by Type then Name. */
function pluginDescriptions(host: Host): { Type: string; Name: string }[] {
  const p = enginePlugins(osProfile(host.os).engine.contextLine);
  const seen = new Set<string>();
  const out: { Type: string; Name: string }[] = [];
  const add = (Type: string, names: string[]) => {
    for (const Name of names) if (!seen.has(`${Type}/${Name}`)) (seen.add(`${Type}/${Name}`), out.push({ Type, Name }));
  };
  add('Volume', p.Volume);
  add('Network', ['overlay', ...p.Network]);
  add('Log', p.Log);
  return out.sort((a, b) => (a.Type !== b.Type ? (a.Type < b.Type ? -1 : 1) : a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
}

function joinedAt(world: World, n: SwarmNode): number {
  return n.joinedAt ?? world.swarm!.createdAt;
}

/**
 * A node as Docker 20.10 prints it (swarm.Node's JSON: omitempty drops ManagerStatus on a worker and
 * Leader on a manager that does not lead; Spec.Labels is always there). Description.TLSInfo is left
 * out: Packet Path does not model the swarm's certificates (docs/behaviour.md).
 */
export function nodeInspectObject(world: World, n: SwarmNode): Record<string, unknown> {
  const host = world.hosts.find((h) => h.name === n.host)!;
  const s = world.swarm!;
  const created = joinedAt(world, n);
  return {
    ID: n.id,
    Version: { Index: 9 },
    CreatedAt: isoTime(created, n.id),
    UpdatedAt: isoTime(created, `${n.id}u`),
    Spec: { Labels: { ...(n.labels ?? {}) }, Role: n.role, Availability: n.availability ?? 'active' },
    Description: {
      Hostname: n.host,
      Platform: { Architecture: 'x86_64', OS: 'windows' },
      Resources: { NanoCPUs: NANO_CPUS, MemoryBytes: MEMORY_BYTES },
      Engine: { EngineVersion: osProfile(host.os).engine.version, Plugins: pluginDescriptions(host) },
    },
    Status: { State: 'ready', Addr: n.addr },
    ...(n.role === 'manager' ? { ManagerStatus: { ...(n.host === s.managerHost ? { Leader: true } : {}), Reachability: 'reachable', Addr: `${n.addr}:2377` } } : {}),
  };
}

/** docker/cli v20.10.24 cli/command/node/formatter.go nodeInspectPrettyTemplate, as written there. */
const NODE_PRETTY = `ID:			{{.ID}}
{{- if .Name }}
Name:			{{.Name}}
{{- end }}
{{- if .Labels }}
Labels:
{{- range $k, $v := .Labels }}
 - {{ $k }}{{if $v }}={{ $v }}{{ end }}
{{- end }}{{ end }}
Hostname:              	{{.Hostname}}
Joined at:             	{{.CreatedAt}}
Status:
 State:			{{.StatusState}}
 {{- if .HasStatusMessage}}
 Message:              	{{.StatusMessage}}
 {{- end}}
 Availability:         	{{.SpecAvailability}}
 {{- if .Status.Addr}}
 Address:		{{.StatusAddr}}
 {{- end}}
{{- if .HasManagerStatus}}
Manager Status:
 Address:		{{.ManagerStatusAddr}}
 Raft Status:		{{.ManagerStatusReachability}}
 {{- if .IsManagerStatusLeader}}
 Leader:		Yes
 {{- else}}
 Leader:		No
 {{- end}}
{{- end}}
Platform:
 Operating System:	{{.PlatformOS}}
 Architecture:		{{.PlatformArchitecture}}
Resources:
 CPUs:			{{.ResourceNanoCPUs}}
 Memory:		{{.ResourceMemory}}
{{- if .HasEnginePlugins}}
Plugins:
{{- range $k, $v := .EnginePlugins }}
 {{ $k }}:{{if $v }}		{{ $v }}{{ end }}
{{- end }}
{{- end }}
Engine Version:		{{.EngineVersion}}
{{- if .EngineLabels}}
Engine Labels:
{{- range $k, $v := .EngineLabels }}
 - {{ $k }}{{if $v }}={{ $v }}{{ end }}
{{- end }}{{- end }}
{{- if .HasTLSInfo}}
TLS Info:
 TrustRoot:
{{.TLSInfoTrustRoot}}
 Issuer Subject:	{{.TLSInfoCertIssuerSubject}}
 Issuer Public Key:	{{.TLSInfoCertIssuerPublicKey}}
{{- end}}`;

/** formatter.PrettyPrint: the first letter capitalised. */
const pretty = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** Go's time.Time String() ("2006-01-02 15:04:05.999999999 -0700 MST") of an isoTime. */
function goTimeString(iso: string): string {
  return `${iso.replace('T', ' ').replace(/Z$/, '')} +0000 UTC`;
}

/** go-units BytesSize: binary units, 4 significant digits (16 GiB prints `16GiB`). */
function bytesSize(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) (n /= 1024), i++;
  return `${Number(n.toPrecision(4))}${units[i]}`;
}

/** The pretty context (nodeInspectContext's methods in formatter.go) over the node's object. */
function nodePrettyContext(world: World, n: SwarmNode): GoStruct {
  const o = nodeInspectObject(world, n) as {
    ID: string; CreatedAt: string; Spec: { Labels: Record<string, string>; Availability: string };
    Description: { Hostname: string; Platform: { OS: string; Architecture: string }; Engine: { EngineVersion: string; Plugins: { Type: string; Name: string }[] } };
    Status: { State: string; Addr: string }; ManagerStatus?: { Leader?: boolean; Reachability: string; Addr: string };
  };
  const byType: Record<string, string[]> = {};
  for (const p of o.Description.Engine.Plugins) (byType[p.Type] ??= []).push(p.Name);
  return new GoStruct('*node.nodeInspectContext', {
    ID: o.ID,
    Name: '',
    Labels: o.Spec.Labels,
    Hostname: o.Description.Hostname,
    CreatedAt: goTimeString(o.CreatedAt),
    StatusState: pretty(o.Status.State),
    HasStatusMessage: false,
    StatusMessage: '',
    SpecAvailability: pretty(o.Spec.Availability),
    Status: o.Status as unknown as GoValue,
    StatusAddr: o.Status.Addr,
    HasManagerStatus: !!o.ManagerStatus,
    ManagerStatusAddr: o.ManagerStatus?.Addr ?? '',
    ManagerStatusReachability: pretty(o.ManagerStatus?.Reachability ?? ''),
    IsManagerStatusLeader: o.ManagerStatus?.Leader ?? false,
    PlatformOS: o.Description.Platform.OS,
    PlatformArchitecture: o.Description.Platform.Architecture,
    ResourceNanoCPUs: NANO_CPUS / 1e9,
    ResourceMemory: bytesSize(MEMORY_BYTES),
    HasEnginePlugins: o.Description.Engine.Plugins.length > 0,
    EnginePlugins: Object.fromEntries(Object.entries(byType).map(([k, v]) => [k, v.join(', ')])),
    EngineLabels: {},
    EngineVersion: o.Description.Engine.EngineVersion,
    HasTLSInfo: false,
  });
}

/** `docker node inspect [--pretty] [-f FORMAT] self|NODE [NODE...]` (on a manager). */
export function nodeInspect(world: World, host: Host, cmd: DockerCommand): string {
  if (host.engine?.swarmRole !== 'manager') fail(E.notSwarmManager(host.engine?.swarmRole));
  if (!cmd.args.length) fail(`"docker node inspect" requires at least 1 argument.\nSee 'docker node inspect --help'.\n\nUsage:  docker node inspect [OPTIONS] self|NODE [NODE...]\n\nDisplay detailed information on one or more nodes`);
  // inspect.go: --pretty replaces any --format; a format that only starts with "pretty" is refused.
  const format = boolFlag(cmd.flags, 'pretty') ? 'pretty' : flagValue(cmd.flags, 'format', 'f');
  if (format && format.startsWith('pretty') && format !== 'pretty') fail('Cannot supply extra formatting options to the pretty template');
  const found: SwarmNode[] = [];
  const missing: string[] = [];
  for (const a of cmd.args) {
    const ref = a.value === 'self' ? host.engine.nodeId! : a.value;
    try {
      found.push(findNode(world, ref));
    } catch (e) {
      if (!(e instanceof CommandError)) throw e;
      // The pretty writer stops at the first node it cannot get; inspect.Inspect goes on and lists each error.
      if (format === 'pretty') throw e;
      missing.push(e.message);
    }
  }
  if (format === 'pretty') return found.map((n) => executeFormat(NODE_PRETTY, nodePrettyContext(world, n))).join('\n');
  const objs = found.map((n) => nodeInspectObject(world, n));
  if (format) return inspectWithFormat(format, objs, missing);
  if (missing.length) throw new CommandError(missing.join('\n'), objs.length ? dockerJson(objs) : '[]');
  return dockerJson(objs);
}
