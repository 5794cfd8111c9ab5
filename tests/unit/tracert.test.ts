/**
 * tracert and ping -i (issue 9 items 2 and 6): the hop that drops an expired TTL answers with ICMP
 * Time Exceeded, and the tools print what Windows prints (docs/behaviour.md, "tracert and ping -i").
 * Sources:
 * - tracert's layout: ReactOS tracert (base/applications/network/tracert: `%3lu  ` hop, `%4lu ms  `,
 *   `  <1 ms  `, `   *     `, `Request timed out.`, "Unable to resolve target system name %1.",
 *   three echo requests per hop, the address of the third answer) and real pasted runs:
 *   MicrosoftDocs/windowsserverdocs #6605 and BornToBeRoot/NETworkManager #310 (an address target:
 *   "Tracing route to 8.8.8.8 over a maximum of 30 hops", no colon, one line), ipbalance.com's pasted
 *   run (a name: "Tracing route to NAME [IP]" / "over a maximum of 30 hops:"), rackerlabs/rackspace-
 *   how-to #2593 (the usage text).
 * - ping -i: "Reply from ROUTER: TTL expired in transit." counted as received, no round-trip lines
 *   (a pasted `ping 8.8.8.8 -i 4` in CompTIA Network+ Certification Guide; uni.edu's pasted ping -i 4).
 * - ICMP Time Exceeded: RFC 792 (type 11 code 0, the IP header + 8 bytes quoted), RFC 1812 §4.3.2.4
 *   (from the interface the packet came in on), §4.3.2.7 (none about an ICMP error).
 */
import { describe, expect, it } from 'vitest';
import { runScript } from '../../src/index.js';
import { Stations } from '../../src/sim/stations.js';
import { buildFrame } from '../../src/wire/build.js';
import { frameView } from '../../src/sim/frame-view.js';
import { ensureTshark, tsharkCheckFrames } from '../support/tshark.js';

async function run(lines: string[], opts: { pcap?: boolean } = {}) {
  const r = await runScript(lines.join('\n') + '\n', { seed: 1, ...opts });
  const at = (i: number) => {
    const s = r.steps.find((x) => x.line === i + 1);
    if (!s) throw new Error(`no step at line ${i + 1}`);
    return s;
  };
  return { r, out: (i: number) => at(i).output, err: (i: number) => at(i).error, ok: (i: number) => at(i).ok, step: at };
}

const LAN = ['host h --os ws2019', 'client laptop --ip 10.0.0.50', 'docker run -d --name web mcr.microsoft.com/windows/servercore/iis'];

