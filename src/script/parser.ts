/**
 * `parseScript(text)`: the script (SPEC §2, §5) → typed commands + diagnostics. Never throws: a
 * line that cannot be parsed yields an error diagnostic (line, column, length, message as the real
 * tool words it) and no command; the lines around it still parse.
 *
 * A logical line may hold several commands separated by `;` (PowerShell). Each command may start
 * with `expect` or `expect-fail`. The first word then decides the kind: simulator verbs (`host`,
 * `lan`, `client`, `flood`), `docker`, a Windows tool (`ping`, `curl`, ...), a cmdlet (`Verb-Noun`
 * or a known alias, possibly a `|` pipeline), or any other word: a `tool: 'other'` command that
 * the model answers the way PowerShell answers an unknown command.
 *
 * `line` is the physical line a command starts on (continuation lines keep it); spans are 1-based
 * and, for a command or flag that runs across continuation lines, cover its first physical line.
 */
import type {
  ClientTrafficCommand, Command, DockerCommand, Flag, PowerShellCommand, RejectedLine, Script, SimCommand, ToolCommand, Word,
} from './ast.js';
import type { Diagnostic } from '../result.js';
import { type LexOp, type LexToken, type LexWord, type LogicalLine, lex, physicalLines, posAt, spanOf, wordSubSpan } from './lexer.js';
import { type FlagSpec, parsePflags } from './flags.js';
import { type DockerCommandSpec, DOCKER_GLOBAL_FLAGS, DOCKER_ROOT, findChild } from './docker-commands.js';
import { isCmdletName, parseCmdlet } from './powershell.js';
import { parseToolWords, toolFor } from './tools.js';
import { type SimVerb, simSpec } from './sim.js';
import { ParseFailure } from './errors.js';

const SIM_VERBS = new Set<SimVerb>(['host', 'lan', 'client', 'flood', 'listen']);
/** Tools an external client can run (`client NAME curl URL`). */
const CLIENT_TOOLS = new Set(['curl', 'ping', 'tracert', 'nslookup']);

interface Base {
  line: number;
  span: Word['span'];
  text: string;
  expect?: 'expect' | 'expect-fail';
}

function toWord(ll: LogicalLine, w: LexWord): Word {
  return { value: w.value, span: wordSubSpan(ll, w, 0, w.value.length) };
}

function fail(ll: LogicalLine, w: LexWord | LexOp, message: string, code: string): never {
  const span = w.kind === 'word' ? wordSubSpan(ll, w, 0, w.value.length) : spanOf(ll, w.start, w.end);
  throw new ParseFailure(span, message, code);
}

function baseOf(ll: LogicalLine, toks: LexToken[], expect?: 'expect' | 'expect-fail'): Base {
  const first = toks[0]!;
  const last = toks[toks.length - 1]!;
  const b: Base = {
    line: posAt(ll, first.start).line,
    span: spanOf(ll, first.start, last.end),
    text: ll.text.slice(first.start, last.end),
  };
  if (expect) b.expect = expect;
  return b;
}

function onlyWords(ll: LogicalLine, toks: LexToken[]): LexWord[] {
  const op = toks.find((t) => t.kind !== 'word');
  if (op) fail(ll, op, 'Pipelines (|) are supported between PowerShell cmdlets only.', 'unsupported-pipeline');
  return toks as LexWord[];
}

/**
 * The largest script Packet Path runs: 8 MiB of text and 200,000 lines (docs/behaviour.md,
 * Limits). A larger one is refused whole, at line 1, before anything runs: memory and time grow
 * with the text, and no real session types that much.
 */
export const MAX_SCRIPT_CHARS = 8 << 20;
export const MAX_SCRIPT_LINES = 200_000;

function tooLarge(text: string): string | null {
  if (text.length > MAX_SCRIPT_CHARS)
    return `the script is ${(text.length / 2 ** 20).toFixed(1)} MiB; Packet Path runs scripts of up to ${MAX_SCRIPT_CHARS >> 20} MiB and ${MAX_SCRIPT_LINES.toLocaleString('en-US')} lines`;
  let lines = 1;
  for (let i = text.indexOf('\n'); i !== -1 && lines <= MAX_SCRIPT_LINES; i = text.indexOf('\n', i + 1)) lines++;
  return lines > MAX_SCRIPT_LINES ? `the script has more than ${MAX_SCRIPT_LINES.toLocaleString('en-US')} lines; Packet Path runs scripts of up to ${MAX_SCRIPT_CHARS >> 20} MiB and ${MAX_SCRIPT_LINES.toLocaleString('en-US')} lines` : null;
}

