/**
 * The editor and the run tell the same story (issue 8 item 7, issue 10 item 3): the vocabulary the
 * editor reads (src/vocabulary.ts) is walked and each entry is run through the library. Every cmdlet
 * the editor offers runs, every cmdlet the run dispatches is known to the editor, and for every
 * option Windows does not support the editor's diagnostic carries the text the run prints.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import ts from 'typescript';
import { runScript } from '../../src/index.js';
import type { RunResult, Step } from '../../src/result.js';
import { parseScript } from '../../src/script/index.js';
import { DOCKER_NOT_SIMULATED, SIMULATED_CMDLETS } from '../../src/model/answers.js';
import { DRIVER_OPTION_LIMITS, UNSUPPORTED_OPTIONS } from '../../src/model/unsupported.js';
import {
  CMDLET_VOCABULARY, CMDLETS_NOT_SIMULATED, CONTAINER_TOOLS, DOCKER_VOCABULARY, DRIVERS, HIGHLIGHT, SCRIPT_LINES,
  editorDiagnostics, findCmdlet, findCommand, findFlag, highlightWords,
} from '../../src/vocabulary.js';
import { complete } from '../../web/editor/completions.js';
import { definedNames } from '../../web/editor/names.js';

/** A virtualized host with a running container `app` and a second nat network `n9`. */
const SETUP = [
  'host h1 --virtualized --mac-spoofing off',
  'docker run -d --name app img',
  'docker network create -d nat --subnet 192.168.9.0/24 n9',
].join('\n');

async function runAfterSetup(line: string): Promise<{ result: RunResult; step: Step }> {
  const text = `${SETUP}\n${line}\n`;
  const result = await runScript(text, { seed: 1 });
  const n = text.split('\n').length - 1;
  const step = result.steps.find((s) => s.line === n);
  if (!step) throw new Error(`no step for line ${n}: ${line}`);
  return { result, step };
}

/** The editor's diagnostics for the last line of SETUP + line. */
function editorSays(line: string) {
  const text = `${SETUP}\n${line}\n`;
  const n = text.split('\n').length - 1;
  const script = parseScript(text);
  return [...script.diagnostics, ...editorDiagnostics(script)].filter((d) => d.line === n);
}

/** The labels the editor offers at the end of `text`. */
function offered(text: string): string[] {
  const lines = text.split('\n');
  return complete(text, lines.length, lines.at(-1)!.length + 1, definedNames(parseScript(text))).map((i) => i.label);
}

