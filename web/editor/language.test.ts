// @vitest-environment happy-dom
/**
 * Token tables for the `packet-path` Monarch highlighter (the style of Monaco's own
 * src/languages/definitions/<lang>/<lang>.test.ts): each row is a line and the tokens it must give,
 * as [text, token type] pairs; whitespace tokens are left out of the rows.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { conf, language, LANGUAGE_ID } from './language.js';

let monaco: typeof import('monaco-editor/editor/editor.api');

beforeAll(async () => {
  monaco = await import('monaco-editor/editor/editor.api');
  monaco.languages.register({ id: LANGUAGE_ID });
  monaco.languages.setMonarchTokensProvider(LANGUAGE_ID, language);
  monaco.languages.setLanguageConfiguration(LANGUAGE_ID, conf);
});

/** The line cut into [text, type] pieces, whitespace-only pieces dropped. */
function pieces(line: string): [string, string][] {
  const [tokens] = monaco.editor.tokenize(line, LANGUAGE_ID);
  const out: [string, string][] = [];
  tokens.forEach((t, k) => {
    const text = line.slice(t.offset, k + 1 < tokens.length ? tokens[k + 1].offset : line.length);
    if (text.trim() !== '') out.push([text.trim(), t.type]);
  });
  return out;
}

const table: { line: string; tokens: [string, string][] }[] = [
  { line: '# a comment with docker and 10.0.0.1', tokens: [['# a comment with docker and 10.0.0.1', 'comment.pp']] },
  {
    line: 'docker network create -d nat --subnet=172.16.1.0/24 --gateway=172.16.1.1 CustomNat1',
    tokens: [
      ['docker', 'keyword.pp'], ['network', 'keyword.sub.pp'], ['create', 'keyword.sub.pp'],
      ['-d', 'attribute.name.pp'], ['nat', 'type.driver.pp'],
      ['--subnet', 'attribute.name.pp'], ['=', 'operator.pp'], ['172.16.1.0/24', 'number.ip.pp'],
      ['--gateway', 'attribute.name.pp'], ['=', 'operator.pp'], ['172.16.1.1', 'number.ip.pp'],
      ['CustomNat1', 'identifier.pp'],
    ],
  },
  {
    // The seed's teaming example: a comma-separated list of quoted adapter names.
    line: 'docker network create -d transparent -o com.docker.network.windowsshim.interface="Ethernet 2", "Ethernet 3" TeamedNet',
    tokens: [
      ['docker', 'keyword.pp'], ['network', 'keyword.sub.pp'], ['create', 'keyword.sub.pp'],
      ['-d', 'attribute.name.pp'], ['transparent', 'type.driver.pp'], ['-o', 'attribute.name.pp'],
      ['com.docker.network.windowsshim.interface', 'variable.option.pp'], ['=', 'operator.pp'],
      ['"Ethernet 2"', 'string.pp'], [',', 'operator.pp'], ['"Ethernet 3"', 'string.pp'], ['TeamedNet', 'identifier.pp'],
    ],
  },
  {
    line: 'docker run -d --name web -p 8080:80/tcp --network nat microsoft/iis',
    tokens: [
      ['docker', 'keyword.pp'], ['run', 'keyword.sub.pp'], ['-d', 'attribute.name.pp'], ['--name', 'attribute.name.pp'],
      ['web', 'identifier.pp'], ['-p', 'attribute.name.pp'], ['8080:80/tcp', 'number.pp'], ['--network', 'attribute.name.pp'],
      ['nat', 'type.driver.pp'], ['microsoft', 'identifier.pp'], ['/iis', 'attribute.name.pp'],
    ],
  },
  {
    line: 'host h2 --os ws2016 --nic "Ethernet 2" --ip 10.0.0.11/24 --mac 00-15-5D-00-00-0B',
    tokens: [
      ['host', 'keyword.pp'], ['h2', 'identifier.pp'], ['--os', 'attribute.name.pp'], ['ws2016', 'identifier.pp'],
      ['--nic', 'attribute.name.pp'], ['"Ethernet 2"', 'string.pp'],
      ['--ip', 'attribute.name.pp'], ['10.0.0.11/24', 'number.ip.pp'], ['--mac', 'attribute.name.pp'],
      ['00-15-5D-00-00-0B', 'number.mac.pp'],
    ],
  },
  {
    line: 'Get-VMNetworkAdapter -VMName ContainerHostVM | Set-VMNetworkAdapter -MacAddressSpoofing On',
    tokens: [
      ['Get-VMNetworkAdapter', 'type.identifier.pp'], ['-VMName', 'attribute.name.pp'], ['ContainerHostVM', 'identifier.pp'],
      ['|', 'operator.pipe.pp'], ['Set-VMNetworkAdapter', 'type.identifier.pp'], ['-MacAddressSpoofing', 'attribute.name.pp'],
      ['On', 'identifier.pp'],
    ],
  },
  {
    // PowerShell is case-insensitive: the seed writes `restart-service hns`.
    line: 'restart-service hns',
    tokens: [['restart-service', 'type.identifier.pp'], ['hns', 'identifier.pp']],
  },
  {
    line: 'expect-fail docker exec web ping -n 2 8.8.8.8',
    tokens: [
      ['expect-fail', 'keyword.pp'], ['docker', 'keyword.pp'], ['exec', 'keyword.sub.pp'], ['web', 'identifier.pp'],
      ['ping', 'predefined.pp'], ['-n', 'attribute.name.pp'], ['2', 'number.pp'], ['8.8.8.8', 'number.ip.pp'],
    ],
  },
  {
    line: 'client laptop curl http://10.0.0.10:8080/',
    tokens: [['client', 'keyword.pp'], ['laptop', 'identifier.pp'], ['curl', 'predefined.pp'], ['http://10.0.0.10:8080/', 'string.link.pp']],
  },
  {
    line: 'reg delete HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Tcpip6\\Parameters /v DisabledComponents /f',
    tokens: [
      ['reg', 'predefined.pp'], ['delete', 'identifier.pp'],
      ['HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Tcpip6\\Parameters', 'string.path.pp'],
      ['/v', 'attribute.name.pp'], ['DisabledComponents', 'identifier.pp'], ['/f', 'attribute.name.pp'],
    ],
  },
  {
    line: 'flood web db tcp/80 --packets 100000 --flows 64   # bulk',
    tokens: [
      ['flood', 'keyword.pp'], ['web', 'identifier.pp'], ['db', 'identifier.pp'], ['tcp/80', 'number.pp'], ['--packets', 'attribute.name.pp'], ['100000', 'number.pp'], ['--flows', 'attribute.name.pp'],
      ['64', 'number.pp'], ['# bulk', 'comment.pp'],
    ],
  },
  {
    line: 'docker network create -d l2bridge `',
    tokens: [
      ['docker', 'keyword.pp'], ['network', 'keyword.sub.pp'], ['create', 'keyword.sub.pp'], ['-d', 'attribute.name.pp'],
      ['l2bridge', 'type.driver.pp'], ['`', 'operator.continuation.pp'],
    ],
  },
  { line: 'lan dhcp 10.0.0.100-10.0.0.200', tokens: [['lan', 'keyword.pp'], ['dhcp', 'keyword.sub.pp'], ['10.0.0.100-10.0.0.200', 'number.ip.pp']] },
];

describe('packet-path monarch tokens', () => {
  for (const row of table) {
    it(row.line, () => {
      expect(pieces(row.line)).toEqual(row.tokens);
    });
  }

  it('marks an unterminated double-quoted string as invalid up to the end of the line only', () => {
    expect(pieces('docker network create -o x="Ethernet 2').slice(-1)).toEqual([['"Ethernet 2', 'string.invalid.pp']]);
    // The next line starts fresh: the highlighter keeps no state across lines.
    const [, second] = monaco.editor.tokenize('x="Ethernet 2\ndocker ps', LANGUAGE_ID);
    expect(second[0].type).toBe('keyword.pp');
  });
});