describe('tracert', () => {
  it('from a nat container: the host forwards (hop 1, its vEthernet (nat) address), then the LAN client', async () => {
    const r = await run([...LAN, 'docker exec web tracert -d 10.0.0.50']);
    expect(r.ok(3)).toBe(true);
    expect(r.out(3)).toBe([
      '',
      'Tracing route to 10.0.0.50 over a maximum of 30 hops',
      '',
      '  1    <1 ms    <1 ms    <1 ms  172.29.48.1',
      // The first probe past the host waits for the host's ARP for 10.0.0.50 (0.05 ms a hop, docs/behaviour.md).
      '  2     1 ms    <1 ms    <1 ms  10.0.0.50',
      '',
      'Trace complete.',
    ].join('\n'));
  });

  it('a name target: "Tracing route to NAME [IP]" and "over a maximum of N hops:"; -h bounds the hops', async () => {
    const r = await run(['host h --os ws2019', 'client bing --ip 204.79.197.200 --internet', 'tracert -h 3 bing']);
    expect(r.ok(2)).toBe(false);
    expect(r.out(2)).toBe([
      '',
      'Tracing route to bing [204.79.197.200]',
      'over a maximum of 3 hops:',
      '',
      '  1    <1 ms    <1 ms    <1 ms  10.0.0.1',
      '  2     *        *        *     Request timed out.',
      '  3     *        *        *     Request timed out.',
      '',
      'Trace complete.',
    ].join('\n'));
  });

  it('the internet is ten routers past the LAN router (its answers arrive with TTL 54): the target is hop 12 from a host', async () => {
    const r = await run(['host h --os ws2019', 'tracert 8.8.8.8']);
    const lines = r.out(1).split('\n');
    expect(lines.filter((l) => /^ {1,2}\d+ {5}\* {8}\* {8}\* {5}Request timed out\.$/.test(l))).toHaveLength(10);
    expect(lines).toContain(' 12    <1 ms    <1 ms    <1 ms  8.8.8.8');
    expect(lines.at(-1)).toBe('Trace complete.');
  });

  it('an unknown name, no target, an unknown option: tracert\'s own texts', async () => {
    const r = await run(['host h --os ws2019', 'tracert nosuchname', 'tracert', 'tracert -x 10.0.0.1', 'tracert -h 0 10.0.0.1']);
    expect(r.out(1)).toBe('Unable to resolve target system name nosuchname.');
    expect(r.ok(1)).toBe(false);
    expect(r.err(2)).toMatch(/^\nUsage: tracert \[-d\] \[-h maximum_hops\] \[-j host-list\] \[-w timeout\]\n {15}\[-R\] \[-S srcaddr\] \[-4\] \[-6\] target_name\n/);
    expect(r.err(3)).toMatch(/^-x is not a valid command option\.\n\nUsage: tracert/);
    expect(r.err(4)).toMatch(/tracert -h 0: the hop count is a TTL, from 1 to 255/);
  });

  it('runs on a LAN client and through powershell -Command in a container', async () => {
    const r = await run([...LAN, 'client laptop tracert -d 10.0.0.10', 'docker exec web powershell -Command "tracert -d -h 1 10.0.0.50"']);
    expect(r.out(3)).toContain('  1    <1 ms    <1 ms    <1 ms  10.0.0.10');
    expect(r.out(4)).toContain('  1    <1 ms    <1 ms    <1 ms  172.29.48.1');
  });

  it('the router\'s Time Exceeded to a nat container dies at WinNAT, which translates only echo requests and replies', async () => {
    const r = await run([...LAN, 'client bing --ip 204.79.197.200 --internet', 'docker exec web tracert -d -h 2 bing']);
    expect(r.out(4).split('\n')).toContain('  2     *        *        *     Request timed out.');
    const te = r.step(4).traces!.flatMap((t) => t.packets).filter((p) => p.summary.includes('time exceeded'));
    // Hop 1's three answers from the host reach the container; hop 2's from the router stop at the host.
    expect(te.filter((p) => p.summary.startsWith('ICMP 172.29.48.1 >'))).toHaveLength(3);
    expect(te.filter((p) => p.summary.startsWith('ICMP 10.0.0.1 >'))).toHaveLength(3);
  });

  it('localhost: ::1 inside the stack, named after the computer as ping names it (docs/behaviour.md, localhost)', async () => {
    const r = await run([...LAN, 'tracert localhost', 'docker exec web tracert -d localhost']);
    expect(r.out(3)).toBe(['', 'Tracing route to H [::1]', 'over a maximum of 30 hops:', '', '  1    <1 ms    <1 ms    <1 ms  H [::1]', '', 'Trace complete.'].join('\n'));
    expect(r.out(4)).toMatch(/^\nTracing route to \S+ \[::1\]\nover a maximum of 30 hops:\n\n {2}1 {4}<1 ms {4}<1 ms {4}<1 ms {2}::1\n\nTrace complete\.$/);
  });
});

