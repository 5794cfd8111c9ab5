/**
 * dockerd's configuration file on Windows, `C:\ProgramData\docker\config\daemon.json`, as the
 * public guides write it (`Set-Content` with the JSON, then `Restart-Service docker`), and what
 * dockerd does with it when it starts (moby v20.10.24): cmd/dockerd/daemon.go
 * `loadDaemonCliConfig`, daemon/config/config.go `getConflictFreeConfiguration`,
 * `findConfigurationConflicts` and `Validate`. The keys that change networking are applied:
 * `"bridge": "none"` (no default nat), `"fixed-cidr"`, `"dns"`, `"dns-search"`. The other keys
 * dockerd accepts on Windows are accepted with a warning that Packet Path does not model them; a
 * key Windows' dockerd has no flag for (`iptables`, `ip-masq`, `ipv6`, ...) stops dockerd as the
 * real one does.
 */
import { parseCidr, parseIp } from '../addr.js';
import { fail } from './errors.js';
import type { DaemonConfig, Host } from './types.js';

export const DAEMON_JSON = 'C:\\ProgramData\\docker\\config\\daemon.json';

/**
 * The keys dockerd v20.10.24 accepts on Windows: the long names of its flags (cmd/dockerd
 * config.go `installCommonConfigFlags` without the non-Windows ones, config_windows.go,
 * options.go, service_windows.go, docker.go), the names of its list and map options
 * (`storage-opts`, `hosts`, ...) and daemon/config `skipValidateOptions`.
 */
const KNOWN_KEYS = new Set([
  'storage-opt', 'authorization-plugin', 'exec-opt', 'pidfile', 'graph', 'exec-root', 'containerd', 'cri-containerd', 'data-root', 'restart',
  'mtu', 'raw-logs', 'dns', 'dns-opt', 'dns-search', 'host-gateway-ip', 'label', 'log-driver', 'log-opt', 'cluster-advertise', 'cluster-store',
  'cluster-store-opt', 'api-cors-header', 'max-concurrent-downloads', 'max-concurrent-uploads', 'max-download-attempts', 'shutdown-timeout',
  'network-diagnostic-port', 'swarm-default-advertise-addr', 'experimental', 'metrics-addr', 'node-generic-resource', 'network-control-plane-mtu',
  'containerd-namespace', 'containerd-plugins-namespace', 'allow-nondistributable-artifacts', 'registry-mirror', 'insecure-registry',
  'fixed-cidr', 'bridge', 'group', 'debug', 'log-level', 'tls', 'tlsverify', 'tlscacert', 'tlscert', 'tlskey', 'host',
  'service-name', 'register-service', 'unregister-service', 'run-service', 'version', 'config-file',
  'storage-opts', 'authorization-plugins', 'exec-opts', 'dns-opts', 'labels', 'log-opts', 'cluster-store-opts', 'node-generic-resources',
  'registry-mirrors', 'insecure-registries', 'hosts',
  'features', 'builder', 'deprecated-key-path',
]);

/** The keys that change what Packet Path simulates. */
const MODELLED = new Set(['bridge', 'fixed-cidr', 'dns', 'dns-search']);

