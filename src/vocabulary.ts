/**
 * The script vocabulary, declared once. Everything the editor offers, explains and flags is read
 * from the specs the parser and the model run by:
 * - syntax: the docker command tree with docker/cli's flag tables (src/script/docker-commands.ts),
 *   the simulator lines (src/script/sim.ts), the cmdlets' parameters (src/script/powershell.ts),
 *   the Windows tools (src/script/tools.ts), each with a `doc` where Windows behaviour needs saying;
 * - behaviour: which cmdlets, docker commands and container commands the run simulates and what it
 *   answers otherwise (src/model/answers.ts), and the options Windows does not support with the
 *   one text the run prints for each (src/model/unsupported.ts). Neither imports the rest of the
 *   model, so the editor does not load it.
 * - the drivers and driver options with the seed's words (src/script/drivers.ts), re-exported here;
 *   the words a highlighter colours (`highlightWords()`, kept light in src/script/words.ts).
 * tests/unit/vocabulary.test.ts proves the editor and the run agree.
 */
import type { Command, DockerCommand, Script, ToolCommand } from './script/ast.js';
import type { Diagnostic } from './result.js';
import { DOCKER_GLOBAL_FLAGS, DOCKER_ROOT, type DockerCommandSpec, findChild } from './script/docker-commands.js';
import { HELP_FLAG, type FlagSpec, type FlagType } from './script/flags.js';
import { CMDLETS, COMMON_PARAMETERS, type CmdletSpec, findCmdlet as findCmdletSpec } from './script/powershell.js';
import { SIM_COMMANDS } from './script/sim.js';
import { DRIVERS } from './script/drivers.js';
import { TOOLS, type ToolSpec } from './script/tools.js';
import {
  CONTAINER_COMMANDS, CONTAINER_CMDLETS, DOCKER_NOT_SIMULATED, SIMULATED_CMDLETS, cmdletNotSimulated, cmdletNotSimulatedInContainer, containerCommandNotSimulated, dockerNotSimulated,
  hostCommandNotRecognized, pipelineStageNotSimulated, toolArgumentError, OBJECT_CMDLETS, PIPELINE_STAGES, REMOVAL_PIPES, objectStageNotSimulated,
} from './model/answers.js';
import {
  DRIVER_OPTION_LIMITS, UNSUPPORTED_OPTIONS, type UnsupportedEffect, type UnsupportedOption, driverOptionWarnings, driverOptionsOf,
  unsupportedFindings,
} from './model/unsupported.js';

export { OS_PROFILES } from './script/sim.js';
export { DRIVERS, DRIVER_OPTIONS, type DriverOption, findDriverOption, optionDrivers } from './script/drivers.js';
export { HIGHLIGHT } from './script/words.js';

/** What the run does with an option Windows does not support, and the text it prints. */
export interface UnsupportedNote {
  effect: UnsupportedEffect;
  /** The text with `…` for the values the line gives. */
  message: string;
  /** The text the run prints for a line with these values of the option and this driver. */
  messageFor(values: readonly string[], driver: string): string;
}

export interface VocabFlag {
  /** Long name without dashes. */
  name: string;
  short?: string;
  type: FlagType;
  /** The value's shape (`CIDR`), absent for a boolean flag. */
  placeholder?: string;
  /** The Windows note when there is one, else the tool's own help text. */
  doc: string;
  values?: readonly string[];
  /** Set when Windows does not support the option (SPEC §3). */
  unsupported?: UnsupportedNote;
}

export interface VocabCommand {
  /** The words that start it, canonical: `['docker', 'network', 'create']`, `['host']`. */
  words: readonly string[];
  usage: string;
  doc: string;
  flags: readonly VocabFlag[];
  /** Subcommands (a docker command group). */
  children: readonly VocabCommand[];
  /** False for a command the parser accepts but the run answers "not simulated" (the text is `notSimulated`). */
  simulated: boolean;
  notSimulated?: string;
}

/** The text a note for an unsupported option shows where the line gives no values (completions). */
function noteOf(o: UnsupportedOption): UnsupportedNote {
  return { effect: o.effect, message: o.message({ values: ['…'], driver: '…' }), messageFor: (values, driver) => o.message({ values, driver }) };
}

