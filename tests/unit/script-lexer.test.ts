import { describe, expect, test } from 'vitest';
import { lex, spanOf, tokenize, type LexWord } from '../../src/script/lexer.js';

function words(src: string): string[] {
  const r = lex(src);
  return r.lines.flatMap((l) => l.tokens.map((t) => (t.kind === 'word' ? t.value : t.kind === 'pipe' ? '|' : ';')));
}

function firstLine(src: string) {
  const r = lex(src);
  const l = r.lines.find((x) => x.tokens.length > 0);
  if (!l) throw new Error('no tokens');
  return l;
}

describe('lexer: words and quotes', () => {
  test('blanks separate words; tabs and runs of spaces count once', () => {
    expect(words('docker  network\tls')).toEqual(['docker', 'network', 'ls']);
  });

  test('double quotes keep spaces and are removed', () => {
    expect(words('New-VMSwitch -Name X -NetAdapterName "Ethernet 2"')).toEqual(['New-VMSwitch', '-Name', 'X', '-NetAdapterName', 'Ethernet 2']);
  });

  test('single quotes are literal; doubled quote inside is one quote', () => {
    expect(words(`echo 'it''s ${'$'}x'`)).toEqual(['echo', "it's $x"]);
  });

  test('"" inside double quotes is a quote and backtick escapes inside double quotes', () => {
    expect(words('echo "a""b" "c`"d" "tab`there"')).toEqual(['echo', 'a"b', 'c"d', 'tab\there']);
  });

  test('quoted parts join the word they touch', () => {
    expect(words('--subnet="10.0.0.0/24" interface="Ethernet 2"x')).toEqual(['--subnet=10.0.0.0/24', 'interface=Ethernet 2x']);
  });

  test('backslash outside quotes is literal (Windows paths)', () => {
    expect(words('reg delete HKLM\\SYSTEM\\X /f')).toEqual(['reg', 'delete', 'HKLM\\SYSTEM\\X', '/f']);
  });

  test('backtick outside quotes escapes the next character', () => {
    expect(words('echo a` b `#c')).toEqual(['echo', 'a b', '#c']);
  });

  test('typographic quotes pasted from documents count as quotes', () => {
    expect(words('docker network create -o x=\u201cEthernet 2\u201d n')).toEqual(['docker', 'network', 'create', '-o', 'x=Ethernet 2', 'n']);
    expect(words('echo \u2018a b\u2019')).toEqual(['echo', 'a b']);
  });

  test('a quoted word remembers it was quoted from its first character', () => {
    const l = firstLine('Get-Service "-Name" -Name');
    const [, q, p] = l.tokens as LexWord[];
    expect(q!.leadingQuoted).toBe(true);
    expect(p!.leadingQuoted).toBe(false);
  });

  test('an unterminated string is an error with PowerShell\'s text and the line yields no tokens', () => {
    const r = lex('docker ps\necho "abc\ndocker info');
    expect(r.diagnostics).toEqual([
      { line: 2, column: 6, length: 4, severity: 'error', code: 'unterminated-string', message: 'The string is missing the terminator: ".' },
    ]);
    expect(r.lines[1]!.bad).toBe(true);
    expect(r.lines[1]!.tokens).toEqual([]);
    expect(r.lines[2]!.tokens.length).toBe(2);
  });

  test('an unterminated single-quoted string names the single quote', () => {
    expect(lex("echo 'x").diagnostics[0]!.message).toBe("The string is missing the terminator: '.");
  });
});

describe('lexer: comments', () => {
  test('# at the start of a word starts a comment', () => {
    expect(words('docker ps # list them')).toEqual(['docker', 'ps']);
    expect(words('# a whole line\ndocker ps')).toEqual(['docker', 'ps']);
  });

  test('# inside a word or inside quotes is not a comment', () => {
    expect(words('curl http://web/#top a#b "x # y"')).toEqual(['curl', 'http://web/#top', 'a#b', 'x # y']);
  });

  test('a comment line yields no tokens', () => {
    const r = lex('# General syntax:\n   # indented comment');
    expect(r.lines.every((l) => l.tokens.length === 0)).toBe(true);
    expect(r.diagnostics).toEqual([]);
  });
});

describe('lexer: operators', () => {
  test('| and ; are operators even without blanks, not inside quotes', () => {
    expect(words('Get-NetNat|fl;docker ps "a|b;c"')).toEqual(['Get-NetNat', '|', 'fl', ';', 'docker', 'ps', 'a|b;c']);
  });

  test('a script block is one word, inner quotes and blanks kept literally', () => {
    expect(words("Get-NetNat | Where-Object { $_.Name -eq 'nat' } | fl")).toEqual([
      'Get-NetNat', '|', 'Where-Object', "{ $_.Name -eq 'nat' }", '|', 'fl',
    ]);
  });
});

