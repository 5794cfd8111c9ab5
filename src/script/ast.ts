/**
 * The script's syntax tree: what `parseScript()` (src/script/parser.ts) produces and the model
 * (src/model/) consumes. Every node keeps its source span so errors and hovers point at the text.
 */
import type { Diagnostic } from '../result.js';

/** 1-based line and column, length in characters, of a piece of the script. */
export interface Span {
  line: number;
  column: number;
  length: number;
}

/** A word after quote removal (`"Ethernet 2"` → `Ethernet 2`), with where it stood. */
export interface Word {
  value: string;
  span: Span;
}

/**
 * A flag as the tool's own parser read it. `name` is canonical: the long name without dashes
 * (`-d` → `driver`, `--subnet=x` → `subnet`; PowerShell `-Name` → `Name` as the cmdlet spells it).
 * `value` is `true` for a boolean flag given bare; repeated flags (`-o a=b -o c=d`) appear once each,
 * in order.
 */
export interface Flag {
  name: string;
  value: string | true;
  /** The flag as written (`-o`, `--opt`, `-Name`), for messages. */
  written: string;
  span: Span;
  /** Span of the value alone (for diagnostics on a bad value). */
  valueSpan?: Span;
}

interface Base {
  /** 1-based line where the command starts (continuation lines belong to it). */
  line: number;
  span: Span;
  /** The command's text as written, continuations joined with one space, comment removed. */
  text: string;
  /** Set when the line was `expect <command>` or `expect-fail <command>`. */
  expect?: 'expect' | 'expect-fail';
}

/** `host`, `lan`, `client NAME --ip ...` (declaration), `flood`. */
export interface SimCommand extends Base {
  kind: 'sim';
  verb: 'host' | 'lan' | 'client' | 'flood' | 'listen';
  flags: Flag[];
  args: Word[];
}

/** `client NAME curl URL` / `client NAME ping TARGET`: traffic from an external client. */
export interface ClientTrafficCommand extends Base {
  kind: 'client-traffic';
  client: Word;
  inner: ToolCommand;
}

/**
 * A `docker ...` command. `path` is the subcommand path (`['network','create']`, `['run']`,
 * `['swarm','join']`, `['compose','up']`), `flags` as Docker's own parser (pflag) reads them,
 * `args` the positional arguments, and for `run`/`exec`/`service create` the words after the image
 * or container in `command` (for `docker exec`, parsed further into `inner`).
 */
export interface DockerCommand extends Base {
  kind: 'docker';
  path: string[];
  flags: Flag[];
  args: Word[];
  command: Word[];
  /** `docker exec C <tool ...>`: the tool command run inside the container. */
  inner?: ToolCommand;
  /** `docker compose`'s global flags (`-f FILE`) are in `flags`. */
  /** Docker's own root flags written before the subcommand (`docker -D network ls`). */
  globalFlags?: Flag[];
  /** The subcommand words as written, one per `path` level before canonicalisation
   *  (`docker container ls` → `container`, `ls`; `path` is `['ps']`). */
  pathWords?: Word[];
}

/** A PowerShell pipeline: `Get-VMNetworkAdapter -VMName X | Set-VMNetworkAdapter -MacAddressSpoofing On`. */
export interface PowerShellCommand extends Base {
  kind: 'powershell';
  pipeline: Cmdlet[];
}

export interface Cmdlet {
  /** As written; matching is case-insensitive like PowerShell's. */
  name: Word;
  /** Named parameters (`-Name X`, switch parameters get `true`). */
  flags: Flag[];
  /** Positional arguments. */
  args: Word[];
}

/**
 * A Windows tool run on the host or inside a container: `ping`, `curl`, `nslookup`, `ipconfig`,
 * `netsh`, `reg`, `Test-NetConnection` is a cmdlet (PowerShellCommand) instead.
 */
export interface ToolCommand extends Base {
  kind: 'tool';
  tool: 'ping' | 'tracert' | 'curl' | 'nslookup' | 'ipconfig' | 'netsh' | 'reg' | 'hostname' | 'route' | 'arp' | 'netstat' | 'vfpctrl' | 'hnsdiag' | 'other';
  /** The command word as written (`ping`, `curl.exe`, or the unknown command's name for `other`). */
  name?: Word;
  /** Every word after the tool name, quotes removed, in order. */
  words: Word[];
  /** The tool's switches parsed for the tools that have them (`ping -n 4`, `ipconfig /all`, `curl -s`). */
  flags: Flag[];
  args: Word[];
}

export type Command =
  | SimCommand
  | ClientTrafficCommand
  | DockerCommand
  | PowerShellCommand
  | ToolCommand;

/**
 * A command the parser rejected (SPEC §5): it yields no command, and the run shows it where it
 * stands as a failed step with the error the real tool prints, then goes on as a shell would.
 */
export interface RejectedLine {
  line: number;
  /** Span of the whole command (the diagnostic's span points at the offending word). */
  span: Span;
  /** The command as written, as in `Command.text` (`expect`/`expect-fail` removed). */
  text: string;
  expect?: 'expect' | 'expect-fail';
  /** What the real tool prints: `unknown flag: --netwrok` then `See 'docker run --help'.` */
  error: string;
}

export interface Script {
  commands: Command[];
  /** Parse errors and warnings (unknown flag, unsupported option, bad quoting). A line with an error
   *  yields no command; the lines before and after it still do. */
  diagnostics: Diagnostic[];
  /** The commands behind the error diagnostics, in script order. */
  rejected: RejectedLine[];
}