/** One line per cmdlet that runs alone, as a user would write it after SETUP. */
const INVOCATIONS: Record<string, string> = {
  'Get-NetNat': 'Get-NetNat',
  'Get-NetNatStaticMapping': 'Get-NetNatStaticMapping',
  'Get-VMSwitch': 'Get-VMSwitch',
  'Get-VMSwitchTeam': 'Get-VMSwitchTeam',
  'Get-NetAdapter': 'Get-NetAdapter',
  'Get-NetCompartment': 'Get-NetCompartment',
  'Get-HnsNetwork': 'Get-HnsNetwork',
  'Get-HnsEndpoint': 'Get-HnsEndpoint',
  'Get-Service': 'Get-Service vfpext',
  'Get-VMSwitchExtension': 'Get-VMSwitchExtension -VMSwitchName nat -Name "Microsoft Azure VFP Switch Extension"',
  'New-VMSwitch': 'New-VMSwitch -Name lab -SwitchType Internal',
  'Remove-VMSwitch': 'New-VMSwitch -Name lab -SwitchType Internal; Remove-VMSwitch -Name lab -Force',
  'Restart-Service': 'Restart-Service hns',
  'Stop-Service': 'Stop-Service hns',
  'Start-Service': 'Start-Service docker',
  'Remove-NetNat': 'Remove-NetNat',
  'New-NetNat': 'New-NetNat -Name lab -InternalIPInterfaceAddressPrefix 192.168.50.0/24',
  'Restart-Computer': 'Restart-Computer',
  'Set-Content': "Set-Content C:\\ProgramData\\docker\\config\\daemon.json '{\"bridge\": \"none\"}'",
  'Get-Content': "Set-Content C:\\ProgramData\\docker\\config\\daemon.json '{}'\nGet-Content C:\\ProgramData\\docker\\config\\daemon.json",
  // The Containers module exists on Windows Server 2016 only: these run on a second host of that release.
  'Get-ContainerNetwork': 'host old --os ws2016\nGet-ContainerNetwork',
  'Remove-ContainerNetwork': 'host old --os ws2016\ndocker network create -d nat --subnet 172.16.9.0/24 n9\nRemove-ContainerNetwork -Name n9 -Force',
  'Get-VMNetworkAdapter': 'Get-VMNetworkAdapter -VMName h1',
  'Set-VMNetworkAdapter': 'Set-VMNetworkAdapter -VMName h1 -MacAddressSpoofing On',
  'New-NetFirewallRule': 'New-NetFirewallRule -DisplayName web -Direction Inbound -Action Allow -Protocol TCP -LocalPort 80',
  'Remove-NetFirewallRule': 'New-NetFirewallRule -DisplayName web -Direction Inbound -Action Allow; Remove-NetFirewallRule -DisplayName web',
  'Test-NetConnection': 'Test-NetConnection 10.0.0.1',
  'Get-NetIPAddress': 'Get-NetIPAddress -AddressFamily IPv4',
  'Get-NetIPInterface': 'Get-NetIPInterface',
  'Get-NetRoute': 'Get-NetRoute -AddressFamily IPv4',
  'Get-NetNeighbor': 'Get-NetNeighbor',
  'Get-NetTCPConnection': 'Get-NetTCPConnection',
  'Get-NetFirewallRule': 'Get-NetFirewallRule',
  'Get-DnsClientServerAddress': 'Get-DnsClientServerAddress',
  'Get-NetIPConfiguration': 'Get-NetIPConfiguration',
  'Resolve-DnsName': 'Resolve-DnsName localhost',
  'Invoke-WebRequest': 'listen w3svc tcp/80; Invoke-WebRequest http://localhost/ -UseBasicParsing',
};

/** The string case labels of a dispatch function's switch in a model file. */
function caseLabels(fileUnderSrc: string, functionName: string): string[] {
  const file = resolve(import.meta.dirname, '../../src', fileUnderSrc);
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const labels: string[] = [];
  const visit = (node: ts.Node, inside: boolean) => {
    const here = inside || (ts.isFunctionDeclaration(node) && node.name?.text === functionName);
    if (here && ts.isCaseClause(node) && ts.isStringLiteral(node.expression)) labels.push(node.expression.text);
    ts.forEachChild(node, (c) => visit(c, here));
  };
  visit(source, false);
  return labels;
}

