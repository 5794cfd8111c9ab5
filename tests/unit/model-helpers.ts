/** Test helpers for the model: run script text (through the real parser) against a world. */
import type { DockerCommand } from '../../src/script/ast.js';
import { parseScript } from '../../src/script/parser.js';
import { createWorld, execute, type Outcome, type World } from '../../src/model/index.js';

export interface Ran {
  world: World;
  outcomes: Outcome[];
  /** The outcome of the last command. */
  last: Outcome;
}

/** Runs every command of `text` in order; parse errors fail the test helper loudly. */
export function run(text: string, opts: { seed?: number; world?: World; files?: Record<string, string> } = {}): Ran {
  const script = parseScript(text);
  const errors = script.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(`parse errors: ${errors.map((d) => `${d.line}:${d.column} ${d.message}`).join('; ')}`);
  const world = opts.world ?? createWorld({ seed: opts.seed ?? 1 });
  const outcomes = script.commands.map((c) => execute(world, c, opts.files ?? {}));
  return { world, outcomes, last: outcomes[outcomes.length - 1]! };
}

/** Runs the script and throws if any command but the last failed; returns the last outcome. */
export function runOk(text: string, opts: { seed?: number; world?: World; files?: Record<string, string> } = {}): Ran {
  const r = run(text, opts);
  r.outcomes.slice(0, -1).forEach((o, i) => {
    if (!o.ok) throw new Error(`command ${i + 1} failed: ${o.error}`);
  });
  return r;
}


/** A hand-built `docker` command, for subcommands the parser does not know (yet). */
export function dockerCmd(path: string[], args: string[], flags: [string, string | true][] = [], line = 1): DockerCommand {
  const span = { line, column: 1, length: 1 };
  return {
    kind: 'docker', line, span, text: `docker ${path.join(' ')} ${args.join(' ')}`,
    path, flags: flags.map(([name, value]) => ({ name, value, written: `--${name}`, span })),
    args: args.map((value) => ({ value, span })), command: [],
  };
}