describe('Test-NetConnection after a failed TCP test', () => {
  // PowerShell/PowerShell #25818 (a successful TCP test skips the ping) and pasted outputs of failed
  // ports (`WARNING: TCP connect to (IP : PORT) failed`, the ping's warning, PingSucceeded,
  // `PingReplyDetails (RTT) : 0 ms`, `TcpTestSucceeded : False`).
  it('pings, and lists PingSucceeded and PingReplyDetails before TcpTestSucceeded', async () => {
    const r = await run(['host h --os ws2019', 'Test-NetConnection 10.0.0.1 -Port 81', 'Test-NetConnection 10.0.0.77 -Port 80']);
    expect(r.out(1)).toBe([
      'WARNING: TCP connect to (10.0.0.1 : 81) failed', '',
      'ComputerName           : 10.0.0.1',
      'RemoteAddress          : 10.0.0.1',
      'RemotePort             : 81',
      'InterfaceAlias         : Ethernet',
      'SourceAddress          : 10.0.0.10',
      'PingSucceeded          : True',
      'PingReplyDetails (RTT) : 0 ms',
      'TcpTestSucceeded       : False', '',
    ].join('\n'));
    expect(r.out(2).split('\n').slice(0, 2)).toEqual(['WARNING: TCP connect to (10.0.0.77 : 80) failed', 'WARNING: Ping to 10.0.0.77 failed with status: TimedOut']);
    expect(r.out(2)).toContain('PingSucceeded          : False\nPingReplyDetails (RTT) : 0 ms\nTcpTestSucceeded       : False');
  });

  it('a successful TCP test lists no ping rows', async () => {
    const r = await run(['host h --os ws2019', 'docker run -d --name web mcr.microsoft.com/windows/servercore/iis', 'Test-NetConnection 172.29.49.190 -Port 80']);
    expect(r.out(2)).not.toContain('PingSucceeded');
    expect(r.out(2)).toContain('TcpTestSucceeded : True');
  });

  it('a ping test that fails keeps the PingReplyDetails row at 0 ms', async () => {
    const r = await run(['host h --os ws2019', 'Test-NetConnection 10.0.0.77']);
    expect(r.out(1)).toContain('PingSucceeded          : False\nPingReplyDetails (RTT) : 0 ms\n');
  });
});

describe('Test-NetConnection -InformationLevel', () => {
  // MicrosoftDocs Test-NetConnection (-InformationLevel Quiet returns a Boolean; the accepted values);
  // the NetTCPIP function returns the TCP result without pinging, after its warning.
  it('Quiet prints the Boolean after the warnings; Detailed says it is not simulated; another value is refused', async () => {
    const r = await run(['host h --os ws2019', 'Test-NetConnection 10.0.0.1 -InformationLevel Quiet', 'Test-NetConnection 10.0.0.1 -Port 81 -InformationLevel Quiet', 'Test-NetConnection 10.0.0.1 -InformationLevel Detailed', 'Test-NetConnection 10.0.0.1 -InformationLevel Loud']);
    expect(r.out(1)).toBe('True');
    expect(r.out(2)).toBe('WARNING: TCP connect to (10.0.0.1 : 81) failed\nFalse');
    expect(r.err(3)).toMatch(/does not simulate -InformationLevel Detailed/);
    expect(r.err(4)).toMatch(/^Test-NetConnection : Cannot validate argument on parameter 'InformationLevel'\. The argument "Loud" does not belong to the set "Quiet,Detailed"/);
  });
});

describe('Test-NetConnection -TraceRoute', () => {
  it('says it is not simulated (it was ignored: a plain ping result came back) and points to tracert', async () => {
    const r = await run(['host h --os ws2019', 'Test-NetConnection 8.8.8.8 -TraceRoute', 'docker run -d --name web mcr.microsoft.com/windows/servercore/iis', 'docker exec web powershell -Command "Test-NetConnection 8.8.8.8 -Hops 3"']);
    expect(r.ok(1)).toBe(false);
    expect(r.err(1)).toBe('Test-NetConnection : Packet Path does not simulate -TraceRoute/-Hops (the layout of its TraceRoute row is not established); tracert 8.8.8.8 traces the same path');
    expect(r.err(3)).toMatch(/does not simulate -TraceRoute\/-Hops/);
  });
});

describe('ping -i', () => {
  it('"Reply from ROUTER: TTL expired in transit." is counted as received, without round-trip lines', async () => {
    const r = await run(['host h --os ws2019', 'ping -i 1 -n 2 8.8.8.8']);
    expect(r.out(1)).toBe([
      '',
      'Pinging 8.8.8.8 with 32 bytes of data:',
      'Reply from 10.0.0.1: TTL expired in transit.',
      'Reply from 10.0.0.1: TTL expired in transit.',
      '',
      'Ping statistics for 8.8.8.8:',
      '    Packets: Sent = 2, Received = 2, Lost = 0 (0% loss),',
    ].join('\n'));
  });

  it('a TTL large enough reaches the target; -i out of range is ping\'s own error', async () => {
    const r = await run([...LAN, 'docker exec web ping -i 2 -n 1 10.0.0.50', 'ping -i 256 10.0.0.50']);
    // The LAN client answers with its own TTL 64; the host forwards the reply to the container (63).
    expect(r.out(3)).toContain('Reply from 10.0.0.50: bytes=32 time=1ms TTL=63');
    expect(r.err(4)).toBe('Bad value for option -i, valid range is from 1 to 255.');
  });

  it('the trace shows the Time Exceeded packet and the drop that caused it; the pcap has it', async () => {
    const r = await run([...LAN, 'docker exec web ping -i 1 -n 1 10.0.0.50'], { pcap: true });
    const packets = r.step(3).traces!.flatMap((t) => t.packets);
    const req = packets.find((p) => p.summary.includes('echo request'))!;
    expect(req.verdict).toBe('dropped');
    expect(req.hops.at(-1)!.rule).toMatch(/TTL expired: ICMP Time Exceeded sent from 172\.29\.48\.1 to 172\.29\./);
    const te = packets.find((p) => p.summary.includes('time exceeded in transit'))!;
    expect(te.verdict).toBe('delivered');
    expect(te.frames!.length).toBeGreaterThan(0);
  });
});