describe('lexer: comma lists (PowerShell array arguments)', () => {
  test('the seed teaming form is one word with one space after the comma', () => {
    expect(words('-o com.docker.network.windowsshim.interface="Ethernet 2", "Ethernet 3" TeamedNet')).toEqual([
      '-o', 'com.docker.network.windowsshim.interface=Ethernet 2, Ethernet 3', 'TeamedNet',
    ]);
  });

  test('spacing after the comma is normalised to one space; no space stays none', () => {
    expect(words('x a,   b c')).toEqual(['x', 'a, b', 'c']);
    expect(words('x 4.4.4.4,8.8.8.8 y')).toEqual(['x', '4.4.4.4,8.8.8.8', 'y']);
  });

  test('a lone comma glues its neighbours; a quoted comma does not', () => {
    expect(words('Get-Service hns , docker')).toEqual(['Get-Service', 'hns, docker']);
    expect(words('echo "a," b')).toEqual(['echo', 'a,', 'b']);
  });

  test('the list can continue across a continuation line', () => {
    expect(words('-o i="Ethernet 2", `\n   "Ethernet 3" N')).toEqual(['-o', 'i=Ethernet 2, Ethernet 3', 'N']);
  });
});

describe('lexer: continuation lines', () => {
  test('trailing backslash joins lines with one space', () => {
    const r = lex('docker network create \\\n    --subnet=10.0.0.0/24 \\\n    n1\ndocker ps');
    expect(r.lines[0]!.text).toBe('docker network create --subnet=10.0.0.0/24 n1');
    expect(r.lines[0]!.line).toBe(1);
    expect(r.lines[1]!.line).toBe(4);
    expect(r.lines[1]!.text).toBe('docker ps');
  });

  test('trailing backtick (PowerShell) joins lines', () => {
    const r = lex('docker run `\n  -d `\n  img');
    expect(r.lines[0]!.text).toBe('docker run -d img');
    expect(r.lines).toHaveLength(1);
  });

  test('an escaped backtick at the end of a line is not a continuation', () => {
    const r = lex('echo a``\necho b');
    expect(r.lines).toHaveLength(2);
    expect(r.lines[0]!.tokens.map((t) => (t as LexWord).value)).toEqual(['echo', 'a`']);
  });

  test('characters of continued lines keep their own line and column', () => {
    const l = firstLine('docker network create \\\n    --subnet=10.0.0.0/24 n1');
    const subnet = l.tokens.find((t) => t.kind === 'word' && t.value.startsWith('--subnet')) as LexWord;
    expect(spanOf(l, subnet.start, subnet.end)).toEqual({ line: 2, column: 5, length: 20 });
  });

  test('a comment after the continuation character is removed first', () => {
    expect(lex('docker run \\ # detached below\n  -d img').lines[0]!.text).toBe('docker run -d img');
  });

  test('a continuation on the last line just ends the command', () => {
    const r = lex('docker ps \\');
    expect(r.lines[0]!.text).toBe('docker ps');
    expect(r.diagnostics).toEqual([]);
  });

  test('CRLF and CR line ends are lines too', () => {
    const r = lex('a\r\nb\rc');
    expect(r.lines.map((l) => l.text)).toEqual(['a', 'b', 'c']);
    expect(r.lines.map((l) => l.line)).toEqual([1, 2, 3]);
  });
});

describe('lexer: pasted prompts', () => {
  test('C:\\> and PS C:\\> are ignored, columns still point into the original line', () => {
    const l = firstLine('C:\\> docker network ls');
    const w = l.tokens[0] as LexWord;
    expect(w.value).toBe('docker');
    expect(spanOf(l, w.start, w.end)).toEqual({ line: 1, column: 6, length: 6 });
    expect(words('PS C:\\> Get-NetAdapter')).toEqual(['Get-NetAdapter']);
    expect(words('PS C:\\Program Files> Get-NetNat')).toEqual(['Get-NetNat']);
  });

  test('a path that merely looks like a drive is not a prompt when no > closes it', () => {
    expect(words('C:\\tools\\curl.exe http://x')).toEqual(['C:\\tools\\curl.exe', 'http://x']);
  });
});

describe('lexer: value positions', () => {
  test('an escaped character covers its backtick too', () => {
    const w = tokenize('"a`"b"')[0] as LexWord;
    expect(w.value).toBe('a"b');
    expect(w.pos).toEqual([1, 2, 4]);
    expect(w.posEnd).toEqual([2, 4, 5]);
  });

  test('every value character maps back to its source offset', () => {
    const toks = tokenize('a="b c"d');
    const w = toks[0] as LexWord;
    expect(w.value).toBe('a=b cd');
    expect(w.pos).toEqual([0, 1, 3, 4, 5, 7]);
    expect(w.posEnd).toEqual([1, 2, 4, 5, 6, 8]);
    expect([w.start, w.end]).toEqual([0, 8]);
  });
});