function unsupportedFor(path: readonly string[], flag: string): UnsupportedOption | undefined {
  return Object.values(UNSUPPORTED_OPTIONS).find((u) => u.flag === flag && u.path.length === path.length && u.path.every((p, i) => p === path[i]));
}

function vocabFlag(f: FlagSpec, path?: readonly string[]): VocabFlag {
  const out: VocabFlag = { name: f.name, type: f.type, doc: f.doc ?? f.description };
  if (f.short) out.short = f.short;
  if (f.type !== 'bool') out.placeholder = f.placeholder ?? f.type.toUpperCase();
  if (f.values) out.values = f.values;
  const u = path && unsupportedFor(path, f.name);
  if (u) out.unsupported = noteOf(u);
  return out;
}

/** A docker command's flags as the editor offers them: its own, then inherited, `--help`, hidden ones left out. */
function dockerVocabFlags(trail: readonly DockerCommandSpec[], canonical: readonly string[]): VocabFlag[] {
  const node = trail.at(-1);
  if (!node) return DOCKER_GLOBAL_FLAGS.filter((f) => !f.hidden).map((f) => vocabFlag(f));
  const inherited = trail.flatMap((s) => s.persistentFlags ?? []);
  const all = [...(node.flags ?? []), ...inherited].filter((f) => !f.hidden);
  if (!all.some((f) => f.name === 'help')) {
    // cobra's `-h, --help`, unless the command uses `-h` itself (docker run: --hostname).
    all.push(all.some((f) => f.short === 'h') ? { ...HELP_FLAG, short: undefined } : HELP_FLAG);
  }
  const out = all.map((f) => vocabFlag(f, canonical));
  // `--opt encrypted` is a value of -o, noted on the flag that carries it.
  const enc = unsupportedFor(canonical, 'opt encrypted');
  const opt = out.find((f) => f.name === 'opt');
  if (enc && opt) opt.doc += `\n\n\`-o encrypted\`: ${noteOf(enc).message}`;
  return out;
}

function dockerVocab(trail: readonly DockerCommandSpec[]): VocabCommand {
  const node = trail.at(-1) ?? DOCKER_ROOT;
  const canonical = node.canonical ?? trail.map((s) => s.name);
  const path = canonical.join(' ');
  const simulated = !DOCKER_NOT_SIMULATED.includes(path);
  return {
    words: ['docker', ...trail.map((s) => s.name)],
    usage: node.usage,
    doc: node.doc ?? node.description,
    flags: dockerVocabFlags(trail, canonical),
    children: (node.children ?? []).map((c) => dockerVocab([...trail, c])),
    simulated,
    ...(simulated ? {} : { notSimulated: dockerNotSimulated(path) }),
  };
}

/** The whole docker tree, as the editor reads it. */
export const DOCKER_VOCABULARY: VocabCommand = dockerVocab([]);

/** The simulator lines and `expect`/`expect-fail`. */
export const SCRIPT_LINES: readonly VocabCommand[] = [
  ...SIM_COMMANDS.map((s) => ({
    words: s.verb === 'lan' ? ['lan', 'dhcp'] : [s.verb],
    usage: s.usage,
    doc: s.description,
    flags: s.flags.map((f) => vocabFlag(f)),
    children: [],
    simulated: true,
  })),
  { words: ['expect'], usage: 'expect <command>', doc: 'The command must succeed (a check for CI: `packet-path run` exits 1 otherwise).', flags: [], children: [], simulated: true },
  { words: ['expect-fail'], usage: 'expect-fail <command>', doc: 'The command must fail: an error, a timed-out ping, a refused connection, an unresolved name.', flags: [], children: [], simulated: true },
];

/**
 * The command the words start with, or undefined: for docker the deepest command the words name
 * (aliases as the parser accepts them, `docker network list` → `docker network ls`), stopping at
 * the first word that is not a subcommand (a flag, an argument).
 */
export function findCommand(words: readonly string[]): VocabCommand | undefined {
  const first = words[0]?.toLowerCase();
  if (first === 'docker' || first === 'docker.exe') {
    let node = DOCKER_ROOT;
    let vocab = DOCKER_VOCABULARY;
    for (const w of words.slice(1)) {
      const child = findChild(node, w);
      if (!child) break;
      vocab = vocab.children[node.children!.indexOf(child)]!;
      node = child;
    }
    return vocab;
  }
  // `lan` alone still means `lan dhcp` (its only form).
  return SCRIPT_LINES.find((c) => c.words[0] === first);
}