export function parseScript(text: string): Script {
  const commands: Command[] = [];
  const diagnostics: Diagnostic[] = [];
  const rejected: RejectedLine[] = [];
  const source = typeof text === 'string' ? text : String(text ?? '');
  const refusal = tooLarge(source);
  if (refusal) return { commands, diagnostics: [{ line: 1, column: 1, length: 0, severity: 'error', code: 'script-too-large', message: refusal }], rejected };
  let lines: LogicalLine[];
  let lexDiagnostics: Diagnostic[];
  try {
    const lexed = lex(source);
    lines = lexed.lines;
    lexDiagnostics = lexed.diagnostics;
    for (const d of lexDiagnostics) diagnostics.push(d);
  } catch (e) {
    diagnostics.push({ line: 1, column: 1, length: 0, severity: 'error', code: 'internal-error', message: `internal parser error: ${String(e)}` });
    return { commands, diagnostics, rejected };
  }
  for (const ll of lines) {
    if (ll.bad) {
      const d = lexDiagnostics.find((x) => x.line >= ll.line && x.severity === 'error');
      if (d) rejected.push(rejectedBadLine(physicalLines(source), ll.line, d));
      continue;
    }
    let cur: LexToken[] = [];
    const flush = () => {
      if (cur.length === 0) return;
      const toks = cur;
      cur = [];
      try {
        commands.push(parseStatement(ll, toks));
      } catch (e) {
        if (e instanceof ParseFailure) {
          diagnostics.push({ line: e.span.line, column: e.span.column, length: e.span.length, severity: 'error', message: e.message, code: e.code });
          rejected.push(rejectedStatement(ll, toks, e.printed ?? e.message));
        } else {
          const s = spanOf(ll, toks[0]!.start, toks[toks.length - 1]!.end);
          const message = `internal parser error: ${String(e)}`;
          diagnostics.push({ line: s.line, column: s.column, length: s.length, severity: 'error', code: 'internal-error', message });
          rejected.push(rejectedStatement(ll, toks, message));
        }
      }
    };
    for (const t of ll.tokens) {
      if (t.kind === 'semi') flush();
      else cur.push(t);
    }
    flush();
  }
  diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
  return { commands, diagnostics, rejected };
}

function expectWord(w: LexToken | undefined): 'expect' | 'expect-fail' | undefined {
  if (!w || w.kind !== 'word' || w.quoted) return undefined;
  const lower = w.value.toLowerCase();
  return lower === 'expect' || lower === 'expect-fail' ? lower : undefined;
}

/** The statement behind a parse failure, as the run shows it (`expect`/`expect-fail` taken off). */
function rejectedStatement(ll: LogicalLine, toks: LexToken[], error: string): RejectedLine {
  const expect = toks.length > 1 ? expectWord(toks[0]) : undefined;
  const b = baseOf(ll, expect ? toks.slice(1) : toks, expect);
  return { line: b.line, span: b.span, text: b.text, ...(expect ? { expect } : {}), error };
}

/** A logical line the lexer could not tokenize (an unterminated string): its physical lines as written. */
function rejectedBadLine(raw: string[], line: number, d: Diagnostic): RejectedLine {
  const pieces = raw.slice(line - 1, Math.max(line, d.line)).map((l) => l.trim());
  let text = pieces.join(' ');
  const m = /^(expect|expect-fail)[ \t]+/i.exec(text);
  const expect = m ? (m[1]!.toLowerCase() as 'expect' | 'expect-fail') : undefined;
  if (m) text = text.slice(m[0].length);
  const first = raw[line - 1] ?? '';
  const column = first.length - first.trimStart().length + 1;
  const span = { line, column, length: Math.max(1, first.trim().length) };
  return { line, span, text, ...(expect ? { expect } : {}), error: d.message };
}

