/**
 * What the Windows tools print for the traffic the simulation ran: `ping` (Windows ping.exe),
 * `curl` (curl.exe shipped with Windows), `nslookup`, and PowerShell's `Test-NetConnection`.
 */

export interface EchoResult {
  /** Reply received: its source, size and TTL; or a timeout; or an ICMP error from a router/host. */
  kind: 'reply' | 'timeout' | 'unreachable' | 'ttl-expired' | 'needs-fragment';
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
      // ping.exe gets whole milliseconds: under one is 0, printed `time<1ms` and counted as 0.
      const t = (r.timeMs ?? 0) < 1 ? 0 : Math.round(r.timeMs!);
      times.push(t);
      const time = `time${t === 0 ? '<1' : `=${t}`}ms`;
      // An IPv6 echo reply line has no size or TTL (`Reply from ::1: time<1ms`).
      lines.push(ipv6 ? `Reply from ${r.from}: ${time}` : `Reply from ${r.from}: bytes=${bytes} ${time} TTL=${r.ttl}`);
    } else if (r.kind === 'unreachable') {
      // Windows counts "Destination host unreachable" as a received reply.
      received++;
      lines.push(`Reply from ${r.from}: Destination host unreachable.`);
    } else if (r.kind === 'ttl-expired') {
      received++;
      lines.push(`Reply from ${r.from}: TTL expired in transit.`);
    } else if (r.kind === 'needs-fragment') {
      // ping -f with a datagram above the MTU: the stack refuses to send it (cpp-icmplib #7, a
      // pasted Windows `ping -f -l 1500`); counted as lost.
      lines.push('Packet needs to be fragmented but DF set.');
    } else {
      lines.push('Request timed out.');
    }
  }
  const sent = results.length;
  const lost = sent - received;
  lines.push('', `Ping statistics for ${address}:`, `    Packets: Sent = ${sent}, Received = ${received}, Lost = ${lost} (${Math.round((lost / Math.max(1, sent)) * 100)}% loss),`);
  if (times.length) {
    // Integer statistics; the average is truncated (time=2ms and three <1ms give Average = 0ms).
    const min = Math.min(...times);
    const max = Math.max(...times);
    const avg = Math.floor(times.reduce((a, b) => a + b, 0) / times.length);
    lines.push('Approximate round trip times in milli-seconds:', `    Minimum = ${min}ms, Maximum = ${max}ms, Average = ${avg}ms`);
  }
  return lines.join('\n');
}

export function formatPingUnresolved(target: string): string {
  return `Ping request could not find host ${target}. Please check the name and try again.`;
}

/**
 * IIS 10's default document (C:\inetpub\wwwroot\iisstart.htm), as `curl http://<iis>/` prints it
 * in public pasted outputs: CRLF line ends, no final newline, 703 bytes (its Content-Length).
 */
const IIS_START = [
  '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">',
  '<html xmlns="http://www.w3.org/1999/xhtml">', '<head>',
  '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1" />', '<title>IIS Windows Server</title>',
  '<style type="text/css">', '<!--', 'body {', '\tcolor:#000000;', '\tbackground-color:#0072C6;', '\tmargin:0;', '}', '',
  '#container {', '\tmargin-left:auto;', '\tmargin-right:auto;', '\ttext-align:center;', '\t}', '', 'a img {', '\tborder:none;', '}', '',
  '-->', '</style>', '</head>', '<body>', '<div id="container">',
  '<a href="http://go.microsoft.com/fwlink/?linkid=66138&amp;clcid=0x409"><img src="iisstart.png" alt="IIS" width="960" height="600" /></a>',
  '</div>', '</body>', '</html>',
].join('\r\n');