/** The flag of a command as written (`--subnet`, `--subnet=x`, `-d`), or undefined. */
export function findFlag(cmd: VocabCommand | undefined, written: string): VocabFlag | undefined {
  if (!cmd || !written.startsWith('-')) return undefined;
  const name = written.split('=')[0]!;
  if (name.startsWith('--')) return cmd.flags.find((f) => f.name === name.slice(2));
  return name.length === 2 ? cmd.flags.find((f) => f.short === name[1]) : undefined;
}

// ---------------------------------------------------------------------------------------------
// Cmdlets and tools

export interface VocabCmdlet {
  name: string;
  aliases: readonly string[];
  doc: string;
  /** Parameters (written `-Name`), the cmdlet's own then PowerShell's common ones. */
  parameters: readonly { name: string; type: string; values?: readonly string[]; doc?: string }[];
  /** `alone` at the start of a line, `piped` after another cmdlet, or both. */
  runs: 'alone' | 'piped' | 'both';
}

function vocabCmdlet(spec: CmdletSpec, runs: VocabCmdlet['runs']): VocabCmdlet {
  return {
    name: spec.name,
    aliases: spec.aliases ?? [],
    doc: spec.description,
    parameters: [...spec.parameters, ...COMMON_PARAMETERS].map((p) => ({
      name: p.name, type: p.type, ...(p.values ? { values: p.values } : {}), ...(p.description ? { doc: p.description } : {}),
    })),
    runs,
  };
}

/**
 * The cmdlets the run simulates, with their parameters and docs: the model's dispatch list joined
 * with the parser's parameter tables (a simulated cmdlet without a table is a defect the test names).
 */
export const CMDLET_VOCABULARY: readonly VocabCmdlet[] = SIMULATED_CMDLETS.flatMap((c) => {
  const spec = findCmdletSpec(c.name);
  return spec ? [vocabCmdlet(spec, c.runs)] : [];
});

/** A simulated cmdlet by name or alias, case-insensitively like PowerShell. */
export function findCmdlet(name: string): VocabCmdlet | undefined {
  const spec = findCmdletSpec(name);
  return spec ? CMDLET_VOCABULARY.find((c) => c.name === spec.name) : undefined;
}

/** Cmdlets the parser knows (it checks their parameters) that the run does not simulate. */
export const CMDLETS_NOT_SIMULATED: readonly string[] = CMDLETS.map((c) => c.name).filter((n) => !findCmdlet(n));

export interface VocabToolOption {
  /** As the tool's usage writes it, with a trailing `=` or space when a value follows (`-n `, `/all`, `name=`). */
  written: string;
  doc: string;
}

export interface VocabTool {
  name: string;
  usage: string;
  doc: string;
  options: readonly VocabToolOption[];
}

function toolOption(t: ToolSpec, o: ToolSpec['options'][number]): VocabToolOption {
  const after = o.takesValue ? (t.style === '-=' || t.style === '=' ? '=' : ' ') : '';
  const prefix = t.style === '-=' ? '-' : t.style === '=' ? '' : t.style;
  return { written: `${prefix}${o.name}${after}`, doc: o.description };
}

const toolVocab = (t: ToolSpec): VocabTool => ({ name: t.tool, usage: t.usage, doc: t.description, options: t.options.map((o) => toolOption(t, o)) });

/** Commands on the host's own command line (`reg delete ...`, `ipconfig`, `ping`). */
export const HOST_TOOLS: readonly VocabTool[] = TOOLS.map(toolVocab);

