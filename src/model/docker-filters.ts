/**
 * `--filter key=value` of the list commands: the client's parse (docker/cli v20.10.24 opts/opts.go
 * FilterOpt.Set) and the daemon's matching (moby v20.10.24 api/types/filters/parse.go Args:
 * Validate, ExactMatch, Match as a regular expression, MatchKVList).
 */
import type { DockerCommand } from '../script/ast.js';
import { flagValues } from './args.js';
import { daemon, fail } from './errors.js';

export class FilterArgs {
  private readonly fields = new Map<string, string[]>();

  /** Parses each `--filter` of the command as the client does (`name=value`, name lower-cased, both trimmed). */
  static of(cmd: DockerCommand, flag = 'filter', short: string | undefined = 'f'): FilterArgs {
    const args = new FilterArgs();
    for (const raw of flagValues(cmd.flags, flag, ...(short ? [short] : []))) {
      if (raw === '') continue;
      const i = raw.indexOf('=');
      if (i < 0) fail(`invalid argument "${raw}" for "${short ? `-${short}, ` : ''}--${flag}" flag: bad format of filter (expected name=value)`);
      const name = raw.slice(0, i).trim().toLowerCase();
      const values = args.fields.get(name) ?? [];
      const value = raw.slice(i + 1).trim();
      if (!values.includes(value)) values.push(value);
      args.fields.set(name, values);
    }
    return args;
  }

  get size(): number {
    return this.fields.size;
  }

  /** Refuses keys the daemon does not accept: `Invalid filter 'X'` (the first one given). */
  validate(accepted: readonly string[]): void {
    for (const name of this.fields.keys()) if (!accepted.includes(name)) fail(daemon(`Invalid filter '${name}'`));
  }

  has(key: string): boolean {
    return this.fields.has(key);
  }

  get(key: string): string[] {
    return this.fields.get(key) ?? [];
  }

  /** True when the key is not filtered or one value equals the source. */
  exactMatch(key: string, source: string): boolean {
    const values = this.fields.get(key);
    return !values || values.length === 0 || values.includes(source);
  }

  /** exactMatch, else one value as a regular expression found in the source (invalid expressions skipped). */
  match(key: string, source: string): boolean {
    if (this.exactMatch(key, source)) return true;
    for (const v of this.get(key)) {
      let re: RegExp;
      try {
        re = new RegExp(v);
      } catch {
        continue;
      }
      if (re.test(source)) return true;
    }
    return false;
  }

  /** Every `label` value (`key` or `key=value`) present in the map. */
  matchKVList(key: string, sources: Record<string, string>): boolean {
    const values = this.get(key);
    if (values.length === 0) return true;
    if (Object.keys(sources).length === 0) return false;
    return values.every((v) => {
      const i = v.indexOf('=');
      const k = i < 0 ? v : v.slice(0, i);
      if (!(k in sources)) return false;
      return i < 0 || sources[k] === v.slice(i + 1);
    });
  }
}
