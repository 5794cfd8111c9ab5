/**
 * Every hop names the script line that made the rule or table entry that acted (issue 11: a matrix
 * cell and "Why?" point at a line): routes carry the line of the interface they come from (the
 * container's `docker run`, the host's NIC), a VXLAN encap the line of the remote container.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { runScript } from '../../src/index.js';

async function pingHops(example: string, command: RegExp) {
  const text = readFileSync(`examples/${example}.pp`, 'utf8');
  const r = await runScript(text, {});
  const step = r.steps.find((s) => command.test(s.command))!;
  const echo = step.traces.flatMap((t) => t.packets).find((p) => p.summary.startsWith('ICMP'))!;
  const lineOf = (re: RegExp) => text.split('\n').findIndex((l) => re.test(l)) + 1;
  return { hops: echo.hops, lineOf };
}

describe('the script line behind a hop', () => {
  it('a container\'s route is its docker run; the VXLAN encap names the remote container\'s line', async () => {
    const { hops, lineOf } = await pingHops('07-overlay-swarm', /ping -n 1 web$/);
    const appRun = lineOf(/^docker run .*--name app\b/);
    const webRun = lineOf(/^docker run .*--name web\b/);
    expect(appRun).toBeGreaterThan(0);
    expect(hops.find((h) => h.stage === 'route')?.sourceLine).toBe(appRun);
    expect(hops.find((h) => h.stage === 'vxlan-encap')?.sourceLine).toBe(webRun);
  });

  it('on one host: the route out of web is web\'s docker run', async () => {
    const { hops, lineOf } = await pingHops('01-nat-basics', /ping -n 1 db$/);
    expect(hops.find((h) => h.stage === 'route')?.sourceLine).toBe(lineOf(/^docker run .*--name web\b/));
  });
});
