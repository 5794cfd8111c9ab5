/**
 * `docker compose -f FILE up [-d]` for the seed's two network shapes: the pre-existing `nat`
 * network as the project's default (`external: {name: nat}`), or a custom nat network
 * (`driver: nat` + `ipam.config.subnet`, a partition of the nat prefix on ws2016).
 */
import { parse as parseYaml } from 'yaml';
import type { DockerCommand, Flag } from '../script/ast.js';
import { flagValue } from './args.js';
import { runContainer, parsePublish } from './containers.js';
import { ensureEngine } from './docker-engine.js';
import { fail } from './errors.js';
import { readCommandFile, type FileSource } from './files.js';
import { findNetwork, networkCreate } from './networks.js';
import type { Host, World } from './types.js';

interface ComposeNetwork {
  external?: boolean | { name?: string };
  name?: string;
  driver?: string;
  driver_opts?: Record<string, string>;
  ipam?: { driver?: string; config?: { subnet?: string; gateway?: string }[] };
}

interface ComposeService {
  image?: string;
  container_name?: string;
  command?: string | string[];
  ports?: (string | number)[];
  expose?: (string | number)[];
  dns?: string | string[];
  networks?: string[] | Record<string, { ipv4_address?: string; aliases?: string[] } | null>;
}

function flag(name: string, value: string, line: number): Flag {
  const span = { line, column: 1, length: 0 };
  return { name, value, written: `--${name}`, span };
}

export function composeUp(world: World, host: Host, cmd: DockerCommand, files: FileSource): { output: string; warnings: string[] } {
  ensureEngine(world, host, cmd.line);
  const warnings: string[] = [];
  const file = flagValue(cmd.flags, 'file', 'f') ?? 'docker-compose.yml';
  const text = readCommandFile(files, file);
  let doc: { services?: Record<string, ComposeService>; networks?: Record<string, ComposeNetwork> };
  try {
    doc = (parseYaml(text) ?? {}) as typeof doc;
  } catch (e) {
    return fail(`yaml: ${(e as Error).message.split('\n')[0]}`);
  }
  const project = (flagValue(cmd.flags, 'project-name', 'p') ?? 'app').toLowerCase();
  const lines: string[] = [];
  const netIds: Record<string, string> = {};
  const nets = doc.networks ?? {};
  for (const [key, def] of Object.entries(nets)) {
    const d = def ?? {};
    const ext = d.external;
    if (ext) {
      const name = (typeof ext === 'object' && ext.name) || d.name || key;
      const n = findNetwork(world, host, name);
      if (!n) fail(`network ${name} declared as external, but could not be found`);
      netIds[key] = n.name;
      continue;
    }
    const name = d.name ?? `${project}_${key}`;
    const existing = findNetwork(world, host, name);
    if (existing) {
      netIds[key] = existing.name;
      continue;
    }
    const flags: Flag[] = [flag('driver', d.driver ?? 'nat', cmd.line)];
    for (const c of d.ipam?.config ?? []) {
      if (c.subnet) flags.push(flag('subnet', c.subnet, cmd.line));
      if (c.gateway) flags.push(flag('gateway', c.gateway, cmd.line));
    }
    for (const [k, v] of Object.entries(d.driver_opts ?? {})) flags.push(flag('opt', `${k}=${v}`, cmd.line));
    const sub: DockerCommand = { ...cmd, path: ['network', 'create'], flags, args: [{ value: name, span: cmd.span }], command: [] };
    const r = networkCreate(world, host, sub);
    // The seed's `ipam: driver: default` is Compose's normal spelling; it is not a user-given --ipam-driver.
    warnings.push(...r.warnings.filter((w) => !w.startsWith('--ipam-driver')));
    netIds[key] = name;
    lines.push(` ✔ Network ${name}  Created`);
  }
  const services = doc.services ?? {};
  const needsDefault = Object.values(services).some((s) => !s?.networks);
  if (needsDefault && !netIds.default) {
    const name = `${project}_default`;
    if (!findNetwork(world, host, name)) {
      const sub: DockerCommand = { ...cmd, path: ['network', 'create'], flags: [flag('driver', 'nat', cmd.line)], args: [{ value: name, span: cmd.span }], command: [] };
      networkCreate(world, host, sub);
      lines.push(` ✔ Network ${name}  Created`);
    }
    netIds.default = name;
  }
  for (const [svcName, svc] of Object.entries(services)) {
    const s = svc ?? {};
    if (!s.image) fail(`service "${svcName}" has neither an image nor a build context specified: invalid compose project`);
    const list = !s.networks ? ['default'] : Array.isArray(s.networks) ? s.networks : Object.keys(s.networks);
    const first = list[0]!;
    const netName = netIds[first];
    if (!netName) fail(`service "${svcName}" refers to undefined network ${first}: invalid compose project`);
    const opts = !s.networks || Array.isArray(s.networks) ? null : s.networks[first];
    const cname = s.container_name ?? `${project}-${svcName}-1`;
    if (host.containers.some((c) => c.name === cname)) continue;
    runContainer(world, host, {
      name: cname,
      image: s.image,
      command: Array.isArray(s.command) ? s.command.join(' ') : s.command ?? '',
      network: netName,
      ip: opts?.ipv4_address ?? null,
      publish: (s.ports ?? []).flatMap((p) => parsePublish(String(p), cmd.line)),
      expose: (s.expose ?? []).map(String),
      dns: s.dns === undefined ? [] : Array.isArray(s.dns) ? s.dns : [s.dns],
      dnsSearch: [],
      aliases: [svcName, ...(opts?.aliases ?? [])],
      hostname: null,
      isolation: 'process',
      service: null,
    }, cmd.line, warnings);
    lines.push(` ✔ Container ${cname}  Started`);
  }
  return { output: [`[+] Running ${lines.length}/${lines.length}`, ...lines].join('\n'), warnings };
}
