/**
 * A line the parser rejects (SPEC §5): a failed step where it stands, with the error the real tool
 * prints, the run going on as a shell would, and exit status 2. Docker's texts are docker/cli
 * v20.10's (cli/cobra.go FlagErrorFunc, cli/required.go, cmd/docker/docker.go).
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseScript } from '../../src/script/index.js';
import { runScript } from '../../src/index.js';
import { main } from '../../src/cli/main.js';

const run = (text: string) => runScript(text, { seed: 1 });

describe('the parser keeps what it rejects', () => {
  it('records each rejected command with its text, expectation and the tool\'s printed error', () => {
    const s = parseScript('docker network ls\nexpect-fail docker run --netwrok x img\nhost h1 extra\n');
    expect(s.commands.map((c) => c.line)).toEqual([1]);
    expect(s.rejected).toEqual([
      {
        line: 2, span: { line: 2, column: 13, length: 26 }, text: 'docker run --netwrok x img', expect: 'expect-fail',
        error: "unknown flag: --netwrok\nSee 'docker run --help'.",
      },
      expect.objectContaining({ line: 3, text: 'host h1 extra', error: expect.stringMatching(/^unexpected argument "extra"/) }),
    ]);
    // The diagnostic keeps the short text and points at the word; the step gets the whole text.
    expect(s.diagnostics.map((d) => [d.line, d.column, d.message])).toEqual([
      [2, 24, 'unknown flag: --netwrok'],
      [3, 9, expect.stringMatching(/^unexpected argument "extra"/)],
    ]);
  });

  it('prints docker\'s argument-count errors with the usage line and the short description', () => {
    expect(parseScript('docker network ls extra').rejected[0]!.error).toBe(
      "\"docker network ls\" accepts no arguments.\nSee 'docker network ls --help'.\n\nUsage:  docker network ls [OPTIONS]\n\nList networks",
    );
    expect(parseScript('docker network create').rejected[0]!.error).toBe(
      "\"docker network create\" requires exactly 1 argument.\nSee 'docker network create --help'.\n\nUsage:  docker network create [OPTIONS] NETWORK\n\nCreate a network",
    );
    // An alias reports the command's own path, as cobra's CommandPath does.
    expect(parseScript('docker network list --bogus').rejected[0]!.error).toBe("unknown flag: --bogus\nSee 'docker network ls --help'.");
    expect(parseScript('docker -x ps').rejected[0]!.error).toBe("unknown shorthand flag: 'x' in -x\nSee 'docker --help'.");
    expect(parseScript('docker bogus').rejected[0]!.error).toBe("docker: 'bogus' is not a docker command.\nSee 'docker --help'");
  });

  it('answers an unknown subcommand of docker network with the group\'s usage, as cobra\'s NoArgs does', () => {
    expect(parseScript('docker network craete n1').rejected[0]!.error).toBe([
      '', 'Usage:  docker network COMMAND', '', 'Manage networks', '', 'Commands:',
      '  connect     Connect a container to a network',
      '  create      Create a network',
      '  disconnect  Disconnect a container from a network',
      '  inspect     Display detailed information on one or more networks',
      '  ls          List networks',
      '  prune       Remove all unused networks',
      '  rm          Remove one or more networks',
      '', "Run 'docker network COMMAND --help' for more information on a command.",
    ].join('\n'));
  });

  it('adds the group\'s usage to a flag error of docker network, as FlagErrorFunc does for a group', () => {
    const error = parseScript('docker network --bogus ls').rejected[0]!.error;
    expect(error.startsWith("unknown flag: --bogus\nSee 'docker network --help'.\n\nUsage:  docker network COMMAND\n")).toBe(true);
    expect(error.endsWith("Run 'docker network COMMAND --help' for more information on a command.")).toBe(true);
  });

  it('keeps statements apart on one line and a line the lexer cannot read', () => {
    const s = parseScript('docker ps ; docker bogus ; docker ps\nexpect-fail docker network create "open\ndocker ps');
    expect(s.commands.map((c) => [c.line, c.span.column])).toEqual([[1, 1], [1, 28], [3, 1]]);
    expect(s.rejected.map((r) => [r.line, r.span.column, r.text, r.expect])).toEqual([
      [1, 13, 'docker bogus', undefined],
      [2, 1, 'docker network create "open', 'expect-fail'],
    ]);
    expect(s.rejected[1]!.error).toBe('The string is missing the terminator: ".');
  });
});

describe('a rejected line in a run', () => {
  it('is a failed step where it stands, and the lines after it run', async () => {
    const r = await run('docker network create -d nat n1\ndocker run --netwrok n1 img\ndocker network ls\n');
    expect(r.steps.map((s) => [s.line, s.ok])).toEqual([[1, true], [2, false], [3, true]]);
    expect(r.steps[1]).toEqual({
      line: 2, host: 'host1', command: 'docker run --netwrok n1 img', ok: false, output: '',
      error: "unknown flag: --netwrok\nSee 'docker run --help'.", warnings: [], traces: [], rejected: true,
    });
    expect(r.steps[2]!.output).toContain('n1');
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.line)).toEqual([2]);
  });

  it('keeps the order of statements sharing a line', async () => {
    const r = await run('docker network ls ; docker bogus ; docker ps');
    expect(r.steps.map((s) => [s.command, s.ok])).toEqual([['docker network ls', true], ['docker bogus', false], ['docker ps', true]]);
  });

  it('holds for expect-fail and not for expect', async () => {
    const r = await run('expect-fail docker run --netwrok x img\nexpect docker run --netwrok x img\n');
    expect(r.expectations).toEqual([
      { line: 1, ok: true },
      { line: 2, ok: false, message: 'the command failed: unknown flag: --netwrok' },
    ]);
  });

  it('shows in the transcript where it stands', async () => {
    const { formatTranscript } = await import('../../src/transcript.js');
    const text = formatTranscript(await run('docker network ls\ndocker run --netwrok x img\ndocker ps\n'));
    expect(text).toContain("PS C:\\> docker run --netwrok x img\nunknown flag: --netwrok\nSee 'docker run --help'.\n\nPS C:\\> docker ps");
  });
});

describe('packet-path run exit status with a rejected line', () => {
  async function exitOf(text: string): Promise<number> {
    const dir = mkdtempSync(join(tmpdir(), 'pp-rejected-'));
    const file = join(dir, 's.pp');
    writeFileSync(file, text);
    try {
      return await main(['run', file], () => true, () => true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('is 2 even when expect-fail holds for the rejected line', async () => {
    expect(await exitOf('expect-fail docker run --netwrok x img\n')).toBe(2);
  });

  it('is 2 rather than 1 when the rejected line is an unmet expect', async () => {
    expect(await exitOf('expect docker run --netwrok x img\n')).toBe(2);
  });

  it('is 0 for the same script without the rejected line', async () => {
    expect(await exitOf('expect-fail docker network rm nat\n')).toBe(0);
  });
});
