/**
 * What the Windows tools print for the traffic the simulation ran: `ping` (Windows ping.exe),
 * `curl` (curl.exe shipped with Windows), `nslookup`, and PowerShell's `Test-NetConnection`.
 */

export interface EchoResult {
  /** Reply received: its source, size and TTL; or a timeout; or an ICMP error from a router/host. */
  kind: 'reply' | 'timeout' | 'unreachable' | 'ttl-expired';
  from?: string;
  ttl?: number;
  /** Round-trip time in ms as the simulation measures it (hops × per-hop latency). */
  timeMs?: number;
}

/** Windows ping.exe output for `ping [-n K] target`. */
export function formatPing(target: string, address: string, bytes: number, results: EchoResult[], ipv6 = false): string {
  const head = target === address ? address : `${target} [${address}]`;
  const lines = ['', `Pinging ${head} with ${bytes} bytes of data:`];
  let received = 0;
  const times: number[] = [];
  for (const r of results) {
    if (r.kind === 'reply') {
      received++;
      const t = r.timeMs ?? 0;
      times.push(t);
      const time = `time${t < 1 ? '<1' : '='}${t < 1 ? '' : Math.round(t)}ms`;
      // An IPv6 echo reply line has no size or TTL (`Reply from ::1: time<1ms`).
      lines.push(ipv6 ? `Reply from ${r.from}: ${time}` : `Reply from ${r.from}: bytes=${bytes} ${time} TTL=${r.ttl}`);
    } else if (r.kind === 'unreachable') {
      // Windows counts "Destination host unreachable" as a received reply.
      received++;
      lines.push(`Reply from ${r.from}: Destination host unreachable.`);
    } else if (r.kind === 'ttl-expired') {
      received++;
      lines.push(`Reply from ${r.from}: TTL expired in transit.`);
    } else {
      lines.push('Request timed out.');
    }
  }
  const sent = results.length;
  const lost = sent - received;
  lines.push('', `Ping statistics for ${address}:`, `    Packets: Sent = ${sent}, Received = ${received}, Lost = ${lost} (${Math.round((lost / Math.max(1, sent)) * 100)}% loss),`);
  if (times.length) {
    const min = Math.round(Math.min(...times));
    const max = Math.round(Math.max(...times));
    const avg = Math.round(times.reduce((a, b) => a + b, 0) / times.length);
    lines.push('Approximate round trip times in milli-seconds:', `    Minimum = ${min}ms, Maximum = ${max}ms, Average = ${avg}ms`);
  }
  return lines.join('\n');
}

export function formatPingUnresolved(target: string): string {
  return `Ping request could not find host ${target}. Please check the name and try again.`;
}

/** curl.exe: the response status line and headers (as `curl -I` would show them) or its error. */
export function formatCurlOk(server: string): string {
  return ['HTTP/1.1 200 OK', 'Content-Type: text/html', `Server: ${server}`, 'Content-Length: 703', ''].join('\n');
}

export function curlErrorUnresolved(host: string): string {
  return `curl: (6) Could not resolve host: ${host}`;
}

export function curlErrorRefused(host: string, port: number, ms: number): string {
  return `curl: (7) Failed to connect to ${host} port ${port} after ${Math.max(0, Math.round(ms))} ms: Couldn't connect to server`;
}

export function curlErrorTimeout(host: string, port: number): string {
  return `curl: (28) Failed to connect to ${host} port ${port} after 21045 ms: Timed out`;
}

/** nslookup: the server line pair, then the answer or the error. */
export function formatNslookup(server: string, name: string, answers: string[] | null, serverName = 'UnKnown'): string {
  const head = [`Server:  ${serverName}`, `Address:  ${server}`, ''];
  if (answers === null) return [...head, `*** ${serverName} can't find ${name}: Non-existent domain`].join('\n');
  if (answers.length === 1) return [...head, `Name:    ${name}`, `Address:  ${answers[0]}`].join('\n');
  return [...head, `Name:    ${name}`, `Addresses:  ${answers[0]}`, ...answers.slice(1).map((a) => `          ${a}`)].join('\n');
}

export function formatNslookupTimeout(server: string): string {
  return [`DNS request timed out.`, `    timeout was 2 seconds.`, `Server:  UnKnown`, `Address:  ${server}`, ``, `*** Request to UnKnown timed-out`].join("\n");
}

export interface TncResult {
  computerName: string;
  remoteAddress: string;
  remotePort?: number;
  interfaceAlias: string;
  sourceAddress: string;
  /** TCP test (with -Port) or ping test (without). */
  succeeded: boolean;
  rttMs?: number;
}

/** PowerShell Test-NetConnection's default list view. */
export function formatTnc(r: TncResult): string {
  const rows: [string, string][] = [
    ['ComputerName', r.computerName],
    ['RemoteAddress', r.remoteAddress],
  ];
  if (r.remotePort !== undefined) rows.push(['RemotePort', String(r.remotePort)]);
  rows.push(['InterfaceAlias', r.interfaceAlias], ['SourceAddress', r.sourceAddress]);
  if (r.remotePort !== undefined) rows.push(['TcpTestSucceeded', r.succeeded ? 'True' : 'False']);
  else {
    rows.push(['PingSucceeded', r.succeeded ? 'True' : 'False']);
    if (r.succeeded) rows.push(['PingReplyDetails (RTT)', `${Math.round(r.rttMs ?? 0)} ms`]);
  }
  const w = Math.max(...rows.map(([k]) => k.length));
  const warn = r.succeeded
    ? []
    : r.remotePort !== undefined
      ? [`WARNING: TCP connect to (${r.remoteAddress} : ${r.remotePort}) failed`]
      : [`WARNING: Ping to ${r.remoteAddress} failed with status: TimedOut`];
  return [...warn, '', ...rows.map(([k, v]) => `${k.padEnd(w)} : ${v}`), ''].join('\n');
}
