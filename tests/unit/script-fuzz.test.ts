/**
 * parseScript never throws, whatever the text, and what it returns is well-formed: diagnostics and
 * spans point inside the text, every command's line is its span's line, no internal errors.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { parseScript, type Command, type Script, type Span } from '../../src/script/index.js';
import { editorDiagnostics } from '../../src/vocabulary.js';

const VALID = `# a design that must hold
host h1 --os ws2019 --nic "Ethernet" --ip 10.0.0.10/24 --gateway 10.0.0.1
lan dhcp 10.0.0.100-10.0.0.200
client laptop --ip 10.0.0.50
docker network create -d transparent -o com.docker.network.windowsshim.interface="Ethernet 2", "Ethernet 3" TeamedNet
docker network create -d nat --subnet=172.16.1.0/24 \\
   --gateway=172.16.1.1 CustomNat1
docker run -dit --name web -p 8080:80 --network=CustomNat1 mcr.microsoft.com/windows/servercore/iis
expect docker exec web ping -n 2 db
expect-fail client laptop curl http://10.0.0.10:8080/
Get-VMNetworkAdapter -VMName ContainerHostVM | Set-VMNetworkAdapter -MacAddressSpoofing On
reg delete HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Tcpip6\\Parameters /v DisabledComponents /f
docker exec web netsh advfirewall firewall add rule name="web" dir=in action=allow protocol=TCP localport=80
Get-NetNat | Where-Object { $_.Name -eq 'nat' } | fl; docker compose -f app.yml up -d
docker swarm join --token SWMTKN-1-abc 10.0.0.10:2377 \`
  --advertise-addr 10.0.0.11
flood web db tcp/80 --packets 1000 --flows 4
`;

const PIECES = [
  'docker', 'network', 'create', 'run', 'exec', 'compose', 'swarm', 'service', 'host', 'lan', 'client', 'flood',
  'expect', 'expect-fail', 'Get-NetNat', 'Set-VMNetworkAdapter', 'ping', 'curl', 'netsh', 'reg', '-d', '-dit', '-o',
  '--subnet=', '--', '-', '--x', '-Name', '-Name:', '"', "'", '`', '\\', '\n', '\r\n', '\r', ' ', '\t', '|', ';', '#',
  ',', ', ', '{', '}', '<', '>', '=', 'C:\\>', 'PS C:\\>', '\u201c', '\u2019', '\u2013', '\ufeff', '\u3000', '😀', '\0',
];

/** Plain checks (vitest's expect is too slow for millions of spans); throws with the reason. */
function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(what);
}

function spanInside(s: Span, lines: string[]): void {
  const where = JSON.stringify(s);
  check(Number.isInteger(s.line) && Number.isInteger(s.column) && Number.isInteger(s.length), `integers ${where}`);
  check(s.line >= 1 && s.line <= lines.length, `line in range ${where}`);
  check(s.column >= 1 && s.length >= 0, `column/length ${where}`);
  check(s.column - 1 + s.length <= lines[s.line - 1]!.length + 1, `inside its line ${where}`);
}

function commandSpans(c: Command): Span[] {
  const out: Span[] = [c.span];
  const flagSpans = (fs: { span: Span; valueSpan?: Span }[]) => fs.flatMap((f) => (f.valueSpan ? [f.span, f.valueSpan] : [f.span]));
  switch (c.kind) {
    case 'docker':
      out.push(...flagSpans(c.flags), ...c.args.map((w) => w.span), ...c.command.map((w) => w.span));
      if (c.inner) out.push(...commandSpans(c.inner));
      break;
    case 'sim':
      out.push(...flagSpans(c.flags), ...c.args.map((w) => w.span));
      break;
    case 'client-traffic':
      out.push(c.client.span, ...commandSpans(c.inner));
      break;
    case 'tool':
      out.push(...flagSpans(c.flags), ...c.words.map((w) => w.span));
      break;
    case 'powershell':
      for (const p of c.pipeline) out.push(p.name.span, ...flagSpans(p.flags), ...p.args.map((w) => w.span));
      break;
  }
  return out;
}

function checkWellFormed(text: string, r: Script): void {
  const lines = text.split(/\r\n|\n|\r/);
  for (const d of r.diagnostics) {
    check(d.code !== 'internal-error', `internal error: ${d.message}`);
    check(['error', 'warning', 'info'].includes(d.severity), `severity ${d.severity}`);
    check(typeof d.message === 'string' && d.message.length > 0, 'message');
    spanInside(d, lines);
  }
  for (const c of r.commands) {
    check(c.line === c.span.line, `line ${c.line} vs span ${c.span.line}`);
    for (const s of commandSpans(c)) spanInside(s, lines);
  }
  for (const h of editorDiagnostics(r)) spanInside(h, lines);
}

/** Throws (failing the property) when parseScript throws or returns something ill-formed. */
function run(text: string): void {
  checkWellFormed(text, parseScript(text));
}

describe('parseScript never throws', () => {
  test('the valid script parses without diagnostics', () => {
    const r = parseScript(VALID);
    expect(r.diagnostics).toEqual([]);
    expect(r.commands).toHaveLength(15);
    checkWellFormed(VALID, r);
  });

  test('arbitrary unicode strings (10,000 cases)', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), run), { numRuns: 10_000 });
  });

  test('token soup from the language\'s own pieces (10,000 cases)', () => {
    const soup = fc.array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 4 })), { maxLength: 40 }).map((a) => a.join(''));
    fc.assert(fc.property(soup, run), { numRuns: 10_000 });
  });

  test('mutated valid scripts (10,000 cases)', () => {
    const edit = fc.record({
      at: fc.nat(),
      del: fc.nat({ max: 6 }),
      ins: fc.oneof(fc.constantFrom(...PIECES), fc.string({ unit: 'binary', maxLength: 3 })),
    });
    const mutated = fc.array(edit, { minLength: 1, maxLength: 6 }).map((edits) => {
      let s = VALID;
      for (const e of edits) {
        const i = e.at % (s.length + 1);
        s = s.slice(0, i) + e.ins + s.slice(i + e.del);
      }
      return s;
    });
    fc.assert(fc.property(mutated, run), { numRuns: 10_000 });
  });

  test('non-string input does not throw either', () => {
    for (const v of [undefined, null, 42, {}]) {
      expect(() => parseScript(v as unknown as string)).not.toThrow();
    }
  });

  test('a large script parses quickly', () => {
    const big = VALID.repeat(500);
    const t0 = performance.now();
    const r = parseScript(big);
    const ms = performance.now() - t0;
    expect(r.commands).toHaveLength(15 * 500);
    expect(ms).toBeLessThan(2000);
  });
});