function parseStatement(ll: LogicalLine, tokens: LexToken[]): Command {
  let toks = tokens;
  let expect: 'expect' | 'expect-fail' | undefined;
  const first = toks[0]!;
  if (first.kind === 'word' && !first.quoted) {
    const lower = first.value.toLowerCase();
    if (lower === 'expect' || lower === 'expect-fail') {
      expect = lower;
      toks = toks.slice(1);
      if (toks.length === 0) fail(ll, first, `${lower} needs a command to check, e.g. \`${lower} docker exec web ping db\``, 'expect-without-command');
      const next = toks[0]!;
      if (next.kind === 'word' && /^expect(-fail)?$/i.test(next.value)) {
        fail(ll, next, `${next.value} cannot follow ${first.value}: one expectation per command`, 'nested-expect');
      }
    }
  }
  const head = toks[0]!;
  if (head.kind !== 'word') fail(ll, head, 'An empty pipe element is not allowed.', 'empty-pipe-element');
  // PowerShell reserves `<` (documents' `<NAME>` placeholders hit this, as they would at a real prompt).
  const lt = toks.find((t): t is LexWord => t.kind === 'word' && !t.leadingQuoted && t.value.startsWith('<'));
  if (lt) throw new ParseFailure(wordSubSpan(ll, lt, 0, 1), "The '<' operator is reserved for future use.", 'reserved-operator');
  const base = baseOf(ll, toks, expect);
  const name = head.value;
  const lower = name.toLowerCase();

  if (!head.quoted && SIM_VERBS.has(lower as SimVerb)) return parseSim(ll, onlyWords(ll, toks), base, lower as SimVerb);
  if (lower === 'docker' || lower === 'docker.exe') return parseDocker(ll, onlyWords(ll, toks), base, false);
  // Compose v1's own executable parses as `docker compose`.
  if (lower === 'docker-compose' || lower === 'docker-compose.exe') return parseDocker(ll, onlyWords(ll, toks), base, true);
  if (toks.some((t) => t.kind === 'pipe') || (isCmdletName(name) && !toolFor(name))) {
    if (!isCmdletName(name)) {
      fail(ll, toks.find((t) => t.kind === 'pipe')!, 'Pipelines (|) are supported between PowerShell cmdlets only.', 'unsupported-pipeline');
    }
    return parsePowerShell(ll, toks, base);
  }
  const words = onlyWords(ll, toks);
  const tool: ToolCommand = { kind: 'tool', ...base, name: toWord(ll, head), ...parseToolWords(ll, words) };
  return tool;
}

function parsePowerShell(ll: LogicalLine, toks: LexToken[], base: Base): PowerShellCommand {
  const segments: LexWord[][] = [[]];
  for (const t of toks) {
    if (t.kind === 'pipe') {
      if (segments[segments.length - 1]!.length === 0) fail(ll, t, 'An empty pipe element is not allowed.', 'empty-pipe-element');
      segments.push([]);
    } else segments[segments.length - 1]!.push(t as LexWord);
  }
  if (segments[segments.length - 1]!.length === 0) {
    fail(ll, toks[toks.length - 1]!, 'An empty pipe element is not allowed.', 'empty-pipe-element');
  }
  const pipeline = segments.map((seg) => {
    const head = seg[0]!;
    if (!isCmdletName(head.value) || toolFor(head.value)) {
      fail(ll, head, `Only cmdlets can take part in a pipeline; '${head.value}' is not a cmdlet.`, 'unsupported-pipeline');
    }
    return parseCmdlet(ll, seg);
  });
  return { kind: 'powershell', ...base, pipeline };
}

// ---------------------------------------------------------------------------------------------
// Simulator lines

