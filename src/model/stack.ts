/**
 * `docker stack deploy -c FILE STACK`, `docker stack ls|ps|rm` (docker/cli v20.10.24
 * cli/command/stack/swarm): a compose v3 file, read through the YAML library as compose is, becomes
 * the stack's overlay networks (`STACK_NET`, `STACK_default` for services without networks) and
 * services (`STACK_SVC`, labelled `com.docker.stack.namespace`, reachable by their short name: the
 * short name is a network alias, cli/compose/convert/service.go convertServiceNetworks). The
 * `deploy:` keys that matter for networking are read: `replicas`, `mode` (replicated | global),
 * `endpoint_mode` (vip | dnsrr), and `ports` in short or long syntax with `mode: host|ingress`.
 * docker/cli creates networks and services in Go map order (random); here they go in name order.
 */
import { parse as parseYaml } from 'yaml';
import type { DockerCommand, Flag } from '../script/ast.js';
import { flagValue } from './args.js';
import { flag, validateCompose } from './compose.js';
import { E, fail } from './errors.js';
import { readCommandFile, type FileSource } from './files.js';
import { listWithFormat, type ListRow, type ListView } from './docker-format.js';
import { findNetwork, networkCreate, networkRm } from './networks.js';
import { serviceCreate, serviceRm, serviceTasksPs } from './services.js';
import type { Host, World } from './types.js';

const NAMESPACE = 'com.docker.stack.namespace';

interface StackPort { target?: number | string; published?: number | string; protocol?: string; mode?: string }
interface StackService {
  image?: string;
  ports?: (string | number | StackPort)[];
  networks?: string[] | Record<string, { aliases?: string[] } | null>;
  deploy?: { replicas?: number; mode?: string; endpoint_mode?: string };
}
interface StackNetwork { external?: boolean | { name?: string }; name?: string; driver?: string; attachable?: boolean }

function fail2(file: string, path: string, what: string): never {
  return fail(`${file}: ${path} ${what}`);
}

/** The `deploy:` keys and long port syntax a stack reads, checked with compose's wording. */
function validateStack(doc: Record<string, unknown>, file: string): void {
  for (const [name, svc] of Object.entries((doc.services ?? {}) as Record<string, Record<string, unknown>>)) {
    const d = svc.deploy as Record<string, unknown> | undefined;
    if (d !== undefined && (typeof d !== 'object' || d === null || Array.isArray(d))) fail(`validating ${file}: services.${name}.deploy must be a mapping`);
    if (d?.replicas !== undefined && !(Number.isInteger(d.replicas) && (d.replicas as number) >= 0)) fail(`validating ${file}: services.${name}.deploy.replicas must be a integer`);
    if (d?.mode !== undefined && d.mode !== 'replicated' && d.mode !== 'global') fail2(file, `services.${name}.deploy.mode`, `must be one of "replicated", "global"`);
    if (d?.endpoint_mode !== undefined && d.endpoint_mode !== 'vip' && d.endpoint_mode !== 'dnsrr') fail2(file, `services.${name}.deploy.endpoint_mode`, `must be one of "vip", "dnsrr"`);
    for (const p of (Array.isArray(svc.ports) ? svc.ports : []) as unknown[])
      if (typeof p === 'object' && p !== null && (p as StackPort).mode !== undefined && !['host', 'ingress'].includes(String((p as StackPort).mode)))
        fail2(file, `services.${name}.ports.mode`, `must be one of "host", "ingress"`);
  }
}

/** A compose `ports` entry as `--publish` text (long syntax as key=value). */
function publishSpec(p: string | number | StackPort): string {
  if (typeof p !== 'object') return String(p);
  const parts = [`target=${p.target ?? ''}`];
  if (p.published !== undefined) parts.push(`published=${p.published}`);
  if (p.protocol) parts.push(`protocol=${p.protocol}`);
  if (p.mode) parts.push(`mode=${p.mode}`);
  return parts.join(',');
}