describe('docker commands: the editor knows what the run simulates', () => {
  const leaves: { words: string[]; path: string; simulated: boolean; note?: string }[] = [];
  const walk = (c: typeof DOCKER_VOCABULARY): void => {
    if (c.children.length === 0) {
      const written = c.words.join(' ');
      const parsed = parseScript(`${written} --help`).commands[0];
      const path = parsed?.kind === 'docker' ? parsed.path.join(' ') : '';
      leaves.push({ words: [...c.words], path, simulated: c.simulated, ...(c.notSimulated ? { note: c.notSimulated } : {}) });
    }
    c.children.forEach(walk);
  };
  walk(DOCKER_VOCABULARY);

  it('every command the parser accepts is dispatched by the run or declared not simulated, never both', () => {
    const labels = caseLabels('model/docker.ts', 'docker');
    expect(labels.length).toBeGreaterThan(20);
    expect(leaves.length).toBeGreaterThan(30);
    for (const leaf of leaves) {
      expect([leaf.path, labels.includes(leaf.path) !== DOCKER_NOT_SIMULATED.includes(leaf.path)]).toEqual([leaf.path, true]);
      expect([leaf.path, leaf.simulated]).toEqual([leaf.path, labels.includes(leaf.path)]);
    }
    // The run's other commands (node ls, service scale, swarm join-token) are ones the parser accepts.
    const paths = new Set(leaves.map((l) => l.path));
    for (const label of labels.filter((l) => !/^(network list|network remove|container |service list|service remove|node list|image pull)/.test(l))) {
      expect(paths, label).toContain(label);
    }
  });

  it('notes a command the run does not simulate with the run\'s answer', async () => {
    for (const leaf of leaves.filter((l) => !l.simulated)) {
      const line = `${leaf.words.join(' ')} x`;
      const { step } = await runAfterSetup(line);
      expect([line, step.ok, step.error]).toEqual([line, false, leaf.note]);
      expect(editorSays(line).map((d) => [d.severity, d.message])).toEqual([['info', leaf.note]]);
    }
  });

  it('runs node ls, service scale and swarm join-token (the parser accepts them now)', async () => {
    const text = 'docker swarm init\ndocker network create -d overlay ov\ndocker service create --name web --network ov img\n'
      + 'docker node ls\ndocker service scale web=2\ndocker swarm join-token worker\n';
    const r = await runScript(text, { seed: 1 });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.steps.slice(3).map((s) => [s.command, s.ok])).toEqual([['docker node ls', true], ['docker service scale web=2', true], ['docker swarm join-token worker', true]]);
  });
});

describe('cmdlets: the editor offers what the run simulates', () => {
  it('every cmdlet the run simulates has the parser\'s parameter table and a doc', () => {
    expect(CMDLET_VOCABULARY.map((c) => c.name)).toEqual(SIMULATED_CMDLETS.map((c) => c.name));
    for (const c of CMDLET_VOCABULARY) expect(c.doc.length, c.name).toBeGreaterThan(20);
  });

  it('offers at the start of a line exactly the cmdlets that run alone, and after a pipe those that run piped', () => {
    const alone = CMDLET_VOCABULARY.filter((c) => c.runs !== 'piped').map((c) => c.name);
    const piped = CMDLET_VOCABULARY.filter((c) => c.runs !== 'alone').map((c) => c.name);
    const atStart = offered('');
    expect(atStart.filter((l) => /-/.test(l) && l !== 'expect-fail').sort()).toEqual([...alone].sort());
    expect(offered('Get-VMNetworkAdapter -VMName h1 | ').sort()).toEqual([...piped].sort());
    // Get-NetNatStaticMapping and Get-VMSwitchTeam run, so the editor offers them.
    expect(atStart).toEqual(expect.arrayContaining(['Get-NetNatStaticMapping', 'Get-VMSwitchTeam']));
    for (const name of CMDLETS_NOT_SIMULATED) expect(atStart, name).not.toContain(name);
  });

  it('has an invocation for every cmdlet offered alone (a new cmdlet needs one here)', () => {
    expect(Object.keys(INVOCATIONS).sort()).toEqual(CMDLET_VOCABULARY.filter((c) => c.runs !== 'piped').map((c) => c.name).sort());
  });

  for (const [name, line] of Object.entries(INVOCATIONS)) {
    it(`${name} runs, and the editor raises nothing on it`, async () => {
      const { result } = await runAfterSetup(line);
      const last = result.steps.filter((s) => s.line === 4);
      expect(last.map((s) => [s.command, s.ok, s.error])).toEqual(last.map((s) => [s.command, true, null]));
      expect(editorSays(line)).toEqual([]);
    });
  }

  it('runs every alias of a simulated cmdlet as the cmdlet (was: `gsv` answered "does not simulate")', async () => {
    // A piped cmdlet's alias after Get-NetNat, with the arguments it needs (Where-Object a condition).
    const PIPED_ARGS: Record<string, string> = { 'Where-Object': ' Name -like *', 'Select-Object': ' Name', 'Sort-Object': ' Name' };
    const aliases = CMDLET_VOCABULARY.flatMap((c) => c.aliases.map((a) => [a, INVOCATIONS[c.name]?.replace(c.name, a) ?? `Get-NetNat | ${a}${PIPED_ARGS[c.name] ?? ''}`]));
    expect(aliases.map(([a]) => a)).toEqual(expect.arrayContaining(['gsv', 'tnc', 'fl', 'ft']));
    for (const [alias, line] of aliases) {
      const { step } = await runAfterSetup(line!);
      expect([alias, step.ok, step.error]).toEqual([alias, true, null]);
      expect(editorSays(line!), alias).toEqual([]);
    }
  });

  it('pipes into the cmdlets that run piped', async () => {
    for (const line of ['Get-NetNat | Format-List', 'Get-NetNat | Format-Table', 'Get-VMNetworkAdapter -VMName h1 | Set-VMNetworkAdapter -MacAddressSpoofing On']) {
      const { step } = await runAfterSetup(line);
      expect([line, step.ok]).toEqual([line, true]);
      expect(editorSays(line)).toEqual([]);
    }
  });

  it('every cmdlet the run dispatches is known to the editor', () => {
    // The case labels of the model's dispatch (src/model/powershell.ts `powershell()`).
    const labels = caseLabels('model/powershell.ts', 'powershell');
    expect(labels.length).toBeGreaterThan(15);
    for (const label of labels) expect(findCmdlet(label)?.name.toLowerCase(), label).toBe(label);
  });

  it('for a cmdlet the parser knows but the run does not simulate, the editor note is the run\'s answer', async () => {
    // Every cmdlet the parser knows runs now (Get-ContainerNetwork was the last); unknown ones get the same answer in both places.
    expect(CMDLETS_NOT_SIMULATED).toEqual([]);
    for (const name of [...CMDLETS_NOT_SIMULATED.filter((n) => !/^(Where-Object|Select-Object|Sort-Object)$/.test(n)), 'Get-Frobs', 'Invoke-Frobs']) {
      const { step } = await runAfterSetup(name);
      const notes = editorSays(name);
      expect(step.ok, name).toBe(false);
      expect(notes.map((d) => [d.severity, d.message]), name).toEqual([['info', step.error]]);
    }
    const line = 'Get-NetNat | Group-Object Name';
    const { step } = await runAfterSetup(line);
    expect(editorSays(line).map((d) => [d.column, d.message])).toEqual([[14, step.error]]);
  });
});