/** The default pages of the nginx and Apache httpd images, as pasted `curl` outputs show them. */
const NGINX_INDEX = [
  '<!DOCTYPE html>', '<html>', '<head>', '<title>Welcome to nginx!</title>', '<style>', 'html { color-scheme: light dark; }',
  'body { width: 35em; margin: 0 auto;', 'font-family: Tahoma, Verdana, Arial, sans-serif; }', '</style>', '</head>', '<body>',
  '<h1>Welcome to nginx!</h1>', '<p>If you see this page, the nginx web server is successfully installed and',
  'working. Further configuration is required.</p>', '', '<p>For online documentation and support please refer to',
  '<a href="http://nginx.org/">nginx.org</a>.<br/>', 'Commercial support is available at',
  '<a href="http://nginx.com/">nginx.com</a>.</p>', '', '<p><em>Thank you for using nginx.</em></p>', '</body>', '</html>', '',
].join('\n');
const APACHE_INDEX = '<html><body><h1>It works!</h1></body></html>\n';

/**
 * curl.exe's output for a 200: the body (as plain `curl URL` prints it), the status line and
 * headers (`-I`), or both (`-i`). The transcript shows CRLF as line ends.
 */
export function formatCurlOk(server: string, show: 'body' | 'head' | 'include' = 'body'): string {
  const body = server.startsWith('nginx') ? NGINX_INDEX : server.startsWith('Apache') ? APACHE_INDEX : IIS_START;
  const head = ['HTTP/1.1 200 OK', 'Content-Type: text/html', `Server: ${server}`, `Content-Length: ${new TextEncoder().encode(body).length}`, ''].join('\n');
  const text = body.replace(/\r\n/g, '\n');
  return show === 'head' ? head : show === 'include' ? `${head}\n${text}` : text;
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

/**
 * nslookup: the server line pair, then the answer or the error. An answer whose header lacks the
 * AA bit is headed `Non-authoritative answer:` (Docker's embedded DNS never sets it, and neither do
 * the recursive resolvers the simulation's DNS servers stand for).
 */
export function formatNslookup(server: string, name: string, answers: string[] | null, serverName = 'UnKnown', authoritative = false): string {
  const head = [`Server:  ${serverName}`, `Address:  ${server}`, ''];
  if (answers === null) return [...head, `*** ${serverName} can't find ${name}: Non-existent domain`].join('\n');
  if (!authoritative) head.push('Non-authoritative answer:');
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
  /** With -Port, the ping Test-NetConnection sends after a failed TCP test. */
  ping?: { succeeded: boolean; rttMs: number };
}

/**
 * PowerShell Test-NetConnection's default list view. With -Port the cmdlet pings only when the TCP
 * test failed (PowerShell/PowerShell #25818: a successful TCP test skips the ping); whenever it pinged,
 * PingSucceeded and PingReplyDetails (RTT) are listed, `0 ms` for a ping that timed out, each failure
 * first as a warning (pasted outputs: `WARNING: TCP connect to (IP : PORT) failed`, `WARNING: Ping to IP
 * failed with status: TimedOut`, then `PingSucceeded : False`, `PingReplyDetails (RTT) : 0 ms`,
 * `TcpTestSucceeded : False`).
 */
export function formatTnc(r: TncResult): string {
  const rows: [string, string][] = [
    ['ComputerName', r.computerName],
    ['RemoteAddress', r.remoteAddress],
  ];
  if (r.remotePort !== undefined) rows.push(['RemotePort', String(r.remotePort)]);
  rows.push(['InterfaceAlias', r.interfaceAlias], ['SourceAddress', r.sourceAddress]);
  const ping = r.remotePort === undefined ? { succeeded: r.succeeded, rttMs: r.rttMs ?? 0 } : r.ping;
  if (ping) rows.push(['PingSucceeded', ping.succeeded ? 'True' : 'False'], ['PingReplyDetails (RTT)', `${ping.succeeded ? Math.round(ping.rttMs) : 0} ms`]);
  if (r.remotePort !== undefined) rows.push(['TcpTestSucceeded', r.succeeded ? 'True' : 'False']);
  const w = Math.max(...rows.map(([k]) => k.length));
  const warn = [
    ...(r.remotePort !== undefined && !r.succeeded ? [`WARNING: TCP connect to (${r.remoteAddress} : ${r.remotePort}) failed`] : []),
    ...(ping && !ping.succeeded ? [`WARNING: Ping to ${r.remoteAddress} failed with status: TimedOut`] : []),
  ];
  return [...warn, '', ...rows.map(([k, v]) => `${k.padEnd(w)} : ${v}`), ''].join('\n');
}