function sub(cmd: DockerCommand, path: string[], flags: Flag[], args: string[]): DockerCommand {
  return { ...cmd, path, flags, args: args.map((value) => ({ value, span: cmd.span })), command: [] };
}

/** `docker stack deploy -c FILE STACK`. */
export function stackDeploy(world: World, host: Host, cmd: DockerCommand, files: FileSource): { output: string; warnings: string[] } {
  if (host.engine!.swarmRole !== 'manager') fail(E.notSwarmManager(host.engine!.swarmRole));
  const stack = cmd.args[0]?.value;
  if (!stack) fail(`"docker stack deploy" requires exactly 1 argument.\nSee 'docker stack deploy --help'.`);
  const file = flagValue(cmd.flags, 'compose-file', 'c');
  if (!file) fail('Please specify only one compose file (with --compose-file).');
  let parsed: unknown;
  try {
    parsed = parseYaml(readCommandFile(files, file)) ?? {};
  } catch (e) {
    return fail(`yaml: ${(e as Error).message.split('\n')[0]}`);
  }
  validateCompose(parsed, file);
  validateStack(parsed as Record<string, unknown>, file);
  const doc = parsed as { services?: Record<string, StackService | null>; networks?: Record<string, StackNetwork | null> };
  const warnings: string[] = [];
  const out: string[] = [];
  const services = Object.entries(doc.services ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const netNames: Record<string, string> = {};
  const wanted = new Set<string>();
  for (const [, svc] of services) {
    const nets = svc?.networks;
    for (const n of !nets ? ['default'] : Array.isArray(nets) ? nets : Object.keys(nets)) wanted.add(n);
  }
  for (const key of [...wanted].sort()) {
    const def = doc.networks?.[key] ?? {};
    if (key !== 'default' && !(doc.networks && key in doc.networks)) fail(`service refers to undefined network ${key}: invalid compose project`);
    if (def.external) {
      const name = (typeof def.external === 'object' && def.external.name) || def.name || key;
      const n = findNetwork(world, host, name);
      if (!n || n.scope !== 'swarm') fail(`network "${name}" is declared as external, but could not be found. You need to create a swarm-scoped network before the stack is deployed`);
      netNames[key] = n.name;
      continue;
    }
    const name = def.name ?? `${stack}_${key}`;
    netNames[key] = name;
    if (findNetwork(world, host, name)) continue;
    const flags = [flag('driver', def.driver ?? 'overlay', cmd.line), flag('label', `${NAMESPACE}=${stack}`, cmd.line)];
    if (def.attachable) flags.push({ ...flag('attachable', '', cmd.line), value: true });
    out.push(`Creating network ${name}`);
    try {
      warnings.push(...networkCreate(world, host, sub(cmd, ['network', 'create'], flags, [name])).warnings);
    } catch (e) {
      fail(`failed to create network ${name}: ${(e as Error).message}`);
    }
  }
  for (const [key, svc] of services) {
    const s = svc ?? {};
    if (!s.image) fail(`Service ${key} has neither an image nor a build context specified. At least one must be provided.`);
    const name = `${stack}_${key}`;
    const existing = world.swarm!.services.find((x) => x.name === name);
    if (existing) {
      out.push(`Updating service ${name} (id: ${existing.id})`);
      serviceRm(world, host, sub(cmd, ['service', 'rm'], [], [name]));
    } else out.push(`Creating service ${name}`);
    const nets = !s.networks ? ['default'] : Array.isArray(s.networks) ? s.networks : Object.keys(s.networks);
    const flags: Flag[] = [flag('name', name, cmd.line), { ...flag('detach', '', cmd.line), value: true }];
    for (const n of nets) flags.push(flag('network', netNames[n]!, cmd.line));
    const d = s.deploy ?? {};
    if (d.mode === 'global') flags.push(flag('mode', 'global', cmd.line));
    else flags.push(flag('replicas', String(d.replicas ?? 1), cmd.line));
    if (d.endpoint_mode) flags.push(flag('endpoint-mode', d.endpoint_mode, cmd.line));
    for (const p of s.ports ?? []) flags.push(flag('publish', publishSpec(p), cmd.line));
    const created = serviceCreate(world, host, sub(cmd, ['service', 'create'], flags, [s.image]));
    warnings.push(...created.warnings);
    const svcObj = world.swarm!.services.find((x) => x.name === name)!;
    svcObj.labels = { [NAMESPACE]: stack, 'com.docker.stack.image': s.image };
    svcObj.aliases = [key];
  }
  return { output: out.join('\n'), warnings };
}

/** Services and networks of a stack (by the namespace label). */
function stackServices(world: World, stack: string) {
  return world.swarm!.services.filter((s) => s.labels?.[NAMESPACE] === stack);
}

/** docker/cli v20.10.24 cli/command/stack/formatter/formatter.go: SwarmStackTableFormat. */
const STACK_VIEW: ListView = {
  typeName: '*formatter.stackContext',
  header: { Name: 'NAME', Services: 'SERVICES', Orchestrator: 'ORCHESTRATOR' },
  table: 'table {{.Name}}\t{{.Services}}\t{{.Orchestrator}}',
};

/** `docker stack ls`. */
export function stackLs(world: World, host: Host, cmd: DockerCommand): string {
  if (host.engine!.swarmRole !== 'manager') fail(E.notSwarmManager(host.engine!.swarmRole));
  const names = [...new Set(world.swarm!.services.map((s) => s.labels?.[NAMESPACE]).filter((x): x is string => !!x))].sort();
  const rows = names.map((n): ListRow => ({ Name: n, Services: String(stackServices(world, n).length), Orchestrator: 'Swarm' }));
  return listWithFormat(STACK_VIEW, flagValue(cmd.flags, 'format'), false, rows);
}

/** `docker stack ps STACK`: the tasks of its services, as `service ps` lists them. */
export function stackPs(world: World, host: Host, cmd: DockerCommand): string {
  if (host.engine!.swarmRole !== 'manager') fail(E.notSwarmManager(host.engine!.swarmRole));
  const stack = cmd.args[0]?.value ?? '';
  const svcs = stackServices(world, stack);
  if (!svcs.length) fail(`nothing found in stack: ${stack}`);
  return serviceTasksPs(world, host, sub(cmd, ['service', 'ps'], cmd.flags, svcs.map((s) => s.name)));
}

/** `docker stack rm STACK...`: its services, then its networks (remove.go order). */
export function stackRm(world: World, host: Host, cmd: DockerCommand): { output: string; warnings: string[] } {
  if (host.engine!.swarmRole !== 'manager') fail(E.notSwarmManager(host.engine!.swarmRole));
  const out: string[] = [];
  const warnings: string[] = [];
  for (const a of cmd.args) {
    const stack = a.value;
    const svcs = [...stackServices(world, stack)].sort((x, y) => x.name.localeCompare(y.name));
    const nets = world.swarm!.networks.filter((n) => n.labels[NAMESPACE] === stack).sort((x, y) => x.name.localeCompare(y.name));
    if (!svcs.length && !nets.length) {
      warnings.push(`Nothing found in stack: ${stack}`);
      continue;
    }
    for (const s of svcs) {
      out.push(`Removing service ${s.name}`);
      serviceRm(world, host, sub(cmd, ['service', 'rm'], [], [s.name]));
    }
    let failed = false;
    for (const n of nets) {
      out.push(`Removing network ${n.name}`);
      // remove.go goes on after a network it cannot remove (a container still attached) and ends
      // with an error; here the removals that worked stay done and the texts come as warnings.
      try {
        networkRm(world, host, sub(cmd, ['network', 'rm'], [], [n.id]));
      } catch (e) {
        warnings.push(`Failed to remove network ${n.id}: ${(e as Error).message}`);
        failed = true;
      }
    }
    if (failed) warnings.push(`Failed to remove some resources from stack: ${stack}`);
  }
  return { output: out.join('\n'), warnings };
}
