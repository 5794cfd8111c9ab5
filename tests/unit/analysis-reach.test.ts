/**
 * The reachability matrix (src/analysis/reach.ts): a cell agrees with the example's own ping / curl /
 * Test-NetConnection step (same source, target and port, on the world just before that step), probes
 * do not see each other's state, and the plan (sources, targets, ports) follows the world.
 */
import { describe, expect, it } from 'vitest';
import { openWorld, planReach, probe, reach, parsePort, INTERNET_ADDRESS } from '../../src/index.js';
import type { ProbeRequest } from '../../src/index.js';
import type { Step } from '../../src/result.js';
import { worldSnapshot } from '../../src/sim/world-snapshot.js';
import { loadExample, runExample } from '../scenario/examples-support.js';

/** The probe a traffic step makes, or null for a form the test does not read. */
function requestOf(step: Step): ProbeRequest | null {
  const cmd = step.command.replace(/^expect(-fail)?\s+/, '');
  let from = step.host;
  let rest = cmd;
  const client = /^client (\S+) (.*)$/.exec(cmd);
  const exec = /^docker exec (\S+) (.*)$/.exec(cmd);
  if (client) [from, rest] = [client[1], client[2]];
  else if (exec) [from, rest] = [exec[1], exec[2]];
  const ping = /^ping (?:-n \d+ )?(\S+)$/.exec(rest);
  if (ping) return { from, to: ping[1], port: 'icmp' };
  const curl = /^curl (?:https?:\/\/)?([^/:\s]+)(?::(\d+))?\/?\S*$/.exec(rest);
  if (curl) return { from, to: curl[1], port: `tcp/${curl[2] ?? (/^https/.test(rest.slice(5)) ? 443 : 80)}` };
  const tnc = /^Test-NetConnection (\S+) -Port (\d+)$/i.exec(rest);
  if (tnc) return { from, to: tnc[1], port: `tcp/${tnc[2]}` };
  return null;
}

// The examples' own traffic steps are the evidence: each was checked against the Windows behaviour
// named in the example's header and in docs/behaviour.md. A cell must answer as its step did.
const EXAMPLES = ['01-nat-basics.pp', '03-nat-port-publishing.pp', '05-transparent-static.pp', '10-l2bridge.pp', '16-nat-loopback.pp', '27-tip03-dhcp-mac-spoofing.pp', '42-localhost-published-ports.pp'];

describe('a matrix cell agrees with the equivalent step', () => {
  for (const name of EXAMPLES) {
    it(name, async () => {
      const ex = loadExample(name);
      const run = await runExample(ex);
      const steps = run.steps.filter((s) => requestOf(s) && !s.error?.startsWith('Error response from daemon'));
      expect(steps.length).toBeGreaterThan(0);
      for (const step of steps) {
        const req = requestOf(step)!;
        const w = await openWorld(ex.text, { seed: 1, readFile: ex.readFile, at: step.line - 1 });
        const cell = probe(w, req);
        expect({ line: step.line, command: step.command, reachable: cell.result === 'reachable' }).toEqual({ line: step.line, command: step.command, reachable: step.ok });
      }
    });
  }
});

describe('probes are isolated', () => {
  it('a probe gives the same cell and packets whatever ran before it, and the planes come back byte for byte', async () => {
    const ex = loadExample('03-nat-port-publishing.pp');
    const w = await openWorld(ex.text, { seed: 1, readFile: ex.readFile });
    const before = w.saved.memories.map((m) => m.core.bytes().slice());
    const req = { from: 'laptop', to: '10.0.0.10', port: 'tcp/8080' };
    const first = probe(w, req);
    // Probes that create NAT sessions, learn neighbours and MACs on the same planes.
    probe(w, { from: 'web', to: INTERNET_ADDRESS, port: 'tcp/80' });
    probe(w, { from: 'host1', to: 'localhost', port: 'tcp/8080' });
    const again = probe(w, req);
    expect(first.result).toBe('reachable');
    expect(again).toEqual(first);
    w.saved.memories.forEach((m, k) => expect(Buffer.compare(m.core.bytes(), before[k])).toBe(0));
  });

  it('every cell of a matrix answers the same in reverse order (no probe sees what another left)', async () => {
    const ex = loadExample('03-nat-port-publishing.pp');
    const w = await openWorld(ex.text, { seed: 1, readFile: ex.readFile });
    const plan = planReach(w);
    const forward = plan.requests.map((r) => probe(w, r));
    const backward = [...plan.requests].reverse().map((r) => probe(w, r)).reverse();
    expect(backward).toEqual(forward);
    // And each agrees with a world opened for it alone (the first probe of a fresh run).
    for (const k of [0, 37, 101, forward.length - 1]) {
      const fresh = await openWorld(ex.text, { seed: 1, readFile: ex.readFile });
      expect(probe(fresh, plan.requests[k])).toEqual(forward[k]);
    }
  });

  it('state the world had at the line stays: the NAT session of the curl at line 15 is there before and after probes', async () => {
    // Example 03 line 15: `client laptop curl http://10.0.0.10:8080/` goes through WinNAT's static mapping.
    const ex = loadExample('03-nat-port-publishing.pp');
    const w = await openWorld(ex.text, { seed: 1, readFile: ex.readFile, at: 15 });
    const sessions = () => worldSnapshot(w.sim, w.world, 0).hosts[0].tables.natSessions.map((s) => `${s.protocol} ${s.internal} ${s.external} ${s.remote}`);
    const n0 = sessions();
    expect(n0.length).toBeGreaterThan(0);
    probe(w, { from: 'laptop', to: '10.0.0.10', port: 'tcp/8080' });
    probe(w, { from: 'web', to: INTERNET_ADDRESS, port: 'tcp/443' });
    expect(sessions()).toEqual(n0);
  });
});

