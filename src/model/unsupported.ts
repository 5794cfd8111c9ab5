/**
 * The options Windows does not support (SPEC §3, the seed's list), declared once: what the run does
 * with each (Docker ignores it and Packet Path warns, or the daemon refuses it) and the one text it
 * prints; and the driver options that have no effect on some drivers, with their warning. The model prints these texts (containers.ts, networks.ts); the editor shows the same text
 * on the option (src/vocabulary.ts), so the squiggle and the transcript never disagree.
 * Sources for each choice are in docs/behaviour.md ("Containers", "Overlay and swarm").
 */
import type { DockerCommand, Flag } from '../script/ast.js';
import { flagValue, flagValues, keyValues, splitList } from './args.js';
import { E, runError } from './errors.js';
import { SHIM } from '../script/drivers.js';

/** What the run does: `ignored` (the command succeeds, with the warning) or `refused` (it fails with the text). */
export type UnsupportedEffect = 'ignored' | 'refused';

/** What a message may depend on: the option's values on the line and the network's driver. */
export interface UnsupportedContext {
  values: readonly string[];
  driver: string;
}

export interface UnsupportedOption {
  /** `DockerCommand.path` the option belongs to. */
  path: readonly string[];
  /** Long flag name (`internal`), or `opt encrypted` for the driver option. */
  flag: string;
  effect: UnsupportedEffect;
  /** The warning or error text the run prints. */
  message(ctx: UnsupportedContext): string;
  /** A line that uses the option and otherwise runs, on a host with a running container `app` and a
   *  nat network `n9` (tests/unit/vocabulary.test.ts runs it). */
  example: string;
}

const option = (o: UnsupportedOption) => o;

/** Keyed `<path> --<flag>`; the model reads its texts from here. */
export const UNSUPPORTED_OPTIONS = {
  'run --link': option({
    path: ['run'], flag: 'link', effect: 'ignored',
    message: () => '--link has no effect on Windows: container links are not supported; use service discovery (container names on the network)',
    example: 'docker run -d --name web --link db:db img',
  }),
  'run --ip6': option({
    path: ['run'], flag: 'ip6', effect: 'refused',
    message: () => runError(E.staticIpNoSubnet()),
    example: 'docker run -d --name web --ip6 2001:db8::5 img',
  }),
  'run --dns-option': option({
    path: ['run'], flag: 'dns-option', effect: 'ignored',
    message: () => '--dns-option has no effect on Windows: DNS resolver options are not supported',
    example: 'docker run -d --name web --dns-option ndots:2 img',
  }),
  // `--dns-opt` is docker's hidden spelling of the same flag: the same text.
  'run --dns-opt': option({
    path: ['run'], flag: 'dns-opt', effect: 'ignored',
    message: () => '--dns-option has no effect on Windows: DNS resolver options are not supported',
    example: 'docker run -d --name web --dns-opt ndots:2 img',
  }),
  'run --dns-search': option({
    path: ['run'], flag: 'dns-search', effect: 'ignored',
    message: ({ values }) => `--dns-search: Windows supports one DNS search domain; only "${values[0]}" is used, the others have no effect`,
    example: 'docker run -d --name web --dns-search a.local --dns-search b.local img',
  }),
  'network connect --ip6': option({
    path: ['network', 'connect'], flag: 'ip6', effect: 'refused',
    message: () => E.staticIpNoSubnet(),
    example: 'docker network connect --ip6 2001:db8::5 n9 app',
  }),
  'network create --aux-address': option({
    path: ['network', 'create'], flag: 'aux-address', effect: 'ignored',
    message: () => '--aux-address has no effect on Windows: HNS does not reserve auxiliary addresses',
    example: 'docker network create -d nat --subnet 172.16.5.0/24 --aux-address a=172.16.5.5 n1',
  }),
  'network create --internal': option({
    path: ['network', 'create'], flag: 'internal', effect: 'ignored',
    message: () => '--internal has no effect on Windows: the network keeps its external connectivity',
    example: 'docker network create -d nat --subnet 172.16.5.0/24 --internal n1',
  }),
  'network create --ip-range': option({
    path: ['network', 'create'], flag: 'ip-range', effect: 'refused',
    message: () => E.windowsIpam(),
    example: 'docker network create -d nat --subnet 172.16.5.0/24 --ip-range 172.16.5.0/25 n1',
  }),
  'network create --ipam-driver': option({
    path: ['network', 'create'], flag: 'ipam-driver', effect: 'ignored',
    message: ({ driver }) => `--ipam-driver has no effect on Windows: HNS does the address management of ${driver} networks`,
    example: 'docker network create -d nat --subnet 172.16.5.0/24 --ipam-driver windows n1',
  }),
  'network create --ipam-opt': option({
    path: ['network', 'create'], flag: 'ipam-opt', effect: 'ignored',
    message: () => '--ipam-opt has no effect on Windows: the windows IPAM driver takes no options',
    example: 'docker network create -d nat --subnet 172.16.5.0/24 --ipam-opt a=b n1',
  }),
  'network create --ipv6': option({
    path: ['network', 'create'], flag: 'ipv6', effect: 'refused',
    message: () => E.windowsIpam(),
    example: 'docker network create -d nat --subnet 172.16.5.0/24 --ipv6 n1',
  }),
  'network create --opt encrypted': option({
    path: ['network', 'create'], flag: 'opt encrypted', effect: 'ignored',
    message: () => '--opt encrypted has no effect on Windows: overlay data-plane encryption (IPsec) is not supported, traffic is sent in clear',
    example: 'docker network create -d nat --subnet 172.16.5.0/24 --opt encrypted n1',
  }),
} satisfies Record<string, UnsupportedOption>;

