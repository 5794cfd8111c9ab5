/**
 * The script front end: `parseScript` and the parser's own tables (docker commands and flags,
 * cmdlets and parameters, tools, simulator lines). The editor reads them through
 * src/vocabulary.ts, which joins them with what the model simulates.
 */
import type { FlagSpec, FlagType } from './flags.js';
import { DOCKER_GLOBAL_FLAGS, DOCKER_ROOT, type DockerCommandSpec, resolveDockerPath } from './docker-commands.js';
import { CMDLETS, COMMON_PARAMETERS, type CmdletSpec } from './powershell.js';
import { TOOLS, type ToolSpec } from './tools.js';
import { SIM_COMMANDS, type SimSpec } from './sim.js';

export { parseScript } from './parser.js';
export { lex, type LexResult, type LogicalLine } from './lexer.js';
export type { FlagSpec, FlagType } from './flags.js';
export type { CmdletSpec, CmdletParameter } from './powershell.js';
export type { ToolSpec, ToolOption } from './tools.js';
export type { SimSpec } from './sim.js';
export { OS_PROFILES } from './sim.js';
export type * from './ast.js';

export interface FlagInfo {
  name: string;
  short?: string;
  type: FlagType;
  description: string;
  /** Known values, for value completion. */
  values?: readonly string[];
}

function info(f: FlagSpec): FlagInfo {
  const out: FlagInfo = { name: f.name, type: f.type, description: f.description };
  if (f.short) out.short = f.short;
  if (f.values) out.values = f.values;
  return out;
}

/**
 * The flags of a docker command for completions: `dockerFlags(['network', 'create'])`. Aliases are
 * accepted (`['network', 'list']`, `['container', 'run']`); `[]` gives Docker's root flags; an
 * unknown path gives `[]`. Hidden flags (`--net`, `--dns-opt`) are left out; `--help` is included.
 */
export function dockerFlags(path: readonly string[]): FlagInfo[] {
  if (path.length === 0) return DOCKER_GLOBAL_FLAGS.filter((f) => !f.hidden).map(info);
  const specs = resolveDockerPath(path);
  if (!specs) return [];
  const inherited = specs.flatMap((s) => s.persistentFlags ?? []);
  const own = specs[specs.length - 1]!.flags ?? [];
  const all = [...own, ...inherited].filter((f) => !f.hidden);
  if (!all.some((f) => f.name === 'help')) all.push({ name: 'help', short: all.some((f) => f.short === 'h') ? undefined : 'h', type: 'bool', description: 'Print usage' } as FlagSpec);
  return all.map(info);
}

export interface CommandInfo {
  name: string;
  aliases: readonly string[];
  usage: string;
  description: string;
}

function cmdInfo(s: DockerCommandSpec): CommandInfo {
  return { name: s.name, aliases: s.aliases ?? [], usage: s.usage, description: s.description };
}

/** The subcommands under a docker path (`[]` → `network`, `run`, ...; `['network']` → `create`, ...). */
export function dockerSubcommands(path: readonly string[]): CommandInfo[] {
  const node = path.length === 0 ? DOCKER_ROOT : resolveDockerPath(path)?.at(-1);
  return (node?.children ?? []).map(cmdInfo);
}

/** Usage and description of a docker command (for hovers), or undefined. */
export function dockerCommandInfo(path: readonly string[]): CommandInfo | undefined {
  const node = path.length === 0 ? DOCKER_ROOT : resolveDockerPath(path)?.at(-1);
  return node ? cmdInfo(node) : undefined;
}

/** The whole docker command tree with every command's flag table (docker/cli's). */
export const DOCKER_COMMANDS: DockerCommandSpec = DOCKER_ROOT;
export type { DockerCommandSpec, ArgRule } from './docker-commands.js';

/** The cmdlets Packet Path knows, with their parameters (common parameters in {@link COMMON_CMDLET_PARAMETERS}). */
export const KNOWN_CMDLETS: readonly CmdletSpec[] = CMDLETS;
export const COMMON_CMDLET_PARAMETERS = COMMON_PARAMETERS;
/** Windows tools (`ping`, `curl`, `nslookup`, `ipconfig`, `netsh`, `reg`, `hostname`) with their switches. */
export const KNOWN_TOOLS: readonly ToolSpec[] = TOOLS;
/** Simulator lines (`host`, `lan`, `client`, `flood`) with usage and flags. */
export const SIMULATOR_COMMANDS: readonly SimSpec[] = SIM_COMMANDS;