describe('commands: the editor note on an unsimulated command is the run\'s answer', () => {
  for (const line of ['whoami', 'docker exec app whoami', 'docker exec app cmd /c whoami']) {
    it(line, async () => {
      const { step } = await runAfterSetup(line);
      expect(step.ok).toBe(false);
      expect(editorSays(line).map((d) => d.message)).toEqual([step.error]);
    });
  }

  it('powershell -Command in a container: no note on a cmdlet that runs there, the run\'s answer on one that does not', async () => {
    for (const line of ['docker exec app powershell -Command "Get-NetIPAddress | Select-Object IPAddress"', 'docker exec app powershell -NoProfile -Command Get-NetRoute']) {
      const { step } = await runAfterSetup(line);
      expect([line, step.ok]).toEqual([line, true]);
      expect(editorSays(line), line).toEqual([]);
    }
    const line = 'docker exec app powershell -Command "Get-VMSwitch"';
    const { step } = await runAfterSetup(line);
    expect(step.ok).toBe(false);
    expect(editorSays(line).map((d) => d.message)).toEqual([step.error]);
  });

  it('offers inside a container exactly the commands the run simulates there', async () => {
    expect(offered(`${SETUP}\ndocker exec app `)).toEqual(CONTAINER_TOOLS.map((t) => t.name));
    for (const line of ['docker exec app ipconfig', 'docker exec app hostname', 'docker exec app ping -n 1 app', 'docker exec app nslookup app',
      'docker exec app curl http://app/', 'docker exec app netsh advfirewall firewall add rule name=x dir=in action=allow',
      'docker exec app powershell Test-NetConnection app']) {
      const { step } = await runAfterSetup(line);
      expect(step.error ?? '', line).not.toMatch(/does not simulate/);
      expect(editorSays(line), line).toEqual([]);
    }
  });
});

