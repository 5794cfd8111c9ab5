/**
 * The packet walker and the stations, through runScript: what a packet does at each place, the
 * answers stations give, and the state the data planes keep between commands.
 */
import { describe, expect, it } from 'vitest';
import { runScript } from '../../src/index.js';
import type { RunResult, Step } from '../../src/result.js';

const run = (text: string, opts = {}) => runScript(text, { seed: 1, ...opts });
const step = (r: RunResult, prefix: string): Step => {
  const s = r.steps.find((x) => x.command.startsWith(prefix));
  if (!s) throw new Error(`no step ${prefix}`);
  return s;
};
const packets = (s: Step) => s.traces.flatMap((t) => t.packets);

describe('nat network on one host', () => {
  const script = [
    'docker run -d --name web mcr.microsoft.com/windows/servercore/iis',
    'docker run -d --name db mcr.microsoft.com/windows/servercore',
    'docker exec db ping -n 2 web',
    'docker exec web ping -n 1 8.8.8.8',
    'docker exec web curl http://db/',
  ].join('\n');

  it('answers a ping between containers with Windows TTL 128 (no decrement on the sender)', async () => {
    const r = await run(script);
    const s = step(r, 'docker exec db ping');
    expect(s.ok).toBe(true);
    expect(s.output).toMatch(/^Pinging web \[172\.\d+\.\d+\.\d+\] with 32 bytes of data:$/m);
    expect(s.output.match(/Reply from .*TTL=128/g)).toHaveLength(2);
    expect(s.output).toContain('Packets: Sent = 2, Received = 2, Lost = 0 (0% loss),');
  });

  it('resolves the name with a real DNS exchange at the gateway and shows the ARP it needed', async () => {
    const r = await run(script);
    const ps = packets(step(r, 'docker exec db ping'));
    expect(ps[0].summary).toMatch(/^UDP 172\.\S+ > 172\.\S+\.1:53/);
    expect(ps.some((p) => p.summary.startsWith('ARP who-has'))).toBe(true);
    expect(ps.some((p) => /^ARP \S+ is-at/.test(p.summary))).toBe(true);
    const dnsAnswer = ps.find((p) => /:53 > /.test(p.summary));
    expect(dnsAnswer?.verdict).toBe('delivered');
  });

  it('translates to the host address on the way out and back on the way in (WinNAT)', async () => {
    const r = await run(script);
    const s = step(r, 'docker exec web ping -n 1 8.8.8.8');
    expect(s.output).toContain('Reply from 8.8.8.8');
    const ps = packets(s);
    const req = ps.find((p) => p.summary.includes('> 8.8.8.8 echo request'))!;
    const out = req.hops.find((h) => h.stage === 'nat')!;
    expect(out.action).toMatch(/^translate/);
    expect(out.after['ip.src']).toBe('10.0.0.10');
    expect(out.node).toBe('winnat:host1');
    const reply = ps.find((p) => p.summary.startsWith('ICMP 8.8.8.8 > 10.0.0.10 echo reply'))!;
    const back = reply.hops.find((h) => h.stage === 'nat')!;
    expect(back.before['ip.dst']).toBe('10.0.0.10');
    expect(String(back.after['ip.dst'])).toMatch(/^172\./);
    expect(reply.verdict).toBe('delivered');
  });

  it('gets a RST from a container that does not listen, and curl says so', async () => {
    const r = await run(script);
    const s = step(r, 'docker exec web curl');
    expect(s.ok).toBe(false);
    expect(s.error).toMatch(/^curl: \(7\) Failed to connect to db port 80 after \d+ ms: Couldn't connect to server$/);
    expect(packets(s).some((p) => p.summary.includes('[R.]'))).toBe(true);
  });
});

describe('firewall and published ports', () => {
  it('ws2016: the published port is open, the rest of inbound is denied', async () => {
    const r = await run([
      'host h --os ws2016',
      'client laptop --ip 10.0.0.50',
      'docker run -d --name web -p 8080:80 mcr.microsoft.com/windows/servercore/iis',
      'client laptop curl -I http://10.0.0.10:8080/',
      'client laptop ping -n 1 10.0.0.10',
    ].join('\n'));
    const curl = step(r, 'client laptop curl');
    expect(curl.ok).toBe(true);
    expect(curl.output).toMatch(/^HTTP\/1\.1 200 OK/);
    const syn = packets(curl)[0];
    const fw = syn.hops.find((h) => h.stage === 'acl' && h.host === 'h' && h.at.startsWith('host stack'))!;
    expect(fw.rule).toContain('Docker published port TCP 8080');
    expect(fw.sourceLine).toBe(3);
    const nat = syn.hops.find((h) => h.stage === 'nat')!;
    expect(nat.after['tcp.dport']).toBe(80);
    const ping = step(r, 'client laptop ping');
    expect(ping.ok).toBe(false);
    expect(ping.output).toContain('Request timed out.');
    expect(packets(ping)[0].dropReason).toMatch(/default action/);
  });
});

describe('flood and snapshots', () => {
  it('pushes every packet through the recorded places and reports counts', async () => {
    const r = await run(['docker run -d --name web mcr.microsoft.com/windows/servercore/iis', 'flood web 8.8.8.8 udp/53 --packets 3000 --flows 16'].join('\n'), { snapshots: true });
    const s = step(r, 'flood');
    expect(s.output).toMatch(/3,000 packets of 64 bytes, 16 flows/);
    expect(s.output).toMatch(/delivered {2}3,000/);
    const sessions = r.snapshots!.at(-1)!.hosts[0].tables.natSessions;
    expect(sessions.filter((x) => x.protocol === 'UDP' && x.remote === '8.8.8.8:53')).toHaveLength(16);
  });
});
