/**
 * What the run answers, declared where the editor can read it without loading the model: the
 * cmdlets `powershell()` dispatches (powershell.ts), the commands `docker exec` runs (tools.ts),
 * the docker commands `docker()` does not run (docker.ts), and the texts the run prints for what it
 * does not simulate or a tool refuses. src/vocabulary.ts reads them; tests/unit/vocabulary.test.ts
 * proves these lists and the dispatches agree.
 */
import type { ToolCommand, Word } from '../script/ast.js';

/**
 * The cmdlets `powershell()` (powershell.ts) runs, as PowerShell spells them: `alone` at the start
 * of a line, `piped` after another cmdlet (`Get-VMNetworkAdapter -VMName X | Set-VMNetworkAdapter
 * ...`, `| Format-List`). The editor offers exactly these (src/vocabulary.ts); a test proves every
 * one runs and that the dispatch runs no other.
 */
export const SIMULATED_CMDLETS: readonly { name: string; runs: 'alone' | 'piped' | 'both' }[] = [
  { name: 'Get-NetNat', runs: 'alone' },
  { name: 'Get-NetNatStaticMapping', runs: 'alone' },
  { name: 'Get-VMSwitch', runs: 'alone' },
  { name: 'Get-VMSwitchTeam', runs: 'alone' },
  { name: 'Get-NetAdapter', runs: 'alone' },
  { name: 'Get-NetCompartment', runs: 'alone' },
  { name: 'Get-HnsNetwork', runs: 'alone' },
  { name: 'Get-HnsEndpoint', runs: 'alone' },
  { name: 'Get-Service', runs: 'alone' },
  { name: 'Get-VMSwitchExtension', runs: 'alone' },
  { name: 'New-VMSwitch', runs: 'alone' },
  { name: 'Remove-VMSwitch', runs: 'alone' },
  { name: 'Restart-Service', runs: 'alone' },
  { name: 'Stop-Service', runs: 'alone' },
  { name: 'Start-Service', runs: 'alone' },
  { name: 'Remove-NetNat', runs: 'both' },
  { name: 'New-NetNat', runs: 'alone' },
  { name: 'Remove-HnsNetwork', runs: 'piped' },
  { name: 'Get-ContainerNetwork', runs: 'alone' },
  { name: 'Remove-ContainerNetwork', runs: 'both' },
  { name: 'Set-Content', runs: 'alone' },
  { name: 'Get-Content', runs: 'alone' },
  { name: 'Restart-Computer', runs: 'alone' },
  { name: 'Get-VMNetworkAdapter', runs: 'alone' },
  { name: 'Set-VMNetworkAdapter', runs: 'both' },
  { name: 'New-NetFirewallRule', runs: 'alone' },
  { name: 'Remove-NetFirewallRule', runs: 'alone' },
  { name: 'Test-NetConnection', runs: 'alone' },
  { name: 'Get-NetIPAddress', runs: 'alone' },
  { name: 'Get-NetIPInterface', runs: 'alone' },
  { name: 'Get-NetRoute', runs: 'alone' },
  { name: 'Get-NetNeighbor', runs: 'alone' },
  { name: 'Get-NetTCPConnection', runs: 'alone' },
  { name: 'Get-NetFirewallRule', runs: 'alone' },
  { name: 'Get-DnsClientServerAddress', runs: 'alone' },
  { name: 'Get-NetIPConfiguration', runs: 'alone' },
  { name: 'Resolve-DnsName', runs: 'alone' },
  { name: 'Invoke-WebRequest', runs: 'alone' },
  { name: 'Format-List', runs: 'piped' },
  { name: 'Format-Table', runs: 'piped' },
  { name: 'Where-Object', runs: 'piped' },
  { name: 'Select-Object', runs: 'piped' },
  { name: 'Sort-Object', runs: 'piped' },
  { name: 'ConvertTo-Json', runs: 'piped' },
];

/** What the run answers for a cmdlet it does not simulate (the editor shows the same text on the name). */
export function cmdletNotSimulated(name: string): string {
  if (/^[A-Za-z]+-[A-Za-z]+$/.test(name) && !/^get-|^set-|^new-|^remove-/i.test(name)) return notRecognizedText(name);
  const simulated = SIMULATED_CMDLETS.filter((c) => c.runs !== 'piped').map((c) => c.name).join(', ');
  return `${name} : Packet Path does not simulate this cmdlet. Simulated: ${simulated}.`;
}

/**
 * The cmdlets whose objects go through PowerShell's pipeline (src/model/ps-pipeline.ts), and the
 * stages that pipeline runs after them. Other cmdlets take `| Format-List` / `| Format-Table` only.
 */
