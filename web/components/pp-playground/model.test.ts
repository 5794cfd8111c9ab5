import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { composeFiles, runDiagnostics, stepForLine, stepWorld } from './model.js';
import { partWords } from './analysis.js';
import type { RunResult } from '../../../src/result.js';

const fixture = JSON.parse(readFileSync('tests/e2e/fixtures/nat-published.json', 'utf8')) as RunResult;

describe('playground model', () => {
  it('finds the step of a line, and of a continuation line', () => {
    const steps = [{ line: 2 }, { line: 3 }, { line: 6 }].map((s) => ({ ...s, host: 'h', command: '', ok: true, output: '', error: null, warnings: [], traces: [] }));
    const lines = ['# c', 'host a', 'docker network create `', '  -d nat `', '  x', 'docker ps'];
    expect(stepForLine(steps, 3, lines)).toBe(1);
    expect(stepForLine(steps, 5, lines)).toBe(1);
    expect(stepForLine(steps, 1, lines)).toBe(-1);
    expect(stepForLine(steps, 6, lines)).toBe(2);
  });

  it('gives the snapshot of a step, clamped to the recorded ones', () => {
    expect(stepWorld(fixture, 0)?.hosts[0].endpoints).toHaveLength(0);
    expect(stepWorld(fixture, 3)?.hosts[0].endpoints.map((e) => e.container)).toEqual(['web', 'db']);
    expect(stepWorld(fixture, 99)?.step).toBe(fixture.snapshots!.length - 1);
  });

  it('draws no world for a result without snapshots (never one made up from the host list)', () => {
    const { snapshots: _, ...bare } = fixture;
    expect(stepWorld(bare as RunResult, 2)).toBeUndefined();
  });

  it('turns run errors, warnings and failed expectations into editor diagnostics on their lines', () => {
    const d = runDiagnostics(fixture);
    // Line 10 is `expect-fail ...`: its failure was expected, so it is not flagged.
    expect(d.find((x) => x.line === 10)).toBeUndefined();
    expect(d.find((x) => x.line === 11)?.severity).toBe('warning');
    const broken = { ...fixture, expectations: [{ line: 10, ok: false, message: 'the command succeeded' }] };
    expect(runDiagnostics(broken).filter((x) => x.line === 10).map((x) => x.severity)).toEqual(['error', 'error']);
  });

  it('gives a line the parser rejected one marker in an editor that shows the parser\'s, and still counts it otherwise', () => {
    const rejected = { line: 3, host: 'host1', command: 'docker run --bogus x', ok: false, output: '', error: 'unknown flag: --bogus', warnings: [], traces: [], rejected: true };
    const r = { ...fixture, expectations: [], steps: [rejected] } as RunResult;
    expect(runDiagnostics(r, { besideParser: true })).toEqual([]);
    expect(runDiagnostics(r).map((d) => [d.line, d.severity, d.message])).toEqual([[3, 'error', 'unknown flag: --bogus']]);
  });

  it('maps the compose tab to every name docker compose -f uses', () => {
    const files = composeFiles('docker compose -f web.yml up\ndocker compose --file="other.yml" up', 'services: {}', 'docker-compose.yml');
    expect(Object.keys(files).sort()).toEqual(['docker-compose.yml', 'other.yml', 'web.yml']);
    expect(composeFiles('docker ps', '  ', 'x.yml')).toEqual({});
  });
});

describe('where two paths part, in words', () => {
  const hop = { at: 'host stack (Ethernet)', stage: 'acl', action: 'allow' };
  it('names the rule when only the rule differs, so the two sides never read the same', () => {
    const a = { ...hop, rule: 'Windows Firewall (host): rule "Docker published port TCP 8080 (web)" allow' };
    const b = { ...hop, rule: 'Windows Firewall (host): no rule matched, default allow' };
    expect(partWords(a, b)).not.toBe(partWords(b, a));
    expect(partWords(a, b)).toContain('Docker published port');
  });
  it('keeps to place, stage and action otherwise, and says when a path ended', () => {
    expect(partWords({ ...hop, rule: 'x' }, { ...hop, action: 'drop', rule: 'y' })).toBe('host stack (Ethernet): acl allow');
    expect(partWords(null, hop)).toBe('ended');
  });
});