function parseSim(ll: LogicalLine, words: LexWord[], base: Base, verb: SimVerb): SimCommand | ClientTrafficCommand {
  const head = words[0]!;
  if (verb === 'client' && words.length >= 3 && !words[1]!.value.startsWith('-')) {
    const t = toolFor(words[2]!.value);
    if (t && CLIENT_TOOLS.has(t)) {
      const tw = words.slice(2);
      const last = tw[tw.length - 1]!;
      const inner: ToolCommand = {
        kind: 'tool', line: posAt(ll, tw[0]!.start).line, span: spanOf(ll, tw[0]!.start, last.end),
        text: ll.text.slice(tw[0]!.start, last.end), name: toWord(ll, tw[0]!), ...parseToolWords(ll, tw),
      };
      return { kind: 'client-traffic', ...base, client: toWord(ll, words[1]!), inner };
    }
  }
  const spec = simSpec(verb)!;
  const parsed = parsePflags(ll, words.slice(1), spec.flags, true);
  const args = parsed.positionals;
  const help = parsed.flags.some((f) => f.name === 'help');
  const cmd: SimCommand = { kind: 'sim', ...base, verb, flags: parsed.flags, args: args.map((w) => toWord(ll, w)) };
  if (help) return cmd;

  const badValue = (f: Flag, message: string): never => {
    throw new ParseFailure(f.valueSpan ?? f.span, message, 'invalid-value');
  };
  for (const f of parsed.flags) {
    const fs = spec.flags.find((s) => s.name === f.name);
    if (fs?.values && typeof f.value === 'string' && !fs.values.includes(f.value.toLowerCase())) {
      badValue(f, `invalid value "${f.value}" for --${f.name}: expected one of ${fs.values.join(', ')}`);
    }
    if (fs?.type === 'int' && typeof f.value === 'string' && !(Number(f.value) > 0)) {
      badValue(f, `--${f.name} must be a positive number, got "${f.value}"`);
    }
  }
  const needArgs = (n: number, what: string) => {
    if (args.length < n) fail(ll, head, `${verb} needs ${what}: ${spec.usage}`, 'arg-count');
    if (args.length > n) fail(ll, args[n]!, `unexpected argument "${args[n]!.value}": ${spec.usage}`, 'arg-count');
  };
  switch (verb) {
    case 'host':
      needArgs(1, 'a NAME');
      break;
    case 'lan': {
      if (args.length === 0) fail(ll, head, `lan needs "dhcp FIRST-LAST": ${spec.usage}`, 'arg-count');
      if (args[0]!.value.toLowerCase() !== 'dhcp') {
        fail(ll, args[0]!, `unknown lan command "${args[0]!.value}": only "lan dhcp FIRST-LAST" is supported`, 'invalid-value');
      }
      needArgs(2, 'a range FIRST-LAST');
      const range = args[1]!.value;
      if (!/^\d{1,3}(\.\d{1,3}){3}-\d{1,3}(\.\d{1,3}){3}$/.test(range)) {
        fail(ll, args[1]!, `invalid DHCP range "${range}": expected FIRST-LAST, e.g. 10.0.0.100-10.0.0.200`, 'invalid-value');
      }
      break;
    }
    case 'client':
      if (args.length > 1) {
        fail(ll, args[1]!, `unknown client command "${args[1]!.value}": an external client sends traffic with curl, ping or nslookup`, 'invalid-value');
      }
      needArgs(1, 'a NAME');
      if (!parsed.flags.some((f) => f.name === 'ip')) fail(ll, head, `client ${args[0]!.value} needs --ip IP`, 'missing-flag');
      break;
    case 'listen': {
      needArgs(2, 'NAME PROTO/PORT');
      const m = /^(tcp|udp)\/(\d{1,5})$/i.exec(args[1]!.value);
      if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) {
        fail(ll, args[1]!, `invalid port "${args[1]!.value}": expected tcp/PORT or udp/PORT, e.g. tcp/80`, 'invalid-value');
      }
      break;
    }
    case 'flood': {
      needArgs(3, 'FROM TO PROTO[/PORT]');
      const proto = args[2]!.value;
      if (!/^(tcp|udp)(\/\d{1,5})?$|^icmp$/i.test(proto)) {
        fail(ll, args[2]!, `invalid protocol "${proto}": expected tcp[/PORT], udp[/PORT] or icmp`, 'invalid-value');
      }
      break;
    }
  }
  return cmd;
}

// ---------------------------------------------------------------------------------------------
// docker

/** A command's own flags plus those its ancestors make persistent, as one stable table per command. */
const COMBINED = new WeakMap<DockerCommandSpec, readonly FlagSpec[]>();
function flagTable(node: DockerCommandSpec, inherited: readonly FlagSpec[]): readonly FlagSpec[] {
  if (inherited.length === 0) return node.flags ?? [];
  let t = COMBINED.get(node);
  if (!t) {
    t = [...(node.flags ?? []), ...inherited];
    COMBINED.set(node, t);
  }
  return t;
}

