/**
 * What the Windows tools print, against real outputs pasted in public places:
 * - ping.exe statistics: whole milliseconds, `time<1ms` counted as 0, a truncated average
 *   (Azure's virtual-network tutorial: time=2ms and three time<1ms → "Minimum = 0ms, Maximum = 2ms,
 *   Average = 0ms"; a single time<1ms reply → all zeros).
 * - curl.exe prints the body (IIS's iisstart.htm, Content-Length 703; nginx's page is 615 bytes,
 *   Apache's 45); `-I` the headers, `-i` both.
 * - nslookup heads answers without the AA bit `Non-authoritative answer:` (moby/moby #25987: a
 *   container name answered by Docker's DNS at the nat gateway; docker/for-win #2247: an external
 *   name); libnetwork's resolver never sets AA (setCommonFlags sets only RecursionAvailable).
 */
import { describe, expect, it } from 'vitest';
import { formatCurlOk, formatNslookup, formatPing } from '../../src/sim/outputs.js';
import { runScript } from '../../src/index.js';

describe('ping statistics', () => {
  it('time=2ms and three time<1ms: Minimum = 0ms, Maximum = 2ms, Average = 0ms', () => {
    const out = formatPing('10.0.0.4', '10.0.0.4', 32, [2.2, 0.3, 0.2, 0.4].map((t) => ({ kind: 'reply' as const, from: '10.0.0.4', ttl: 128, timeMs: t })));
    expect(out.split('\n').slice(2, 6)).toEqual([
      'Reply from 10.0.0.4: bytes=32 time=2ms TTL=128',
      'Reply from 10.0.0.4: bytes=32 time<1ms TTL=128',
      'Reply from 10.0.0.4: bytes=32 time<1ms TTL=128',
      'Reply from 10.0.0.4: bytes=32 time<1ms TTL=128',
    ]);
    expect(out.split('\n').at(-1)).toBe('    Minimum = 0ms, Maximum = 2ms, Average = 0ms');
  });
  it('every reply time<1ms: all zeros', () => {
    const out = formatPing('dc', '172.16.249.200', 32, [{ kind: 'reply', from: '172.16.249.200', ttl: 128, timeMs: 0.6 }]);
    expect(out).toContain('Reply from 172.16.249.200: bytes=32 time<1ms TTL=128');
    expect(out.split('\n').at(-1)).toBe('    Minimum = 0ms, Maximum = 0ms, Average = 0ms');
  });
});

describe('curl.exe', () => {
  const bytes = (s: string): number => new TextEncoder().encode(s.replace(/\n/g, '\r\n')).length;
  it('prints the body of the default page: IIS 703 bytes with CRLF, nginx 615, Apache 45', () => {
    const iis = formatCurlOk('Microsoft-IIS/10.0');
    expect(iis.split('\n')[0]).toBe('<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">');
    expect(iis).toContain('<title>IIS Windows Server</title>');
    expect(bytes(iis)).toBe(703);
    expect(new TextEncoder().encode(formatCurlOk('nginx')).length).toBe(615);
    expect(formatCurlOk('Apache')).toBe('<html><body><h1>It works!</h1></body></html>\n');
  });
  it('-I prints the headers, -i the headers then the body', () => {
    expect(formatCurlOk('Microsoft-IIS/10.0', 'head').split('\n')).toEqual(['HTTP/1.1 200 OK', 'Content-Type: text/html', 'Server: Microsoft-IIS/10.0', 'Content-Length: 703', '']);
    const both = formatCurlOk('nginx', 'include');
    expect(both.startsWith('HTTP/1.1 200 OK\nContent-Type: text/html\nServer: nginx\nContent-Length: 615\n\n<!DOCTYPE html>')).toBe(true);
  });
  it('the flags reach the output through a run', async () => {
    const r = await runScript('docker run -d --name web microsoft/iis\ndocker run -d --name c microsoft/nanoserver\ndocker exec c curl http://web/\ndocker exec c curl -I http://web/');
    expect(r.steps[2]!.output).toContain('<title>IIS Windows Server</title>');
    expect(r.steps[3]!.output).toMatch(/^HTTP\/1\.1 200 OK\nContent-Type: text\/html\nServer: Microsoft-IIS\/10\.0\nContent-Length: 703/);
  });
});

describe('nslookup', () => {
  it('a name from a server that is not authoritative (moby/moby #25987)', () => {
    expect(formatNslookup('172.19.144.1', 'bss', ['172.19.145.123'])).toBe(
      'Server:  UnKnown\nAddress:  172.19.144.1\n\nNon-authoritative answer:\nName:    bss\nAddress:  172.19.145.123',
    );
  });
  it('an authoritative answer has no such line; a missing name has none either (moby/moby #30260)', () => {
    expect(formatNslookup('192.168.0.100', 'server8.mycompany.com', ['192.168.0.97'], 'dc1.mycompany.com', true)).toBe(
      'Server:  dc1.mycompany.com\nAddress:  192.168.0.100\n\nName:    server8.mycompany.com\nAddress:  192.168.0.97',
    );
    expect(formatNslookup('192.168.0.100', 'server8', null, 'dc1.mycompany.com')).toBe(
      "Server:  dc1.mycompany.com\nAddress:  192.168.0.100\n\n*** dc1.mycompany.com can't find server8: Non-existent domain",
    );
  });
  it("Docker's DNS answers a container name without AA, so the run prints the line", async () => {
    const r = await runScript('docker run -d --name web microsoft/iis\ndocker run -d --name c microsoft/nanoserver\ndocker exec c nslookup web');
    expect(r.steps[2]!.output).toMatch(/\n\nNon-authoritative answer:\nName:    web\nAddress:  172\./);
  });
});

describe('HNS errors through the hcsshim of Docker 20.10 (moby v20.10.24 vendor: internal/hns/hnsfuncs.go)', () => {
  it('1809+: the failed call is wrapped by hnsCallRawResponse, as pasted 20.10 errors show', async () => {
    const { createWorld, execute } = await import('../../src/model/index.js');
    const { parseScript } = await import('../../src/script/parser.js');
    const world = createWorld({ seed: 1 });
    const outs = parseScript('host h --os ws2019\ndocker network create -d transparent -o com.docker.network.windowsshim.interface="Nope" t').commands.map((c) => execute(world, c, {}));
    expect(outs[1]!.error).toBe('Error response from daemon: failed during hnsCallRawResponse: hnsCall failed in Win32: An adapter was not found. (0x803b0006)');
  });
});
