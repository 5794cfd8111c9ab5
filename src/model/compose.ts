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
  ports?: (string | number | { target?: string | number; published?: string | number; protocol?: string })[];
  expose?: (string | number)[];
  dns?: string | string[];
  networks?: string[] | Record<string, { ipv4_address?: string; aliases?: string[] } | null>;
}

type Json = 'mapping' | 'array' | 'string' | 'string or array' | 'array or mapping' | 'boolean or mapping' | 'string or number' | 'string, number or mapping';

function isA(v: unknown, t: Json): boolean {
  const map = typeof v === 'object' && v !== null && !Array.isArray(v);
  const arr = Array.isArray(v);
  switch (t) {
    case 'mapping': return map;
    case 'array': return arr;
    case 'string': return typeof v === 'string';
    case 'string or array': return typeof v === 'string' || arr;
    case 'array or mapping': return arr || map;
    case 'boolean or mapping': return typeof v === 'boolean' || map;
    case 'string or number': return typeof v === 'string' || typeof v === 'number';
    case 'string, number or mapping': return typeof v === 'string' || typeof v === 'number' || map;
  }
}

/**
 * The shapes compose's schema requires of the keys Packet Path reads, checked before any is used,
 * with compose's own wording: `validating FILE: services.web.ports must be a array` (compose-go
 * names an object a mapping; observed in docker/compose issues #8802 and inovector/mixpost #94).
 */
export function validateCompose(doc: unknown, file: string): void {
  const bad = (path: string, t: Json): never => fail(`validating ${file}: ${path} must be a ${t}`);
  const check = (v: unknown, path: string, t: Json): void => {
    if (v !== undefined && v !== null && !isA(v, t)) bad(path, t);
  };
  if (!isA(doc, 'mapping')) fail(`parsing ${file}: Top-level object must be a mapping`);
  const d = doc as Record<string, unknown>;
  check(d.services, 'services', 'mapping');
  check(d.networks, 'networks', 'mapping');
  for (const [name, svc] of Object.entries((d.services ?? {}) as Record<string, unknown>)) {
    const at = `services.${name}`;
    if (!isA(svc, 'mapping')) bad(at, 'mapping');
    const sv = svc as Record<string, unknown>;
    check(sv.image, `${at}.image`, 'string');
    check(sv.container_name, `${at}.container_name`, 'string');
    check(sv.command, `${at}.command`, 'string or array');
    check(sv.ports, `${at}.ports`, 'array');
    check(sv.expose, `${at}.expose`, 'array');
    check(sv.dns, `${at}.dns`, 'string or array');
    check(sv.networks, `${at}.networks`, 'array or mapping');
    for (const [i, p] of ((Array.isArray(sv.ports) ? sv.ports : []) as unknown[]).entries()) {
      check(p, `${at}.ports.${i}`, 'string, number or mapping');
      if (isA(p, 'mapping')) for (const k of ['target', 'published'] as const) check((p as Record<string, unknown>)[k], `${at}.ports.${i}.${k}`, 'string or number');
    }
    for (const [i, p] of ((Array.isArray(sv.expose) ? sv.expose : []) as unknown[]).entries()) check(p, `${at}.expose.${i}`, 'string or number');
    for (const [i, x] of ((Array.isArray(sv.command) ? sv.command : Array.isArray(sv.dns) ? sv.dns : []) as unknown[]).entries())
      check(x, `${at}.${Array.isArray(sv.command) ? 'command' : 'dns'}.${i}`, 'string');
    if (Array.isArray(sv.networks)) sv.networks.forEach((n, i) => check(n, `${at}.networks.${i}`, 'string'));
    else if (isA(sv.networks, 'mapping')) {
      for (const [n, o] of Object.entries(sv.networks as Record<string, unknown>)) {
        check(o, `${at}.networks.${n}`, 'mapping');
        const opts = (o ?? {}) as Record<string, unknown>;
        check(opts.ipv4_address, `${at}.networks.${n}.ipv4_address`, 'string');
        check(opts.aliases, `${at}.networks.${n}.aliases`, 'array');
        for (const [i, a] of ((Array.isArray(opts.aliases) ? opts.aliases : []) as unknown[]).entries()) check(a, `${at}.networks.${n}.aliases.${i}`, 'string');
      }
    }
  }
  for (const [name, net] of Object.entries((d.networks ?? {}) as Record<string, unknown>)) {
    const at = `networks.${name}`;
    check(net, at, 'mapping');
    const n = (net ?? {}) as Record<string, unknown>;
    check(n.external, `${at}.external`, 'boolean or mapping');
    check(n.name, `${at}.name`, 'string');
    check(n.driver, `${at}.driver`, 'string');
    check(n.driver_opts, `${at}.driver_opts`, 'mapping');
    for (const [k, v] of Object.entries((isA(n.driver_opts, 'mapping') ? n.driver_opts : {}) as Record<string, unknown>)) check(v, `${at}.driver_opts.${k}`, 'string or number');
    check(n.ipam, `${at}.ipam`, 'mapping');
    const ipam = (isA(n.ipam, 'mapping') ? n.ipam : {}) as Record<string, unknown>;
    check(ipam.config, `${at}.ipam.config`, 'array');
    for (const [i, c] of ((Array.isArray(ipam.config) ? ipam.config : []) as unknown[]).entries()) {
      check(c, `${at}.ipam.config.${i}`, 'mapping');
      const cc = (c ?? {}) as Record<string, unknown>;
      check(cc.subnet, `${at}.ipam.config.${i}.subnet`, 'string');
      check(cc.gateway, `${at}.ipam.config.${i}.gateway`, 'string');
    }
  }
}

/** A `ports` entry as `-p` text: short syntax as it is, long syntax (`target`, `published`, `protocol`) spelled out. */
function portSpec(p: NonNullable<ComposeService['ports']>[number]): string {
  if (typeof p !== 'object') return String(p);
  const proto = p.protocol ? `/${p.protocol}` : '';
  return p.published === undefined ? `${p.target ?? ''}${proto}` : `${p.published}:${p.target ?? ''}${proto}`;
}

export function flag(name: string, value: string, line: number): Flag {
  const span = { line, column: 1, length: 0 };
  return { name, value, written: `--${name}`, span };
}

export function composeUp(world: World, host: Host, cmd: DockerCommand, files: FileSource): { output: string; warnings: string[] } {
  ensureEngine(world, host, cmd.line);
  const warnings: string[] = [];
  const file = flagValue(cmd.flags, 'file', 'f') ?? 'docker-compose.yml';
  const text = readCommandFile(files, file);
  let doc: { services?: Record<string, ComposeService>; networks?: Record<string, ComposeNetwork> };
  let parsed: unknown;
  try {
    parsed = parseYaml(text) ?? {};
  } catch (e) {
    return fail(`yaml: ${(e as Error).message.split('\n')[0]}`);
  }
  validateCompose(parsed, file);
  doc = parsed as typeof doc;
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
      publish: (s.ports ?? []).flatMap((p) => parsePublish(portSpec(p), cmd.line)),
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