/** SPEC §3's list of what Windows does not support, as `<path> --<flag>`. */
const SPEC_UNSUPPORTED = [
  'run --link', 'run --ip6', 'run --dns-option', 'run --dns-search',
  'network create --aux-address', 'network create --internal', 'network create --ip-range', 'network create --ipam-driver',
  'network create --ipam-opt', 'network create --ipv6', 'network create --opt encrypted',
];

describe('unsupported options: one message, the run\'s', () => {
  it('covers SPEC §3\'s list', () => {
    expect(Object.keys(UNSUPPORTED_OPTIONS)).toEqual(expect.arrayContaining(SPEC_UNSUPPORTED));
  });

  for (const [key, option] of Object.entries(UNSUPPORTED_OPTIONS)) {
    it(`${key}: the editor diagnostic is the run's ${option.effect === 'refused' ? 'error' : 'warning'}`, async () => {
      const { step } = await runAfterSetup(option.example);
      const notes = editorSays(option.example);
      expect(notes.map((d) => d.code)).toEqual(['unsupported-option']);
      const [note] = notes;
      if (option.effect === 'refused') {
        expect([step.ok, step.error]).toEqual([false, note!.message]);
        expect(note!.severity).toBe('error');
      } else {
        expect([step.ok, step.warnings]).toEqual([true, [note!.message]]);
        expect(note!.severity).toBe('warning');
      }
      // The hover and completion of the flag carry the same text.
      const cmd = findCommand(option.example.split(' '))!;
      // `--dns-opt` is hidden (not offered): the offered spelling `--dns-option` carries its text.
      const written = option.flag === 'opt encrypted' ? '--opt' : option.flag === 'dns-opt' ? '--dns-option' : `--${option.flag}`;
      const flag = findFlag(cmd, written)!;
      if (option.flag === 'opt encrypted') expect(flag.doc).toContain(option.message({ values: [], driver: '' }));
      else expect(flag.unsupported?.effect).toBe(option.effect);
    });
  }

  it('says nothing for what is supported (`--ipv6=false`, one `--dns-search`)', async () => {
    for (const line of ['docker network create -d nat --subnet 172.16.5.0/24 --ipv6=false n1', 'docker run -d --name web --dns-search a.local img']) {
      const { step } = await runAfterSetup(line);
      expect([step.ok, step.warnings]).toEqual([true, []]);
      expect(editorSays(line)).toEqual([]);
    }
  });
});

describe('driver options that do not apply to the driver: one message, the run\'s', () => {
  const VALUES: Record<string, string> = { interface: '"Ethernet"', vlanid: '11', enable_outboundnat: 'true' };
  for (const limit of DRIVER_OPTION_LIMITS) {
    const short = limit.key.split('.').at(-1)!;
    it(`${short} on a nat network`, async () => {
      expect(limit.appliesTo('nat')).toBe(false);
      const line = `docker network create -d nat --subnet 192.168.50.0/24 -o ${limit.key}=${VALUES[short]} n50`;
      const { step } = await runAfterSetup(line);
      const notes = editorSays(line);
      expect([step.ok, step.warnings]).toEqual([true, notes.map((d) => d.message)]);
      expect(notes.map((d) => [d.code, d.severity, d.column])).toEqual([['driver-option', 'warning', 55]]);
    });
  }

  it('says nothing where the option applies, or asks for nothing', async () => {
    for (const line of [
      'docker network create -d transparent --subnet 192.168.60.0/24 --gateway 192.168.60.1 -o com.docker.network.windowsshim.vlanid=11 t60',
      'docker network create -d nat --subnet 192.168.50.0/24 -o com.docker.network.windowsshim.vlanid=0 n50',
      'docker network create -d nat --subnet 192.168.50.0/24 -o com.docker.network.windowsshim.enable_outboundnat=false n50',
    ]) {
      const { step } = await runAfterSetup(line);
      expect([line, step.ok, step.warnings]).toEqual([line, true, []]);
      expect(editorSays(line)).toEqual([]);
    }
  });
});