/** Commands `docker exec` runs inside a container (the model's list, with the parser's docs). */
export const CONTAINER_TOOLS: readonly VocabTool[] = CONTAINER_COMMANDS.map((name) => {
  const t = TOOLS.find((x) => x.tool === name);
  if (t) return toolVocab(t);
  if (name === 'powershell') {
    return {
      name, usage: 'powershell -Command "<cmdlet> [| Where-Object ...] [| Select-Object ...] [| Format-List | Format-Table | ConvertTo-Json]"',
      doc: 'Runs a PowerShell pipeline in the container\'s compartment: Get-NetIPAddress, Get-NetIPInterface, Get-NetRoute, Get-NetNeighbor, Get-DnsClientServerAddress, Get-NetIPConfiguration, Test-NetConnection.',
      options: [{ written: '-Command ', doc: 'The pipeline to run.' }, { written: '-NoProfile', doc: 'Does not load the profile.' }],
    };
  }
  const c = findCmdletSpec(name)!;
  return {
    name: c.name, usage: `${c.name} ${c.parameters.map((p) => `[-${p.name}]`).join(' ')}`, doc: c.description,
    options: c.parameters.map((p) => ({ written: p.type === 'switch' ? `-${p.name}` : `-${p.name} `, doc: p.description ?? p.type })),
  };
});

/** Commands an external client runs (`client NAME curl URL`). */
export const CLIENT_TOOLS: readonly VocabTool[] = HOST_TOOLS.filter((t) => ['curl', 'ping', 'tracert', 'nslookup'].includes(t.name));

/**
 * What the run warns when a driver option has no effect on the driver (`-o ...vlanid` on a nat
 * network), or undefined when it applies: for hovers and completions, where no value is at hand.
 */
export function driverOptionNote(key: string, driver: string): string | undefined {
  const limit = DRIVER_OPTION_LIMITS.find((l) => l.key === key.toLowerCase());
  return limit && !limit.appliesTo(driver) ? limit.message(driver) : undefined;
}

// ---------------------------------------------------------------------------------------------
// Highlighting

function dockerNames(node: DockerCommandSpec): string[] {
  return (node.children ?? []).flatMap((child) => [child.name, ...(child.aliases ?? []), ...dockerNames(child)]);
}

/** The words a highlighter colours, grouped, computed from the tables (HIGHLIGHT is their light copy). */
export function highlightWords() {
  return {
    verbs: [...SIM_COMMANDS.map((s) => s.verb), 'docker', 'expect', 'expect-fail'],
    subcommands: [...new Set([...dockerNames(DOCKER_ROOT), 'dhcp'])],
    tools: [...TOOLS.map((t) => t.tool), 'advfirewall', 'firewall'],
    drivers: DRIVERS.map((d) => d.name),
    cmdlets: CMDLETS.flatMap((c) => [c.name, ...(c.aliases ?? [])]),
  };
}

// ---------------------------------------------------------------------------------------------
// Editor diagnostics: what the run will say, on the words it is about

function at(span: { line: number; column: number; length: number }, message: string, code: string, severity: Diagnostic['severity']): Diagnostic {
  return { line: span.line, column: span.column, length: span.length, severity, message, code };
}

/** A stray argument the tool refuses (a second ping target), with the tool's text. */
function toolDiagnostics(cmd: ToolCommand, out: Diagnostic[]): void {
  const stray = toolArgumentError(cmd);
  if (stray) out.push(at(stray.word.span, stray.message, 'stray-argument', 'error'));
}

