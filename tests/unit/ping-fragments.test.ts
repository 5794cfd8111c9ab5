/**
 * ping with IPv4 fragmentation, end to end through the data planes. Windows' ping sets no DF
 * unless -f is given; the sending stack fragments at its interface's MTU (RFC 791), the receiver
 * reassembles and answers the whole echo (RFC 792: the reply carries the request's data), fragmented
 * the same way. With -f a datagram above the MTU is not sent: ping prints "Packet needs to be
 * fragmented but DF set." (cpp-icmplib #7, a pasted Windows `ping -f -l 1500`).
 */
import { describe, expect, it } from 'vitest';
import { runScript } from '../../src/index.js';
import type { RunResult, Step } from '../../src/result.js';

const step = (r: RunResult, cmd: string): Step => r.steps.find((s) => s.command === cmd)!;
const summaries = (s: Step): string[] => s.traces.flatMap((t) => t.packets.map((p) => p.summary));

describe('ping with IPv4 fragments', () => {
  it('container to container on nat: 1473 bytes go as two fragments each way, the reply has all the bytes', async () => {
    const r = await runScript(['docker run -d --name a img', 'docker run -d --name b img', 'docker exec a ping -n 1 -l 1473 b'].join('\n'), { seed: 1 });
    const s = step(r, 'docker exec a ping -n 1 -l 1473 b');
    expect(s.ok).toBe(true);
    expect(s.output).toMatch(/Reply from 172\.\S+: bytes=1473 /);
    const frags = summaries(s).filter((x) => / frag id=\d+/.test(x));
    // Request and reply: a first fragment (ICMP header, MF) and one at offset 1480 each.
    expect(frags.filter((x) => /echo request .*\[MF\]/.test(x)).length).toBe(1);
    expect(frags.filter((x) => /echo reply .*\[MF\]/.test(x)).length).toBe(1);
    expect(frags.filter((x) => / off=1480 proto 1 len=1\b/.test(x)).length).toBe(2);
  });

  it('through WinNAT to the internet: ping -l 65500 is answered; every fragment is translated', async () => {
    const r = await runScript(['client bing --ip 204.79.197.200 --internet', 'docker run -d --name web img', 'docker exec web ping -n 1 -l 65500 bing'].join('\n'), { seed: 1 });
    const s = step(r, 'docker exec web ping -n 1 -l 65500 bing');
    expect(s.ok).toBe(true);
    expect(s.output).toContain('Reply from 204.79.197.200: bytes=65500 ');
    const packets = s.traces.flatMap((t) => t.packets).filter((p) => /frag id=/.test(p.summary));
    // 65,508 bytes of ICMP in 45 fragments each way.
    expect(packets.length).toBe(90);
    for (const p of packets) {
      expect(p.verdict).toBe('delivered');
      expect(p.hops.some((h) => h.stage === 'nat' && h.action.startsWith('translate'))).toBe(true);
    }
  });

  it('ping -f: "Packet needs to be fragmented but DF set." for each echo, counted as lost; 1472 bytes still fit', async () => {
    const r = await runScript(['docker run -d --name a img', 'docker run -d --name b img', 'docker exec a ping -n 2 -f -l 1473 b', 'docker exec a ping -n 1 -f -l 1472 b'].join('\n'), { seed: 1 });
    const s = step(r, 'docker exec a ping -n 2 -f -l 1473 b');
    expect(s.ok).toBe(false);
    expect(s.output.split('\n').filter((l) => l === 'Packet needs to be fragmented but DF set.').length).toBe(2);
    expect(s.output).toContain('Packets: Sent = 2, Received = 0, Lost = 2 (100% loss),');
    expect(summaries(s).filter((x) => x.startsWith('ICMP') || x.includes('proto 1'))).toEqual([]);
    expect(step(r, 'docker exec a ping -n 1 -f -l 1472 b').ok).toBe(true);
  });

  it('the firewall judges the datagram, not its fragments: what blocks a small ping blocks a fragmented one', async () => {
    // ws2016: containers deny inbound by default (docs/behaviour.md, Firewall); a host rule blocks ICMP.
    const r = await runScript([
      'host h --os ws2016 --ip 10.0.0.10/24', 'docker run -d --name a img', 'docker run -d --name b img', 'client lap --ip 10.0.0.50',
      'docker exec a ping -n 1 b', 'docker exec a ping -n 1 -l 2000 b',
      'netsh advfirewall firewall add rule name=blk dir=in action=block protocol=icmpv4',
      'client lap ping -n 1 10.0.0.10', 'client lap ping -n 1 -l 3000 10.0.0.10', 'ping -n 1 -l 3000 lap',
    ].join('\n'), { seed: 1 });
    for (const cmd of ['docker exec a ping -n 1 b', 'docker exec a ping -n 1 -l 2000 b', 'client lap ping -n 1 10.0.0.10', 'client lap ping -n 1 -l 3000 10.0.0.10']) {
      expect(step(r, cmd).output, cmd).toContain('Request timed out.');
    }
    // The host's own fragmented ping out: its reply's fragments follow the flow the request opened.
    expect(step(r, 'ping -n 1 -l 3000 lap').output).toContain('Reply from 10.0.0.50: bytes=3000 ');
  });
});