describe('Time Exceeded (the station\'s answer)', () => {
  const stations = new Stations({ world: { hosts: [], clients: [] }, lan: { routerIp: 0x0a000001 } } as never, () => ({ found: false, forwardTo: [] }));
  const via = { ip: 0x0a000001, mac: 0x02aabbccddee };

  it('quotes the IP header and 8 bytes of data, from the interface it came in on, to the sender (RFC 792, RFC 1812 §4.3.2.4)', () => {
    const f = buildFrame({ eth: { src: 0x021122334455, dst: via.mac }, ipv4: { src: 0x0a000032, dst: 0x08080808, ttl: 1 }, icmp: { type: 'echo-request', id: 7, seq: 9 }, payload: new Uint8Array(32) });
    const te = stations.timeExceeded({ kind: 'router' }, f, via)!;
    const p = frameView(te);
    expect(p.icmp).toMatchObject({ type: 11, code: 0 });
    expect(p.ip).toMatchObject({ src: via.ip, dst: 0x0a000032, ttl: 64 });
    expect(p.dstMac).toBe(0x021122334455);
    // 20 bytes of header + 8 of the quoted echo request (type 8, id 7, seq 9).
    expect(Array.from(te.slice(p.ip!.l4 + 8, p.ip!.l4 + 8 + 28))).toEqual(Array.from(f.slice(14, 42)));
  });

  it.skipIf(process.env.PP_SKIP_TSHARK === '1')('tshark reads it as a clean Time-to-live exceeded quoting our echo request', () => {
    ensureTshark();
    const f = buildFrame({ eth: { src: 0x021122334455, dst: via.mac }, ipv4: { src: 0x0a000032, dst: 0x08080808, ttl: 1 }, icmp: { type: 'echo-request', id: 7, seq: 9 }, payload: new Uint8Array(32) });
    const report = tsharkCheckFrames([stations.timeExceeded({ kind: 'router' }, f, via)!]);
    expect(report.problems).toEqual([]);
    const fields = report.frames[0]!.fields;
    expect(fields['icmp.type']).toEqual(['11', '8']);
    expect(fields['icmp.code']).toEqual(['0', '0']);
    expect(fields['ip.src']).toEqual(['10.0.0.1', '10.0.0.50']);
    expect(fields['ip.dst']).toEqual(['10.0.0.50', '8.8.8.8']);
  }, 900_000);

  it('sends none about a fragment other than the first, one about the first (RFC 1812 §4.3.2.7)', () => {
    const frag = (offset: number) => buildFrame({ eth: { src: 1, dst: via.mac }, ipv4: { src: 0x0a000032, dst: 0x08080808, ttl: 1, moreFragments: true, fragOffset: offset }, icmp: { type: 'echo-request', id: 7, seq: 9 }, payload: new Uint8Array(64) });
    expect(stations.timeExceeded({ kind: 'router' }, frag(0), via)).not.toBeNull();
    expect(stations.timeExceeded({ kind: 'router' }, frag(1480), via)).toBeNull();
  });

  it('sends none about an ICMP error (RFC 1812 §4.3.2.7)', () => {
    const f = buildFrame({ eth: { src: 1, dst: via.mac }, ipv4: { src: 0x0a000032, dst: 0x08080808, ttl: 1 }, icmp: { type: 11, code: 0 }, payload: new Uint8Array(28) });
    expect(stations.timeExceeded({ kind: 'router' }, f, via)).toBeNull();
  });
});