export const OBJECT_CMDLETS: readonly string[] = [
  'Get-NetIPAddress', 'Get-NetIPInterface', 'Get-NetRoute', 'Get-NetNeighbor', 'Get-NetTCPConnection', 'Get-NetFirewallRule',
  'Get-DnsClientServerAddress', 'Get-NetIPConfiguration', 'Get-NetNat', 'Get-NetNatStaticMapping', 'Get-HnsNetwork', 'Get-HnsEndpoint',
];
/** The reset guides' pipelines, which remove every object the first cmdlet lists (src/model/repair.ts). */
export const REMOVAL_PIPES: Readonly<Record<string, string>> = { 'Get-NetNat': 'Remove-NetNat', 'Get-HnsNetwork': 'Remove-HnsNetwork', 'Get-ContainerNetwork': 'Remove-ContainerNetwork' };
export const PIPELINE_STAGES: readonly string[] = ['Where-Object', 'Select-Object', 'Sort-Object', 'Format-List', 'Format-Table', 'ConvertTo-Json', 'Out-String', 'Out-Default', 'Out-Host'];

/** What the run answers for a stage the object pipeline does not run (`| Group-Object`). */
export function objectStageNotSimulated(name: string): string {
  return `${name} : Packet Path does not simulate this pipeline stage (${name}); after a cmdlet it runs ${PIPELINE_STAGES.slice(0, 6).join(', ')}`;
}

/** What the run answers for a pipeline stage after a cmdlet whose output is not objects (`New-VMSwitch ... | Select-Object`). */
export function pipelineStageNotSimulated(name: string): string {
  return `${name} : Packet Path does not simulate this pipeline stage (${name}) after this cmdlet; use the cmdlet alone, optionally with | Format-List`;
}

/** PowerShell's answer for a name it cannot resolve. */
export function notRecognizedText(name: string): string {
  return `${name} : The term '${name}' is not recognized as the name of a cmdlet, function, script file, or operable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again.`;
}

/**
 * A stray argument the tool itself refuses, with the word it is about and the tool's text (the
 * editor shows the same text there): a second ping target (`Bad parameter X.`, ping's argument
 * parser as ReactOS reproduces it, base/applications/network/ping), any argument to hostname
 * (real hostname.exe output: it tries to set the name).
 */
export function toolArgumentError(cmd: ToolCommand): { word: Word; message: string } | undefined {
  if (cmd.tool === 'ping' && cmd.args.length > 1) return { word: cmd.args[1]!, message: `Bad parameter ${cmd.args[1]!.value}.` };
  const arg = cmd.words[0];
  if (cmd.tool === 'hostname' && arg && arg.value !== '/?') {
    return { word: arg, message: 'sethostname: Use the Network Control Panel Applet to set hostname.\nhostname -s is not supported.' };
  }
  return undefined;
}

/** Windows tools Packet Path does not run, with the reason: cmd's "is not recognized" would say Windows lacks them. */
const WINDOWS_TOOLS_NOT_SIMULATED: Readonly<Record<string, string>> = {
  pathping: 'its per-hop loss statistics take minutes of probes; tracert and ping -i show the path and who answers an expired TTL',
};

/** What the host's shell answers for a command it does not know (the editor shows the same text). */
export function hostCommandNotRecognized(name: string): string {
  const why = WINDOWS_TOOLS_NOT_SIMULATED[name.toLowerCase().replace(/\.exe$/, '')];
  if (why) return `${name}: Packet Path does not simulate ${name.replace(/\.exe$/i, '')} (${why})`;
  return `'${name}' is not recognized as an internal or external command,\noperable program or batch file.`;
}

/** The commands `docker exec` runs inside a container (the editor offers these). */
export const CONTAINER_COMMANDS: readonly string[] = ['ipconfig', 'ping', 'tracert', 'curl', 'nslookup', 'netsh', 'hostname', 'route', 'arp', 'netstat', 'Test-NetConnection', 'powershell'];

/** What the run answers for a command `docker exec` does not simulate (the editor shows the same text). */
export function containerCommandNotSimulated(name: string): string {
  const listed = CONTAINER_COMMANDS.map((c) => (c === 'netsh' ? 'netsh advfirewall' : c)).join(', ');
  return `${name || 'command'}: Packet Path does not simulate this command inside a container (${listed} are simulated)`;
}

/**
 * Commands the parser knows (docker/cli has them) that `docker()` (docker.ts) does not run. The
 * editor notes them with the run's answer (src/vocabulary.ts); a test proves this list and the
 * dispatch cover the parser's command tree.
 */
export const DOCKER_NOT_SIMULATED: readonly string[] = ['compose down'];

/** What the run answers for a docker command it does not simulate. */
export function dockerNotSimulated(path: string): string {
  return `docker: '${path}' is not a docker command simulated by Packet Path.\nSee 'docker --help'`;
}

/** The cmdlets `docker exec C powershell -Command` runs in a container's compartment (the editor offers these there). */
export const CONTAINER_CMDLETS: readonly string[] = [
  'Get-NetIPAddress', 'Get-NetIPInterface', 'Get-NetRoute', 'Get-NetNeighbor', 'Get-DnsClientServerAddress', 'Get-NetIPConfiguration', 'Resolve-DnsName', 'Invoke-WebRequest', 'Test-NetConnection',
];

/** What the run answers for a cmdlet `powershell -Command` does not run inside a container. */
export function cmdletNotSimulatedInContainer(name: string): string {
  return `${name} : Packet Path does not simulate this cmdlet inside a container. Simulated there: ${CONTAINER_CMDLETS.join(', ')}.`;
}