function plural(n: number): string {
  return n === 1 ? 'argument' : 'arguments';
}

/**
 * What docker/cli v20.10 prints for a line it rejects. Flag errors go through `FlagErrorFunc`
 * (cli/cobra.go): the pflag text, then `See '<command path> --help'.`; argument-count errors are
 * `cli.ExactArgs`/`RequiresMinArgs`/`NoArgs` (cli/required.go), which add the usage line and the
 * command's short description; an unknown top-level command is the root's `RunE`
 * (cmd/docker/docker.go). main() prints each as is.
 */
function dockerPrinted(e: ParseFailure, trail: readonly DockerCommandSpec[]): string {
  const node = trail.at(-1) ?? DOCKER_ROOT;
  const path = ['docker', ...trail.map((s) => s.name)].join(' ');
  switch (e.code) {
    case 'unknown-flag':
    case 'bad-flag':
    case 'bad-flag-syntax':
    case 'missing-value': {
      // A group's flag error carries the group's usage too (FlagErrorFunc: `cmd.HasSubCommands()`).
      const usage = node.children && node.childrenComplete ? `\n\n${groupUsage(node, path)}` : '';
      return `${e.message}\nSee '${path} --help'.${usage}`;
    }
    case 'arg-count':
      return `${e.message}\nSee '${path} --help'.\n\nUsage:  ${node.usage}\n\n${node.description}`;
    case 'unknown-command':
      if (node === DOCKER_ROOT) return `${e.message}\nSee 'docker --help'`;
      return node.childrenComplete ? `\n${groupUsage(node, path)}` : e.message;
    default:
      return e.message;
  }
}

/**
 * A command group's usage text as docker/cli v20.10 prints it (cli/cobra.go `usageTemplate`):
 * cobra's `NoArgs` answers an unknown subcommand of a group with it (cli/required.go). The
 * subcommands are sorted and padded like cobra's (`rpad` to the longest name, at least 11).
 */
function groupUsage(node: DockerCommandSpec, path: string): string {
  const children = [...(node.children ?? [])].sort((a, b) => (a.name < b.name ? -1 : 1));
  const pad = Math.max(11, ...children.map((c) => c.name.length));
  return [
    `Usage:  ${path} COMMAND`, '', node.description, '', 'Commands:',
    ...children.map((c) => `  ${c.name.padEnd(pad)} ${c.description}`),
    '', `Run '${path} COMMAND --help' for more information on a command.`,
  ].join('\n');
}

function parseDocker(ll: LogicalLine, words: LexWord[], base: Base, composeV1: boolean): DockerCommand {
  const trail: DockerCommandSpec[] = [];
  try {
    return parseDockerWords(ll, words, base, composeV1, trail);
  } catch (e) {
    if (e instanceof ParseFailure && e.printed === undefined) {
      throw new ParseFailure(e.span, e.message, e.code, dockerPrinted(e, trail));
    }
    throw e;
  }
}