function dockerDiagnostics(cmd: DockerCommand, out: Diagnostic[]): void {
  const path = cmd.path.join(' ');
  const last = cmd.pathWords?.at(-1);
  if (DOCKER_NOT_SIMULATED.includes(path) && last) out.push(at(last.span, dockerNotSimulated(path), 'not-simulated', 'info'));
  for (const f of unsupportedFindings(cmd)) {
    out.push(at(f.flag.span, f.message, 'unsupported-option', f.option.effect === 'refused' ? 'error' : 'warning'));
  }
  if (path === 'network create') {
    // The run's rule (networks.ts): options that ask for something the driver does not do.
    const driver = cmd.flags.filter((f) => f.name === 'driver').at(-1)?.value;
    const opts = driverOptionsOf(cmd);
    if (typeof driver === 'string' && DRIVERS.some((d) => d.name === driver)) {
      const values = Object.fromEntries([...opts].map(([k, o]) => [k, o.value]));
      for (const w of driverOptionWarnings(values, driver)) out.push(at(opts.get(w.key)!.flag.span, w.message, 'driver-option', 'warning'));
    }
  }
  if (cmd.path.length !== 1 || cmd.path[0] !== 'exec' || cmd.command.length === 0) return;
  // The model's rule (src/model/tools.ts dockerExec): the tool it recognised, or Test-NetConnection.
  const first = cmd.command[0]!;
  const toolName = first.value.toLowerCase().replace(/\.exe$/, '');
  const tnc = ['powershell', 'pwsh', 'test-netconnection'].includes(toolName) && cmd.command.some((w) => /^test-netconnection$/i.test(w.value));
  if ((toolName === 'powershell' || toolName === 'pwsh') && !tnc) {
    // `powershell -Command "<pipeline>"` (src/model/tools.ts containerPowershell): its first cmdlet must run in a container.
    const words = cmd.command.slice(1).filter((w) => !/^-(command|c|noprofile|nop|nologo|noninteractive)$/i.test(w.value));
    const head = words[0];
    const name = head?.value.trim().split(/\s+/)[0] ?? '';
    const spec = findCmdletSpec(name);
    if (head && /^[A-Za-z]+-[A-Za-z]+$/.test(name) && !CONTAINER_CMDLETS.includes(spec?.name ?? name)) {
      out.push(at(head.span, cmdletNotSimulatedInContainer(name), 'not-simulated', 'info'));
    }
    return;
  }
  if ((!cmd.inner || cmd.inner.tool === 'other') && !tnc) {
    out.push(at(first.span, containerCommandNotSimulated(toolName), 'not-simulated', 'info'));
  } else if (cmd.inner) {
    toolDiagnostics(cmd.inner, out);
  }
}

/**
 * What the editor shows beyond parse errors: options Windows does not support (the run's warning or
 * error text, on the option), stray arguments a tool refuses (its text, on the argument) and
 * commands the run does not simulate (the run's answer, on the name).
 * Cheap: one pass over the parsed commands.
 */
export function editorDiagnostics(script: Script): Diagnostic[] {
  const out: Diagnostic[] = [];
  const visit = (cmd: Command) => {
    switch (cmd.kind) {
      case 'docker':
        dockerDiagnostics(cmd, out);
        break;
      case 'tool':
        if (cmd.tool === 'other' && cmd.name) {
          out.push(at(cmd.name.span, hostCommandNotRecognized(cmd.text.split(/\s+/)[0]!), 'not-simulated', 'info'));
        }
        toolDiagnostics(cmd, out);
        break;
      case 'client-traffic':
        toolDiagnostics(cmd.inner, out);
        break;
      case 'powershell': {
        // The model's rule (src/model/powershell.ts): formatting stages are dropped, the first
        // cmdlet must be simulated, and only Get-VMNetworkAdapter takes a further stage.
        const head = findCmdlet(cmd.pipeline[0]!.name.value);
        const removal = head ? REMOVAL_PIPES[head.name] : undefined;
        const removes = removal !== undefined && cmd.pipeline.length === 2 && findCmdletSpec(cmd.pipeline[1]!.name.value)?.name === removal;
        if (head && (OBJECT_CMDLETS.includes(head.name) || head.name === 'Invoke-WebRequest') && !removes) {
          // The object pipeline (src/model/ps-pipeline.ts) runs these stages after them.
          const stage = cmd.pipeline.slice(1).find((c) => !PIPELINE_STAGES.includes(findCmdletSpec(c.name.value)?.name ?? c.name.value));
          if (stage) out.push(at(stage.name.span, objectStageNotSimulated(stage.name.value), 'not-simulated', 'info'));
          break;
        }
        const stages = cmd.pipeline.filter((c) => !/^(format-table|ft|out-default|out-host|format-list|fl)$/i.test(c.name.value));
        const first = stages[0];
        if (!first) break;
        const known = findCmdlet(first.name.value);
        const next = stages[1];
        if (next && known?.name !== 'Get-VMNetworkAdapter') {
          out.push(at(next.name.span, pipelineStageNotSimulated(next.name.value), 'not-simulated', 'info'));
        } else if (!known || known.runs === 'piped') {
          out.push(at(first.name.span, cmdletNotSimulated(first.name.value), 'not-simulated', 'info'));
        }
        break;
      }
      default:
        break;
    }
  };
  for (const c of script.commands) visit(c);
  return out;
}