describe('the plan', () => {
  it('sources, targets and ports follow the world; a client is not asked to reach itself or localhost', async () => {
    const ex = loadExample('03-nat-port-publishing.pp');
    const w = await openWorld(ex.text, { seed: 1, readFile: ex.readFile });
    const plan = planReach(w);
    expect(plan.sources.map((s) => s.name)).toEqual(['web', 'host1', 'laptop', 'internet']);
    expect(plan.destinations.map((d) => d.name)).toContain('web');
    expect(plan.destinations.map((d) => d.name)).toContain('10.0.0.10');
    expect(plan.destinations.map((d) => d.name)).toContain('localhost');
    // Example 03 publishes 8080:80 (line 10).
    expect(plan.ports).toEqual(['icmp', 'tcp/80', 'tcp/443', 'udp/53', 'tcp/8080']);
    expect(plan.requests.some((r) => r.from === 'laptop' && (r.to === 'laptop' || r.to === '10.0.0.50' || r.to === 'localhost'))).toBe(false);
    // 4 sources × 9 targets, less laptop → (laptop, 10.0.0.50, localhost) and internet → (its address, localhost).
    expect(plan.destinations.length).toBe(9);
    expect(plan.requests.length).toBe((4 * 9 - 5) * 5);
  });

  it('--at takes the world at that line: before `docker run` there is no container and no published port', async () => {
    const ex = loadExample('03-nat-port-publishing.pp');
    const r = await reach(ex.text, { at: 9, readFile: ex.readFile });
    expect(r.at).toBe(9);
    expect(r.sources.some((s) => s.kind === 'container')).toBe(false);
    expect(r.ports).not.toContain('tcp/8080');
  });

  it('parses ports as written', () => {
    expect(parsePort('icmp')).toEqual({ proto: 'icmp', port: 0 });
    expect(parsePort('TCP/80')).toEqual({ proto: 'tcp', port: 80 });
    expect(parsePort('53/udp')).toEqual({ proto: 'udp', port: 53 });
    expect(parsePort('tcp/0')).toBeNull();
    expect(parsePort('tcp/65536')).toBeNull();
    expect(parsePort('sctp/1')).toBeNull();
  });
});

describe('cells', () => {
  it('a blocked cell names the hop, its stage and the script line that made the rule', async () => {
    // Example 15 (lines 26-27): a block rule in the container's own firewall stops curl (docs/behaviour.md).
    const text = [
      'host new --os ws1709 --ip 10.0.0.22/24',
      'docker run -d --name web microsoft/iis',
      'docker run -d --name probe microsoft/nanoserver',
      '',
      'docker exec web netsh advfirewall firewall add rule name="no http" dir=in action=block protocol=tcp localport=80',
    ].join('\n');
    const w = await openWorld(text, { seed: 1 });
    const cell = probe(w, { from: 'probe', to: 'web', port: 'tcp/80' });
    expect(cell.result).toBe('blocked');
    expect(cell.hop?.stage).toBe('acl');
    expect(cell.direction).toBe('request');
    expect(cell.line).toBe(5);
    expect(cell.hop?.line).toBe(5);
    // The same probe before the rule (line 4): open.
    const before = await openWorld(text, { seed: 1, at: 4 });
    expect(probe(before, { from: 'probe', to: 'web', port: 'tcp/80' }).result).toBe('reachable');
  });

  it('the NAT hops of a published port name the `docker run -p` line, both ways', async () => {
    // Example 03 line 10: `docker run -d --name web -p 8080:80 microsoft/iis` makes the WinNAT static mapping.
    const ex = loadExample('03-nat-port-publishing.pp');
    const w = await openWorld(ex.text, { seed: 1, readFile: ex.readFile });
    const cell = probe(w, { from: 'laptop', to: '10.0.0.10', port: 'tcp/8080' });
    const nat = (cell.traces ?? []).flatMap((t) => t.packets).flatMap((p) => p.hops).filter((h) => h.stage === 'nat');
    expect(nat.length).toBeGreaterThanOrEqual(2);
    expect(nat.map((h) => h.sourceLine)).toEqual(nat.map(() => 10));
  });

  it('an unknown source is a no-answer cell that says so; a bad port is refused', async () => {
    const ex = loadExample('01-nat-basics.pp');
    const w = await openWorld(ex.text, { seed: 1, readFile: ex.readFile });
    const cell = probe(w, { from: 'nobody', to: 'web', port: 'icmp' });
    expect(cell.result).toBe('no-answer');
    expect(cell.detail).toMatch(/nobody/);
    expect(() => probe(w, { from: 'web', to: 'web', port: 'tcp/99999' })).toThrow(RangeError);
  });
});