export type UnsupportedKey = keyof typeof UNSUPPORTED_OPTIONS;

/** The text the run prints for an unsupported option. */
export function unsupportedMessage(key: UnsupportedKey, ctx: Partial<UnsupportedContext> = {}): string {
  return UNSUPPORTED_OPTIONS[key].message({ values: ctx.values ?? [], driver: ctx.driver ?? '' });
}

export interface UnsupportedFinding {
  option: UnsupportedOption;
  /** The flag on the line the finding is about (the second `--dns-search`, the `--opt encrypted`). */
  flag: Flag;
  message: string;
}

function samePath(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * The unsupported options a docker command uses, each with the text the run prints for it, on the
 * flag that triggers it: the run's conditions, read from the parsed command alone (a `--ipv6=false`
 * is no request for IPv6; only a second `--dns-search` is too many).
 */
export function unsupportedFindings(cmd: DockerCommand): UnsupportedFinding[] {
  const rules = Object.values(UNSUPPORTED_OPTIONS).filter((u) => samePath(u.path, cmd.path));
  if (rules.length === 0) return [];
  const ctx: UnsupportedContext = { values: [], driver: flagValue(cmd.flags, 'driver', 'd') ?? 'bridge' };
  const out: UnsupportedFinding[] = [];
  let dnsSearch = 0;
  for (const f of cmd.flags) {
    let rule: UnsupportedOption | undefined;
    if (f.name === 'opt' && typeof f.value === 'string' && /^encrypted(=|$)/.test(f.value)) {
      rule = rules.find((r) => r.flag === 'opt encrypted');
    } else if (f.name === 'dns-search') {
      rule = ++dnsSearch === 2 ? rules.find((r) => r.flag === 'dns-search') : undefined;
    } else if (f.name === 'ipv6') {
      rule = f.value === true ? rules.find((r) => r.flag === 'ipv6') : undefined;
    } else {
      rule = rules.find((r) => r.flag === f.name);
    }
    if (!rule) continue;
    const message = rule.message({ ...ctx, values: flagValues(cmd.flags, f.name) });
    // The run prints each text once (`--link a --link b`, `--dns-opt` beside `--dns-option`).
    if (!out.some((x) => x.message === message)) out.push({ option: rule, flag: f, message });
  }
  return out;
}


/** A driver option that has no effect on some drivers: the run warns with `message` (networks.ts). */
export interface DriverOptionLimit {
  key: string;
  /** Whether the value asks for anything (no adapter, VLAN 0 or `false` ask for nothing). */
  requested(value: string): boolean;
  appliesTo(driver: string): boolean;
  message(driver: string): string;
}

const TRUE = /^(1|t|T|TRUE|true|True)$/;

export const DRIVER_OPTION_LIMITS: readonly DriverOptionLimit[] = [
  {
    key: SHIM + 'interface', requested: (v) => splitList(v).length > 0, appliesTo: (d) => d !== 'nat',
    message: () => `-o ${SHIM}interface has no effect on a nat network: nat uses an internal vSwitch, not an adapter`,
  },
  {
    key: SHIM + 'vlanid', requested: (v) => /^\d+$/.test(v) && Number(v) !== 0, appliesTo: (d) => d === 'transparent' || d === 'l2bridge',
    message: (d) => `-o ${SHIM}vlanid has no effect on a ${d} network: VLAN isolation applies to transparent and l2bridge networks`,
  },
  {
    key: SHIM + 'enable_outboundnat', requested: (v) => TRUE.test(v), appliesTo: (d) => d === 'l2bridge' || d === 'l2tunnel',
    message: (d) => `-o ${SHIM}enable_outboundnat has no effect on a ${d} network`,
  },
];

/** The warnings for driver options given (last value per key) that have no effect on the driver, in table order. */
export function driverOptionWarnings(options: Readonly<Record<string, string>>, driver: string): { key: string; message: string }[] {
  return DRIVER_OPTION_LIMITS
    .filter((l) => options[l.key] !== undefined && l.requested(options[l.key]!) && !l.appliesTo(driver))
    .map((l) => ({ key: l.key, message: l.message(driver) }));
}

/** The `-o` options of a parsed command, last value per key, with the flag that gave each. */
export function driverOptionsOf(cmd: DockerCommand): Map<string, { value: string; flag: Flag }> {
  const out = new Map<string, { value: string; flag: Flag }>();
  for (const f of cmd.flags) {
    if (f.name !== 'opt' || typeof f.value !== 'string') continue;
    const [[k, v]] = keyValues([f.value]) as [[string, string]];
    out.set(k, { value: v, flag: f });
  }
  return out;
}