describe('the rest of the vocabulary', () => {
  it('every driver the editor offers is one the run creates', async () => {
    expect(offered('docker network create -d ')).toEqual(DRIVERS.map((d) => d.name));
    for (const d of DRIVERS) {
      const { step } = await runAfterSetup(`docker network create -d ${d.name} x`);
      expect(step.error ?? '', d.name).not.toMatch(/plugin .* not found|not simulated/);
    }
  });

  it('every docker flag the editor offers is one the parser accepts, with a doc', () => {
    const walk = (c: typeof DOCKER_VOCABULARY): void => {
      for (const f of c.flags) {
        expect(f.doc.length, `${c.words.join(' ')} --${f.name}`).toBeGreaterThan(0);
        if (c.children.length || f.name === 'help' || f.name === 'version') continue;
        const value = f.type === 'bool' ? '' : f.type === 'int' || f.type === 'uint' ? '=1' : f.values ? `=${f.values[0]}` : '=x';
        const s = parseScript(`${c.words.join(' ')} --${f.name}${value}`);
        expect(s.diagnostics.filter((d) => d.code === 'unknown-flag'), `${c.words.join(' ')} --${f.name}`).toEqual([]);
      }
      c.children.forEach(walk);
    };
    walk(DOCKER_VOCABULARY);
  });

  it('gives the highlighter the parser\'s words (src/script/words.ts is their copy: update it from this diff)', () => {
    expect(HIGHLIGHT).toEqual(highlightWords());
    expect(HIGHLIGHT.verbs).toEqual(['host', 'lan', 'client', 'listen', 'flood', 'docker', 'expect', 'expect-fail']);
    expect(HIGHLIGHT.subcommands).toEqual(expect.arrayContaining(['network', 'create', 'ls', 'list', 'compose', 'up', 'dhcp']));
    expect(HIGHLIGHT.cmdlets).toEqual(expect.arrayContaining(['Get-NetNatStaticMapping', 'Get-VMSwitchTeam', 'fl', 'gsv']));
    expect(SCRIPT_LINES.map((c) => c.words.join(' '))).toEqual(['host', 'lan dhcp', 'client', 'listen', 'flood', 'expect', 'expect-fail']);
  });
});

describe('stray arguments are flagged everywhere, with the text the run prints', () => {
  const lines = [
    // The tools' own refusals (run-time, the line parses).
    'ping -n 1 10.0.0.1 10.0.0.2',
    'docker exec app ping -n 1 app extra',
    'docker exec app cmd /c ping app extra',
    'hostname extra',
    'docker exec app hostname extra',
    // Lines the parser rejects: docker's, PowerShell's and the simulator's own argument checks.
    'docker network ls extra',
    'docker network rm',
    'Get-NetNat nat extra',
    'host h1 extra',
  ];
  for (const line of lines) {
    it(line, async () => {
      const { step } = await runAfterSetup(line);
      expect(step.ok).toBe(false);
      const errors = editorSays(line).filter((d) => d.severity === 'error');
      expect(errors).toHaveLength(1);
      // The editor names what the run prints: the whole text, or (a parse error) its first line.
      expect(step.error!.startsWith(errors[0]!.message)).toBe(true);
      if (!step.rejected) expect(errors[0]!.message).toBe(step.error);
    });
  }

  it('points at the stray word', () => {
    const [d] = editorSays('docker exec app ping -n 1 app extra');
    expect([d!.column, d!.length, d!.code]).toEqual([31, 5, 'stray-argument']);
  });

  it('from an external client too', async () => {
    const text = 'client laptop --ip 10.0.0.50\nclient laptop ping 10.0.0.10 extra\n';
    const r = await runScript(text, { seed: 1 });
    const d = editorDiagnostics(parseScript(text));
    expect([r.steps[1]!.ok, r.steps[1]!.error]).toEqual([false, 'Bad parameter extra.']);
    expect(d.map((x) => [x.line, x.message])).toEqual([[2, 'Bad parameter extra.']]);
  });
});