/** `trail` receives the commands found so far (`network`, `create`), for the error texts. */
function parseDockerWords(ll: LogicalLine, words: LexWord[], base: Base, composeV1: boolean, trail: DockerCommandSpec[]): DockerCommand {
  const root = composeV1
    ? { flags: [] as Flag[], positionals: words.slice(1), afterTerminator: -1 }
    : parsePflags(ll, words.slice(1), DOCKER_GLOBAL_FLAGS, false);
  let rest = root.positionals;
  let node: DockerCommandSpec = DOCKER_ROOT;
  let inherited: readonly FlagSpec[] = [];
  const specs = trail;
  const pathWords: LexWord[] = [];
  const flags: Flag[] = [];
  let positionals: LexWord[] = [];
  if (composeV1) {
    node = findChild(DOCKER_ROOT, 'compose')!;
    specs.push(node);
    pathWords.push(words[0]!);
    inherited = node.persistentFlags ?? [];
    const g = parsePflags(ll, rest, inherited, false);
    flags.push(...g.flags);
    rest = g.positionals;
  }

  // `docker --version` and `docker -h` stop here, like the CLI.
  const rootOnly = root.flags.some((f) => f.name === 'version' || f.name === 'help');
  while (!rootOnly && node.children && rest.length > 0) {
    const w = rest[0]!;
    const child = findChild(node, w.value);
    if (!child) {
      if (node === DOCKER_ROOT) fail(ll, w, `docker: '${w.value}' is not a docker command.`, 'unknown-command');
      fail(ll, w, `unknown command "${w.value}" for "docker ${specs.map((s) => s.name).join(' ')}"`, 'unknown-command');
    }
    specs.push(child!);
    pathWords.push(w);
    rest = rest.slice(1);
    node = child!;
    if (node.persistentFlags) inherited = [...inherited, ...node.persistentFlags];
    if (node.children) {
      // A group's own flags come before its subcommand (`docker compose -f x.yml up`).
      const g = parsePflags(ll, rest, flagTable(node, inherited), false);
      flags.push(...g.flags);
      rest = g.positionals;
      if (g.flags.some((f) => f.name === 'help')) break;
    }
  }
  if (!node.children) {
    const p = parsePflags(ll, rest, flagTable(node, inherited), node.interspersed ?? true);
    flags.push(...p.flags);
    positionals = p.positionals;
  }

  const display = ['docker', ...specs.map((s) => s.name)].join(' ');
  const help = flags.some((f) => f.name === 'help') || rootOnly;
  const rule = node.args ?? { kind: 'any' };
  if (!help && node !== DOCKER_ROOT && !(node.children && positionals.length === 0)) {
    const n = positionals.length;
    if (rule.kind === 'none' && n > 0) fail(ll, positionals[0]!, `"${display}" accepts no arguments.`, 'arg-count');
    if (rule.kind === 'exact' && n !== rule.n) {
      const at = n > rule.n ? positionals[rule.n]! : words[words.length - 1]!;
      fail(ll, at, `"${display}" requires exactly ${rule.n} ${plural(rule.n)}.`, 'arg-count');
    }
    if (rule.kind === 'min' && n < rule.n) {
      fail(ll, words[words.length - 1]!, `"${display}" requires at least ${rule.n} ${plural(rule.n)}.`, 'arg-count');
    }
  }

  const path = node.canonical ? [...node.canonical] : specs.map((s) => s.name);
  let args = positionals;
  let command: LexWord[] = [];
  if (node.positional) {
    args = positionals.slice(0, 1);
    command = positionals.slice(1);
  }
  const cmd: DockerCommand = {
    kind: 'docker', ...base, path, flags,
    args: args.map((w) => toWord(ll, w)), command: command.map((w) => toWord(ll, w)),
    pathWords: pathWords.map((w) => toWord(ll, w)),
  };
  if (root.flags.length > 0) cmd.globalFlags = root.flags;
  if (node.positional === 'container-command' && command.length > 0) {
    const inner = innerTool(ll, command);
    if (inner) cmd.inner = inner;
  }
  return cmd;
}

/** The tool run by `docker exec C ...`, looking through `cmd /c` and `powershell -Command`. */
function innerTool(ll: LogicalLine, command: LexWord[]): ToolCommand | undefined {
  let cw = command;
  if (/^cmd(\.exe)?$/i.test(cw[0]!.value)) {
    let j = 1;
    while (j < cw.length && /^\/[a-z]$/i.test(cw[j]!.value)) {
      const sw = cw[j]!.value.toLowerCase();
      j++;
      if (sw === '/c' || sw === '/k') break;
    }
    if (j < cw.length) cw = cw.slice(j);
  } else if (/^(powershell|pwsh)(\.exe)?$/i.test(cw[0]!.value)) {
    let j = 1;
    while (j < cw.length && /^-(command|c|noprofile|nop|nologo|noninteractive)$/i.test(cw[j]!.value)) j++;
    if (j < cw.length) cw = cw.slice(j);
  }
  const first = cw[0]!;
  const last = cw[cw.length - 1]!;
  return {
    kind: 'tool', line: posAt(ll, first.start).line, span: spanOf(ll, first.start, last.end),
    text: ll.text.slice(first.start, last.end), name: toWord(ll, first), ...parseToolWords(ll, cw),
  };
}