/** The path a `Set-Content`/`Get-Content` names is daemon.json (`$env:ProgramData\...` too). */
export function isDaemonJson(path: string): boolean {
  return path.replace(/^\$env:ProgramData/i, 'C:\\ProgramData').replace(/\//g, '\\').toLowerCase() === DAEMON_JSON.toLowerCase();
}

function requireDaemonJson(cmdlet: string, path: string | undefined): void {
  if (!path) fail(`${cmdlet} : Cannot bind argument to parameter 'Path' because it is null.`);
  if (!isDaemonJson(path)) fail(`${cmdlet} : Packet Path simulates ${cmdlet} only for dockerd's configuration file ${DAEMON_JSON}`);
}

/**
 * The byte-order mark Windows PowerShell 5.1's `Set-Content -Encoding E` writes, as the first
 * character Go's JSON decoder reads (Latin-1 view of the first byte); `Default` (ANSI, the
 * cmdlet's default), `ASCII` and `OEM` write none (about_Character_Encoding).
 */
const BOM_FIRST_CHAR: Record<string, string | null> = {
  default: null, ascii: null, oem: null, utf8: 'ï', unicode: 'ÿ', utf32: 'ÿ', bigendianunicode: 'þ',
};

/** `Set-Content [-Path] C:\ProgramData\docker\config\daemon.json [-Value] '{...}' [-Encoding E]`: dockerd reads it when it starts next. */
export function setDaemonJson(host: Host, path: string | undefined, value: string | undefined, encoding: string | undefined): string {
  requireDaemonJson('Set-Content', path);
  const bom = BOM_FIRST_CHAR[(encoding ?? 'default').toLowerCase()];
  if (bom === undefined) fail('Set-Content : Packet Path simulates -Encoding Default, ASCII, OEM, UTF8, Unicode, UTF32, BigEndianUnicode');
  host.daemonJson = value ?? '';
  host.daemonJsonBom = bom ?? undefined;
  return '';
}

/** `Get-Content [-Path] C:\ProgramData\docker\config\daemon.json`: the text, or PowerShell's error when there is none. */
export function getDaemonJson(host: Host, path: string | undefined): string {
  requireDaemonJson('Get-Content', path);
  if (host.daemonJson === undefined) fail(`Get-Content : Cannot find path '${DAEMON_JSON}' because it does not exist.`);
  return host.daemonJson;
}

/** A value of the wrong JSON type, found while reading the file (carried out of the readers below). */
class TypeMismatch {
  constructor(readonly text: string) {}
}

/** opts.ValidateDNSSearch (moby v20.10.24 opts/opts.go): `.`, or a domain with a letter, labels of letters, digits and inner dashes. */
const DOMAIN = /^((?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*)\.?\s*$/;
function validDnsSearch(v: string): boolean {
  const val = v.replace(/^ +| +$/g, '');
  if (val === '.') return true;
  const m = DOMAIN.exec(val);
  return /[a-zA-Z]/.test(val) && !!m && m[1]!.length < 255;
}

/** net.ParseIP's answer for the model: an IPv4 address, or an IPv6 one (accepted, not applied: the simulation is IPv4). */
const isIpv6 = (v: string): boolean => /^[0-9a-fA-F:]+(:\d+\.\d+\.\d+\.\d+)?$/.test(v) && v.includes(':') && (v.match(/::/g) ?? []).length <= 1;

const unable = (why: string): string => `unable to configure the Docker daemon with file ${DAEMON_JSON}: ${why}`;

/** Go's name of a JSON value's kind in `json: cannot unmarshal <kind> into ...`. */
function goKind(v: unknown): string {
  return Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v === 'boolean' ? 'bool' : typeof v === 'object' ? 'object' : typeof v;
}

/**
 * What dockerd reads from daemon.json when it starts: the configuration, with a warning per key
 * Packet Path does not model, or the error dockerd exits with.
 */
export function loadDaemonConfig(host: Host): { config: DaemonConfig; warnings: string[] } | { error: string } {
  const config: DaemonConfig = { bridgeNone: false, fixedCidr: null, dns: [], dnsSearch: [] };
  const text = host.daemonJson;
  if (text === undefined) return { config, warnings: [] };
  // Docker 20.10 reads the bytes as UTF-8 and stops at a byte-order mark (moby #44770 made 23.0 skip it).
  if (host.daemonJsonBom) return { error: unable(`invalid character '${host.daemonJsonBom}' looking for beginning of value`) };
  if (!text.trim()) return { error: unable('EOF') };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { error: unable(`${(e as Error).message} (Packet Path's JSON reader; dockerd words JSON syntax errors as Go's encoding/json does)`) };
  }
  if (json === null) return { config, warnings: [] };
  if (typeof json !== 'object' || Array.isArray(json)) return { error: unable(`json: cannot unmarshal ${goKind(json)} into Go value of type map[string]interface {}`) };
  const file = json as Record<string, unknown>;
  const unknown = Object.keys(file).filter((k) => !KNOWN_KEYS.has(k)).sort();
  if (unknown.length) return { error: unable(`the following directives don't match any configuration option: ${unknown.join(', ')}`) };
  if (host.fixedCidr !== null && 'fixed-cidr' in file)
    return { error: unable(`the following directives are specified both as a flag and in the configuration file: fixed-cidr: (from flag: ${host.fixedCidr}, from file: ${String(file['fixed-cidr'])})`) };
  const typeError = (key: string, want: string) => unable(`json: cannot unmarshal ${goKind(file[key])} into the field ${key} of type ${want} (Packet Path's wording; Go names the struct field)`);
  const str = (key: string): string | null => {
    if (!(key in file)) return null;
    if (typeof file[key] !== 'string') throw new TypeMismatch(typeError(key, 'string'));
    return file[key] as string;
  };
  const list = (key: string): string[] => {
    if (!(key in file)) return [];
    const v = file[key];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new TypeMismatch(typeError(key, '[]string'));
    return v as string[];
  };
  try {
    config.bridgeNone = str('bridge') === 'none';
    config.fixedCidr = str('fixed-cidr') || null;
    config.dns = list('dns');
    config.dnsSearch = list('dns-search');
  } catch (e) {
    if (e instanceof TypeMismatch) return { error: e.text };
    throw e;
  }
  for (const d of config.dns)
    if (parseIp(d.trim()) === null && !isIpv6(d.trim())) return { error: unable(`configuration validation from file failed: ${d} is not an ip address`) };
  for (const s of config.dnsSearch) if (!validDnsSearch(s)) return { error: unable(`configuration validation from file failed: ${s} is not a valid domain`) };
  if (config.fixedCidr !== null && !parseCidr(config.fixedCidr))
    return { error: `Packet Path: dockerd cannot create the default nat network from "fixed-cidr": "${config.fixedCidr}" (not a CIDR prefix; dockerd's own text for this was not established)` };
  const v6 = config.dns.filter((d) => parseIp(d.trim()) === null);
  config.dns = config.dns.filter((d) => parseIp(d.trim()) !== null).map((d) => d.trim());
  const warnings = v6.map((d) => `daemon.json "dns": ${d} is an IPv6 address; Packet Path simulates IPv4 and does not give it to containers`);
  warnings.push(...Object.keys(file).filter((k) => !MODELLED.has(k)).map((k) => `daemon.json: dockerd accepts "${k}"; Packet Path does not model its effect`));
  if (config.dnsSearch.length > 1) warnings.push(`daemon.json "dns-search": Windows supports one DNS search domain; only "${config.dnsSearch[0]}" is used, the others have no effect`);
  return { config, warnings };
}
