/** Script edits of "Why not?" fixes: applying them, where old lines land, and the re-run's verdict. */
import { describe, expect, it } from 'vitest';
import { applyEdits, judge, lineMap, withFlagValues, withoutFlag, type ScriptEdit } from '../../src/analysis/fixes.js';
import { parseScript } from '../../src/script/parser.js';
import type { DockerCommand } from '../../src/script/ast.js';
import type { RunResult } from '../../src/result.js';

const text = 'a\nb\nc\nd';

describe('applyEdits and lineMap', () => {
  it('inserts before a line, replaces and deletes on the old numbering', () => {
    const edits: ScriptEdit[] = [
      { kind: 'insert', before: 2, lines: ['x', 'y'] },
      { kind: 'replace', line: 3, text: 'C', was: 'c' },
      { kind: 'delete', line: 4, was: 'd' },
      { kind: 'insert', before: 5, lines: ['end'] },
    ];
    expect(applyEdits(text, edits)).toBe('a\nx\ny\nb\nC\nend');
    const at = lineMap(4, edits);
    expect([1, 2, 3, 4].map(at)).toEqual([1, 4, 5, null]);
  });

  it('keeps \\r\\n scripts line for line', () => {
    expect(applyEdits('a\r\nb', [{ kind: 'replace', line: 2, text: 'B', was: 'b' }])).toBe('a\nB');
  });
});

describe('flag edits on a parsed line', () => {
  const line = 'expect docker network create -d nat --subnet=10.0.0.0/24 --gateway=10.0.0.1 n';
  const cmd = parseScript(line).commands[0] as DockerCommand;
  const flag = (n: string) => cmd.flags.find((f) => f.name === n)!;

  it('changes two values on one line (right to left, spans stay valid)', () => {
    expect(withFlagValues(line, [{ flag: flag('subnet'), value: '172.16.1.0/24' }, { flag: flag('gateway'), value: '172.16.1.1' }]))
      .toBe('expect docker network create -d nat --subnet=172.16.1.0/24 --gateway=172.16.1.1 n');
  });

  it('removes a flag and its value', () => {
    expect(withoutFlag(line, flag('gateway'))).toBe('expect docker network create -d nat --subnet=10.0.0.0/24 n');
  });
});

describe('judge', () => {
  const run = (exp: [number, boolean][]): RunResult => ({
    version: 1, hosts: [], diagnostics: [],
    steps: exp.map(([line, ok]) => ({ line, host: 'h', command: 'c', ok, output: '', error: null, warnings: [], traces: [] })),
    expectations: exp.map(([line, ok]) => ({ line, ok })),
  });

  it('verifies when the symptom passes and every expectation that held still holds', () => {
    const edits: ScriptEdit[] = [{ kind: 'insert', before: 2, lines: ['fix'] }];
    expect(judge(run([[1, true], [2, false]]), run([[1, true], [2, true], [3, true]]), 2, edits, 2).verified).toBe(true);
  });

  it('refuses a fix that leaves the symptom, or breaks an expectation that held', () => {
    const edits: ScriptEdit[] = [{ kind: 'insert', before: 2, lines: ['fix'] }];
    expect(judge(run([[1, true], [2, false]]), run([[1, true], [3, false]]), 2, edits, 2).reason).toMatch(/line 2 still fails/);
    const broke = judge(run([[1, true], [2, false]]), run([[1, false], [3, true]]), 2, edits, 2);
    expect(broke.verified).toBe(false);
    expect(broke.broken).toEqual([1]);
  });

  it('a fix that deletes the symptom\'s own line is not a fix', () => {
    const edits: ScriptEdit[] = [{ kind: 'delete', line: 2, was: 'x' }];
    expect(judge(run([[1, true], [2, false]]), run([[1, true]]), 2, edits, 2).reason).toMatch(/removes the line itself/);
  });
});
