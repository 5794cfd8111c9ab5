/**
 * PowerShell cmdlets: the parameters of the ones Packet Path knows, and PowerShell's parameter
 * binding rules as far as a script needs them: names are case-insensitive and may be shortened to
 * any unambiguous prefix (`-VMN`), `-Name value` or `-Name:value`, switch parameters take no value
 * (`-Force`, or `-Force:$false`), a quoted `"-x"` is an argument, positional arguments bind to the
 * positional parameters in order. Errors carry PowerShell's own texts.
 */
import type { Cmdlet, Flag } from './ast.js';
import { type LexWord, type LogicalLine, wordSubSpan } from './lexer.js';
import { joinSpans } from './flags.js';
import { ParseFailure } from './errors.js';

export interface CmdletParameter {
  /** As the cmdlet spells it (`MacAddressSpoofing`). */
  name: string;
  /** `switch`, or the .NET type named in PowerShell's "Specify a parameter of type" message. */
  type: string;
  /** Position for positional binding (0-based), when the parameter is positional. */
  position?: number;
  /** Enumeration values (checked, and offered for completion). */
  values?: readonly string[];
  /** The .NET enum type named in the conversion error, for parameters with `values`. */
  enumType?: string;
  description?: string;
}

export interface CmdletSpec {
  name: string;
  aliases?: readonly string[];
  description: string;
  parameters: readonly CmdletParameter[];
  /** Parameters are not checked (Where-Object's simplified syntax has operators like `-eq`). */
  freeForm?: boolean;
}

const STR = 'System.String';
const STRS = 'System.String[]';
const ON_OFF = { values: ['On', 'Off'], enumType: 'Microsoft.HyperV.PowerShell.OnOffState' } as const;

/** Parameters every cmdlet has (about_CommonParameters). */
export const COMMON_PARAMETERS: readonly CmdletParameter[] = [
  { name: 'Verbose', type: 'switch' },
  { name: 'Debug', type: 'switch' },
  { name: 'ErrorAction', type: 'System.Management.Automation.ActionPreference', values: ['Break', 'Continue', 'Ignore', 'Inquire', 'SilentlyContinue', 'Stop', 'Suspend'], enumType: 'System.Management.Automation.ActionPreference' },
  { name: 'WarningAction', type: 'System.Management.Automation.ActionPreference', values: ['Break', 'Continue', 'Ignore', 'Inquire', 'SilentlyContinue', 'Stop', 'Suspend'], enumType: 'System.Management.Automation.ActionPreference' },
  { name: 'ErrorVariable', type: STR },
  { name: 'WarningVariable', type: STR },
  { name: 'OutVariable', type: STR },
  { name: 'OutBuffer', type: 'System.Int32' },
  { name: 'PipelineVariable', type: STR },
];

export const CMDLETS: readonly CmdletSpec[] = [
  {
    name: 'Get-NetNat', description: 'Lists the WinNAT instances: Name, ExternalIPInterfaceAddressPrefix, InternalIPInterfaceAddressPrefix (on ws2016 every extra NAT network must be a partition of it), timeouts.',
    parameters: [{ name: 'Name', type: STRS, position: 0 }, { name: 'ThrottleLimit', type: 'System.Int32' }, { name: 'AsJob', type: 'switch' }],
  },
  {
    name: 'New-NetNat', description: 'Creates a WinNAT instance for an internal prefix.',
    parameters: [
      { name: 'Name', type: STR, position: 0 },
      { name: 'InternalIPInterfaceAddressPrefix', type: STR },
      { name: 'ExternalIPInterfaceAddressPrefix', type: STR },
      { name: 'Active', type: 'System.Boolean' },
      { name: 'IcmpQueryTimeout', type: 'System.UInt32' },
      { name: 'TcpEstablishedConnectionTimeout', type: 'System.UInt32' },
      { name: 'TcpTransientConnectionTimeout', type: 'System.UInt32' },
      { name: 'UdpIdleSessionTimeout', type: 'System.UInt32' },
    ],
  },
  {
    name: 'Get-NetNatStaticMapping', description: 'Lists the WinNAT static mappings: one per published port (`docker run -p`), with its external and internal address and port.',
    parameters: [
      { name: 'NatName', type: STRS, position: 0 },
      { name: 'ThrottleLimit', type: 'System.Int32' },
      { name: 'AsJob', type: 'switch' },
    ],
  },
  {
    name: 'Get-VMSwitchTeam', description: 'Lists the Switch Embedded Teaming switches (a vSwitch bound to several adapters): members, teaming mode, load balancing.',
    parameters: [{ name: 'Name', type: STRS, position: 0 }, { name: 'ComputerName', type: STRS }],
  },
  {
    name: 'Get-VMSwitch', description: 'Lists the Hyper-V virtual switches: Name, SwitchType (Internal: not bound to a NIC; External: bound to one), NetAdapterInterfaceDescription.',
    parameters: [
      { name: 'Name', type: STRS, position: 0 },
      { name: 'SwitchType', type: 'Microsoft.HyperV.PowerShell.VMSwitchType[]', values: ['Internal', 'Private', 'External'], enumType: 'Microsoft.HyperV.PowerShell.VMSwitchType' },
      { name: 'Id', type: 'System.Guid' },
      { name: 'ComputerName', type: STRS },
      { name: 'ResourcePoolName', type: STRS },
    ],
  },
  {
    name: 'New-VMSwitch', description: 'Creates a Hyper-V virtual switch (external when bound to an adapter with -NetAdapterName). Created out of band while Docker runs, it is invisible to Docker until `Restart-Service hns` + `Restart-Service docker`, and it blocks transparent networks on that adapter (seed tip 9).',
    parameters: [
      { name: 'Name', type: STR, position: 0, description: 'Name of the new switch.' },
      { name: 'NetAdapterName', type: STRS, description: 'Adapter to bind: the switch is external. Several adapters with -EnableEmbeddedTeaming make a Switch Embedded Teaming switch.' },
      { name: 'NetAdapterInterfaceDescription', type: STRS },
      { name: 'SwitchType', type: 'Microsoft.HyperV.PowerShell.VMSwitchType', values: ['Internal', 'Private'], enumType: 'Microsoft.HyperV.PowerShell.VMSwitchType', description: 'Internal (the host can reach it) or Private, for a switch bound to no adapter.' },
      { name: 'AllowManagementOS', type: 'System.Boolean', description: 'Whether the host keeps a vNIC on an external switch.' },
      { name: 'EnableEmbeddedTeaming', type: 'System.Boolean' },
      { name: 'EnableIov', type: 'System.Boolean' },
      { name: 'MinimumBandwidthMode', type: 'Microsoft.HyperV.PowerShell.VMSwitchBandwidthMode', values: ['Default', 'Weight', 'Absolute', 'None'], enumType: 'Microsoft.HyperV.PowerShell.VMSwitchBandwidthMode' },
      { name: 'Notes', type: STR },
      { name: 'ComputerName', type: STRS },
    ],
  },
  {
    name: 'Remove-VMSwitch', description: 'Removes a Hyper-V virtual switch (seed tip 9\'s other fix for an out-of-band switch).',
    parameters: [{ name: 'Name', type: STRS, position: 0, description: 'The switch to remove.' }, { name: 'Force', type: 'switch' }, { name: 'Confirm', type: 'switch' }, { name: 'WhatIf', type: 'switch' }, { name: 'ComputerName', type: STRS }],
  },
  {
    name: 'Get-VMSwitchExtension', description: 'Lists a virtual switch’s extensions; “Microsoft Azure VFP Switch Extension” should show Running: True.',
    parameters: [{ name: 'VMSwitchName', type: STRS, position: 0, description: 'The switch whose extensions to list (`nat`, or an external switch).' }, { name: 'Name', type: STRS, position: 1, description: 'An extension by name: "Microsoft Azure VFP Switch Extension".' }, { name: 'ComputerName', type: STRS }],
  },
  {
    name: 'Get-NetAdapter', description: 'Lists the network adapters (their names are what `-o com.docker.network.windowsshim.interface=` takes).',
    parameters: [
      { name: 'Name', type: STRS, position: 0 },
      { name: 'InterfaceDescription', type: STRS },
      { name: 'InterfaceIndex', type: 'System.UInt32[]' },
      { name: 'Physical', type: 'switch' },
      { name: 'IncludeHidden', type: 'switch' },
    ],
  },
  {
    name: 'Get-NetCompartment', description: 'Lists the network compartments: each container endpoint has its own; the host vNIC and host stack are in the default compartment (1).',
    parameters: [{ name: 'CompartmentId', type: 'System.UInt32[]' }, { name: 'CompartmentDescription', type: STRS }],
  },
  {
    name: 'Get-HnsNetwork', description: 'Lists the HNS networks (HNS module, hns.psm1): HNS’s names, subnets, switch extensions.',
    // A script function: its parameters bind by position too.
    parameters: [{ name: 'Id', type: STR, position: 0 }],
  },
  {
    name: 'Get-HnsEndpoint', description: 'Lists the HNS endpoints (HNS module, hns.psm1): IP, MAC, policies (ACL, NAT, PA, OutBoundNAT), EncapOverhead.',
    parameters: [{ name: 'Id', type: STR, position: 0 }],
  },
  {
    name: 'Get-ContainerNetwork', description: 'Lists the HNS networks (the Containers module of Windows Server 2016; later releases lack it): Name, Id, Subnets, Mode.',
    parameters: [{ name: 'Name', type: STRS, position: 0 }, { name: 'Id', type: 'System.Guid' }],
  },
  {
    name: 'Set-Content', description: 'Writes dockerd\'s configuration file: `Set-Content C:\\ProgramData\\docker\\config\\daemon.json \'{"bridge": "none"}\'`; dockerd reads it at its next start (`Restart-Service docker`).',
    parameters: [{ name: 'Path', type: STRS, position: 0 }, { name: 'Value', type: 'System.Object[]', position: 1 }, { name: 'Force', type: 'switch' }, { name: 'Encoding', type: STR }],
  },
  {
    name: 'Get-Content', description: 'Prints dockerd\'s configuration file (C:\\ProgramData\\docker\\config\\daemon.json).',
    parameters: [{ name: 'Path', type: STRS, position: 0 }],
  },
  {
    name: 'Remove-ContainerNetwork', description: 'Removes HNS networks (`Get-ContainerNetwork | Remove-ContainerNetwork -Force`, Windows Server 2016): Docker lists them until dockerd restarts.',
    parameters: [{ name: 'Name', type: STRS, position: 0 }, { name: 'Force', type: 'switch' }, { name: 'Confirm', type: 'switch' }, { name: 'WhatIf', type: 'switch' }],
  },
  {
    name: 'Get-Service', aliases: ['gsv'], description: 'Shows Windows services: `Get-Service vfpext` (the VFP extension should be Running), hns, docker.',
    parameters: [
      { name: 'Name', type: STRS, position: 0, description: 'Service name: vfpext, hns, docker.' },
      { name: 'DisplayName', type: STRS },
      { name: 'DependentServices', type: 'switch' },
      { name: 'RequiredServices', type: 'switch' },
    ],
  },
  {
    name: 'Restart-Service', description: 'Restarts a Windows service: `Restart-Service hns` then `Restart-Service docker` make out-of-band switches visible to Docker.',
    parameters: [{ name: 'Name', type: STRS, position: 0, description: 'Service name: hns, docker.' }, { name: 'DisplayName', type: STRS }, { name: 'Force', type: 'switch' }, { name: 'PassThru', type: 'switch' }],
  },
  {
    name: 'Stop-Service', aliases: ['spsv'], description: 'Stops a Windows service. `Stop-Service docker` stops every container (their endpoints go) and closes the engine pipe until `Start-Service docker`.',
    parameters: [{ name: 'Name', type: STRS, position: 0 }, { name: 'DisplayName', type: STRS }, { name: 'Force', type: 'switch' }, { name: 'NoWait', type: 'switch' }, { name: 'PassThru', type: 'switch' }],
  },
  {
    name: 'Start-Service', aliases: ['sasv'], description: 'Starts a Windows service. `Start-Service docker` makes dockerd reconcile with HNS: networks whose HNS network is gone are deleted (user nat networks re-created), the default nat is created if missing.',
    parameters: [{ name: 'Name', type: STRS, position: 0 }, { name: 'DisplayName', type: STRS }, { name: 'PassThru', type: 'switch' }],
  },
  {
    name: 'Remove-NetNat', description: 'Removes WinNAT instances (`Get-NetNat | Remove-NetNat`): nat networks lose their outbound NAT and published ports until Docker creates the network again.',
    parameters: [{ name: 'Name', type: STRS, position: 0 }, { name: 'Confirm', type: 'switch' }, { name: 'WhatIf', type: 'switch' }, { name: 'PassThru', type: 'switch' }],
  },
  {
    name: 'Remove-HnsNetwork', description: 'Removes the HNS networks piped to it (`Get-HnsNetwork | Remove-HnsNetwork`, HNS module); a running dockerd keeps listing them until it restarts.',
    parameters: [{ name: 'InputObject', type: 'System.Object', position: 0 }],
  },
  {
    name: 'Restart-Computer', description: 'Restarts the current host (applies `reg delete ... DisabledComponents`).',
    parameters: [{ name: 'ComputerName', type: STRS, position: 0 }, { name: 'Force', type: 'switch' }, { name: 'Wait', type: 'switch' }],
  },
  {
    name: 'Get-VMNetworkAdapter', description: 'Gets a VM’s network adapters: the container host VM’s adapter, piped to `Set-VMNetworkAdapter -MacAddressSpoofing On` (seed tip 3).',
    parameters: [
      { name: 'VMName', type: STRS, position: 0, description: 'The VM: the container host itself when it is virtualized.' },
      { name: 'Name', type: STR },
      { name: 'ManagementOS', type: 'switch' },
      { name: 'All', type: 'switch' },
      { name: 'SwitchName', type: STR },
      { name: 'ComputerName', type: STRS },
    ],
  },
  {
    name: 'Set-VMNetworkAdapter', description: 'Configures a VM network adapter: `-MacAddressSpoofing On` is needed for DHCP on a virtualized container host with transparent networks (seed tip 3).',
    parameters: [
      { name: 'VMName', type: STRS, position: 0, description: 'The VM: the container host itself when it is virtualized.' },
      { name: 'Name', type: STR },
      { name: 'MacAddressSpoofing', type: 'Microsoft.HyperV.PowerShell.OnOffState', ...ON_OFF, description: 'On lets the VM send frames from other MACs: its containers’ on a transparent network (DHCP needs it).' },
      { name: 'DhcpGuard', type: 'Microsoft.HyperV.PowerShell.OnOffState', ...ON_OFF },
      { name: 'RouterGuard', type: 'Microsoft.HyperV.PowerShell.OnOffState', ...ON_OFF },
      { name: 'StaticMacAddress', type: STR },
      { name: 'DynamicMacAddress', type: 'switch' },
      { name: 'ManagementOS', type: 'switch' },
      { name: 'PassThru', type: 'switch' },
      { name: 'ComputerName', type: STRS },
    ],
  },
  {
    name: 'New-NetFirewallRule', description: 'Creates a Windows Firewall rule on the host (a block rule beats any allow rule).',
    parameters: [
      { name: 'DisplayName', type: STR, description: 'Name of the rule (Remove-NetFirewallRule -DisplayName takes it).' },
      { name: 'Name', type: STR },
      { name: 'Direction', type: 'Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Direction', values: ['Inbound', 'Outbound'], enumType: 'Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Direction', description: 'Inbound or Outbound.' },
      { name: 'Action', type: 'Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Action', values: ['NotConfigured', 'Allow', 'Block'], enumType: 'Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Action', description: 'Allow or Block; a block rule beats any allow rule.' },
      { name: 'Protocol', type: STR, description: 'TCP, UDP, ICMPv4 or a protocol number.' },
      { name: 'LocalPort', type: STRS, description: 'Port or ports (comma separated) the rule matches on this host.' },
      { name: 'RemotePort', type: STRS },
      { name: 'LocalAddress', type: STRS },
      { name: 'RemoteAddress', type: STRS, description: 'Addresses or prefixes of the other end.' },
      { name: 'Profile', type: 'Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Profile', values: ['Any', 'Domain', 'Private', 'Public', 'NotApplicable'], enumType: 'Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Profile' },
      { name: 'Enabled', type: 'Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Enabled', values: ['True', 'False'], enumType: 'Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Enabled' },
      { name: 'Program', type: STR },
      { name: 'Description', type: STR },
      { name: 'Group', type: STR },
    ],
  },
  {
    name: 'Remove-NetFirewallRule', description: 'Removes Windows Firewall rules.',
    parameters: [{ name: 'Name', type: STRS, position: 0 }, { name: 'DisplayName', type: STRS }, { name: 'All', type: 'switch' }],
  },
  {
    name: 'Get-NetFirewallRule', description: 'Lists Windows Firewall rules.',
    parameters: [
      { name: 'Name', type: STRS, position: 0 },
      { name: 'DisplayName', type: STRS },
      { name: 'All', type: 'switch' },
      { name: 'Direction', type: 'Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Direction[]', values: ['Inbound', 'Outbound'], enumType: 'Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Direction' },
      { name: 'Action', type: 'Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Action[]', values: ['NotConfigured', 'Allow', 'Block'], enumType: 'Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Action' },
      { name: 'Enabled', type: 'Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Enabled[]', values: ['True', 'False'], enumType: 'Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Enabled' },
    ],
  },
  {
    name: 'Test-NetConnection', aliases: ['tnc'], description: 'Tests reachability of a host (ICMP) or a TCP port (-Port).',
    parameters: [
      { name: 'ComputerName', type: STR, position: 0, description: 'Name or address to test.' },
      { name: 'Port', type: 'System.Int32', description: 'TCP port to connect to (without it, an ICMP echo).' },
      { name: 'CommonTCPPort', type: STR, values: ['HTTP', 'RDP', 'SMB', 'WINRM'], enumType: STR },
      { name: 'InformationLevel', type: STR, values: ['Quiet', 'Detailed'], enumType: STR },
      { name: 'TraceRoute', type: 'switch' },
      { name: 'Hops', type: 'System.Int32' },
    ],
  },
  {
    name: 'Get-NetIPAddress', description: 'Lists the IP addresses of the current stack (the host, or a container with docker exec ... powershell -Command): address, prefix length, interface, origin.',
    parameters: [
      { name: 'IPAddress', type: STRS, position: 0 }, { name: 'InterfaceIndex', type: 'System.UInt32[]' }, { name: 'InterfaceAlias', type: STRS },
      { name: 'AddressFamily', type: 'Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetIPAddress.AddressFamily[]', values: ['IPv4', 'IPv6'], enumType: 'Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetIPAddress.AddressFamily' },
      { name: 'IncludeAllCompartments', type: 'switch' },
    ],
  },
  {
    name: 'Get-NetIPInterface', description: 'Lists the IP interfaces of the current stack: index, alias, family, MTU, interface metric, DHCP.',
    parameters: [
      { name: 'InterfaceAlias', type: STRS, position: 0 }, { name: 'InterfaceIndex', type: 'System.UInt32[]' },
      { name: 'AddressFamily', type: 'Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetIPInterface.AddressFamily[]', values: ['IPv4', 'IPv6'], enumType: 'Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetIPInterface.AddressFamily' },
      { name: 'IncludeAllCompartments', type: 'switch' },
    ],
  },
  {
    name: 'Get-NetRoute', description: 'Lists the IPv4 routes of the current stack as its data plane holds them (the routes HNS programmed, plus the host, broadcast, loopback and multicast routes).',
    parameters: [
      { name: 'DestinationPrefix', type: STRS }, { name: 'InterfaceIndex', type: 'System.UInt32[]' }, { name: 'InterfaceAlias', type: STRS },
      { name: 'AddressFamily', type: 'Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetRoute.AddressFamily[]', values: ['IPv4', 'IPv6'], enumType: 'Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetRoute.AddressFamily' },
      { name: 'IncludeAllCompartments', type: 'switch' },
    ],
  },
  {
    name: 'Get-NetNeighbor', description: 'Lists the neighbour cache of the current stack: the neighbours HNS programs (Permanent) and those ARP taught the data plane (Reachable).',
    parameters: [
      { name: 'IPAddress', type: STRS, position: 0 }, { name: 'InterfaceIndex', type: 'System.UInt32[]' }, { name: 'InterfaceAlias', type: STRS },
      { name: 'AddressFamily', type: 'Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetNeighbor.AddressFamily[]', values: ['IPv4', 'IPv6'], enumType: 'Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetNeighbor.AddressFamily' },
    ],
  },
  {
    name: 'Get-NetTCPConnection', description: 'Lists the host\'s TCP sockets: the processes listening (the `listen` line). WinNAT\'s published ports are no sockets and are not listed.',
    parameters: [
      { name: 'LocalAddress', type: STRS, position: 0 }, { name: 'LocalPort', type: 'System.UInt16[]', position: 1 }, { name: 'RemoteAddress', type: STRS }, { name: 'RemotePort', type: 'System.UInt16[]' },
      { name: 'State', type: 'Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetTCPConnection.State[]', values: ['Closed', 'Listen', 'SynSent', 'SynReceived', 'Established', 'FinWait1', 'FinWait2', 'CloseWait', 'Closing', 'LastAck', 'TimeWait', 'DeleteTCB', 'Bound'], enumType: 'Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetTCPConnection.State' },
      { name: 'OwningProcess', type: 'System.UInt32[]' },
    ],
  },
  {
    name: 'Get-DnsClientServerAddress', description: 'Lists the DNS servers of each interface (in a container: its endpoint\'s DNS servers, the nat gateway on nat networks).',
    parameters: [{ name: 'InterfaceAlias', type: STRS, position: 0 }, { name: 'InterfaceIndex', type: 'System.UInt32[]' }, { name: 'AddressFamily', type: 'System.String[]', values: ['IPv4', 'IPv6'], enumType: 'System.String' }],
  },
  {
    name: 'Get-NetIPConfiguration', aliases: ['gip'], description: 'Shows each connected interface\'s address, default gateway and DNS servers.',
    parameters: [{ name: 'InterfaceAlias', type: STR, position: 0 }, { name: 'InterfaceIndex', type: 'System.Int32' }, { name: 'All', type: 'switch' }, { name: 'Detailed', type: 'switch' }],
  },
  {
    name: 'Resolve-DnsName', description: 'Resolves a name through the stack\'s DNS server (in a container: Docker\'s embedded DNS at the nat gateway), printing the A records in the cmdlet\'s table.',
    parameters: [{ name: 'Name', type: STR, position: 0 }, { name: 'Type', type: 'Microsoft.DnsClient.Commands.RecordType', position: 1 }, { name: 'Server', type: STRS }, { name: 'DnsOnly', type: 'switch' }, { name: 'NoHostsFile', type: 'switch' }],
  },
  {
    name: 'Invoke-WebRequest', aliases: ['iwr'], description: 'Sends an HTTP request (the one curl makes) and returns the response object: StatusCode, Content, Headers. In a container it needs -UseBasicParsing (the images have no Internet Explorer engine).',
    parameters: [
      { name: 'Uri', type: 'System.Uri', position: 0 }, { name: 'UseBasicParsing', type: 'switch' }, { name: 'Method', type: 'Microsoft.PowerShell.Commands.WebRequestMethod' },
      { name: 'TimeoutSec', type: 'System.Int32' }, { name: 'UseDefaultCredentials', type: 'switch' }, { name: 'Headers', type: 'System.Collections.IDictionary' },
    ],
  },
  {
    name: 'ConvertTo-Json', description: 'Converts the objects to JSON as Windows PowerShell 5.1 prints it (`"Key":  value`, nested values indented under their key); -Depth (default 2) limits nesting.',
    parameters: [{ name: 'InputObject', type: 'System.Object', position: 0 }, { name: 'Depth', type: 'System.Int32' }, { name: 'Compress', type: 'switch' }],
  },
  {
    name: 'Format-List', aliases: ['fl'], description: 'Formats the output as a list of properties.',
    parameters: [{ name: 'Property', type: 'System.Object[]', position: 0 }],
  },
  {
    name: 'Format-Table', aliases: ['ft'], description: 'Formats the output as a table.',
    parameters: [{ name: 'Property', type: 'System.Object[]', position: 0 }, { name: 'AutoSize', type: 'switch' }, { name: 'Wrap', type: 'switch' }],
  },
  {
    name: 'Select-Object', aliases: ['select'], description: 'Selects properties of objects.',
    parameters: [
      { name: 'Property', type: 'System.Object[]', position: 0 },
      { name: 'ExpandProperty', type: STR },
      { name: 'First', type: 'System.Int32' },
      { name: 'Last', type: 'System.Int32' },
    ],
  },
  {
    name: 'Where-Object', aliases: ['where', '?'], description: 'Filters objects (script block or simplified syntax).',
    parameters: [{ name: 'FilterScript', type: 'System.Management.Automation.ScriptBlock', position: 0 }], freeForm: true,
  },
  {
    name: 'Sort-Object', aliases: ['sort'], description: 'Sorts objects by property values.',
    parameters: [{ name: 'Property', type: 'System.Object[]', position: 0 }, { name: 'Descending', type: 'switch' }],
  },
];

const BY_NAME = new Map<string, CmdletSpec>();
for (const c of CMDLETS) {
  BY_NAME.set(c.name.toLowerCase(), c);
  for (const a of c.aliases ?? []) BY_NAME.set(a.toLowerCase(), c);
}

/** Finds a known cmdlet by name or alias, case-insensitively like PowerShell. */
export function findCmdlet(name: string): CmdletSpec | undefined {
  return BY_NAME.get(name.toLowerCase());
}

/** Whether a word looks like a cmdlet name (`Verb-Noun`) or is a known cmdlet alias. */
export function isCmdletName(name: string): boolean {
  return findCmdlet(name) !== undefined || /^[A-Za-z]+-[A-Za-z][A-Za-z0-9]*$/.test(name);
}

const DASHES = new Set(['-', '\u2013', '\u2014', '\u2015']);

/** A parameter token: unquoted, a dash (PowerShell accepts en/em dashes) then a letter or `_`/`?`. */
function isParameterToken(w: LexWord): boolean {
  if (w.leadingQuoted || w.value.length < 2) return false;
  return DASHES.has(w.value[0]!) && /[A-Za-z_?]/.test(w.value[1]!);
}

/** Parses one pipeline element (`Get-NetNat -Name x`) whose first word is the cmdlet name. */
export function parseCmdlet(ll: LogicalLine, words: LexWord[]): Cmdlet {
  const head = words[0]!;
  const spec = findCmdlet(head.value);
  const shown = spec?.name ?? head.value;
  const flags: Flag[] = [];
  const args: { value: string; span: ReturnType<typeof wordSubSpan> }[] = [];
  const params = spec ? [...spec.parameters, ...COMMON_PARAMETERS] : [];
  const bound = new Set<string>();
  const positional: LexWord[] = [];
  const failAt = (w: LexWord, msg: string, code: string): never => {
    throw new ParseFailure(wordSubSpan(ll, w, 0, w.value.length), `${shown} : ${msg}`, code);
  };

  for (let i = 1; i < words.length; i++) {
    const w = words[i]!;
    if (!isParameterToken(w)) { positional.push(w); continue; }
    const body = w.value.slice(1);
    const colon = body.indexOf(':');
    const written = colon < 0 ? body : body.slice(0, colon);
    const inline = colon < 0 ? undefined : body.slice(colon + 1);
    const nameSpan = wordSubSpan(ll, w, 0, colon < 0 ? w.value.length : colon + 1);

    if (!spec || spec.freeForm) {
      // Unknown cmdlet or free-form syntax: a value follows unless the next word is a parameter.
      let value: string | true = true;
      let valueSpan;
      let span = nameSpan;
      if (inline !== undefined) {
        value = inline;
        valueSpan = wordSubSpan(ll, w, colon + 2, w.value.length);
        span = wordSubSpan(ll, w, 0, w.value.length);
      } else if (i + 1 < words.length && !isParameterToken(words[i + 1]!)) {
        const vw = words[++i]!;
        value = vw.value;
        valueSpan = wordSubSpan(ll, vw, 0, vw.value.length);
        span = joinSpans(nameSpan, valueSpan);
      }
      flags.push({ name: written, value, written: '-' + written, span, ...(valueSpan ? { valueSpan } : {}) });
      continue;
    }

    const lower = written.toLowerCase();
    let param = params.find((p) => p.name.toLowerCase() === lower);
    if (!param) {
      const matches = params.filter((p) => p.name.toLowerCase().startsWith(lower));
      if (matches.length === 0) {
        failAt(w, `A parameter cannot be found that matches parameter name '${written}'.`, 'unknown-parameter');
      }
      if (matches.length > 1) {
        failAt(w, `Parameter cannot be processed because the parameter name '${written}' is ambiguous. Possible matches include: ${matches.map((p) => '-' + p.name).join(' ')}.`, 'ambiguous-parameter');
      }
      param = matches[0]!;
    }
    if (bound.has(param.name)) {
      failAt(w, `Cannot bind parameter because parameter '${param.name}' is specified more than once. To provide multiple values to parameters that can accept multiple values, use the array syntax. For example, "-parameter value1,value2,value3".`, 'duplicate-parameter');
    }
    bound.add(param.name);

    if (param.type === 'switch') {
      if (inline !== undefined) {
        const v = inline.toLowerCase();
        flags.push({
          name: param.name, value: v === '$true' || v === 'true' ? true : inline, written: '-' + written,
          span: wordSubSpan(ll, w, 0, w.value.length), valueSpan: wordSubSpan(ll, w, colon + 2, w.value.length),
        });
      } else {
        flags.push({ name: param.name, value: true, written: '-' + written, span: nameSpan });
      }
      continue;
    }
    let value: string;
    let valueSpan;
    let span;
    let valueWord = w;
    if (inline !== undefined && inline.length > 0) {
      value = inline;
      valueSpan = wordSubSpan(ll, w, colon + 2, w.value.length);
      span = wordSubSpan(ll, w, 0, w.value.length);
    } else if (i + 1 < words.length && !isParameterToken(words[i + 1]!)) {
      valueWord = words[++i]!;
      value = valueWord.value;
      valueSpan = wordSubSpan(ll, valueWord, 0, valueWord.value.length);
      span = joinSpans(nameSpan, valueSpan);
    } else {
      failAt(w, `Missing an argument for parameter '${param.name}'. Specify a parameter of type '${param.type}' and try again.`, 'missing-argument');
    }
    checkEnum(ll, shown, param, value!, valueWord);
    flags.push({ name: param.name, value: value!, written: '-' + written, span: span!, valueSpan: valueSpan! });
  }

  if (spec && !spec.freeForm) {
    const slots = params.filter((p) => p.position !== undefined && !bound.has(p.name)).sort((a, b) => a.position! - b.position!);
    if (positional.length > slots.length) {
      const extra = positional[slots.length]!;
      failAt(extra, `A positional parameter cannot be found that accepts argument '${extra.value}'.`, 'positional-parameter');
    }
    positional.forEach((w, k) => checkEnum(ll, shown, slots[k]!, w.value, w));
  }
  for (const w of positional) args.push({ value: w.value, span: wordSubSpan(ll, w, 0, w.value.length) });
  return { name: { value: head.value, span: wordSubSpan(ll, head, 0, head.value.length) }, flags, args };
}

/** PowerShell's enum conversion error, for parameters whose values are an enumeration. */
function checkEnum(ll: LogicalLine, cmdlet: string, param: CmdletParameter, value: string, w: LexWord): void {
  if (!param.values || !param.enumType) return;
  const parts = value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  for (const part of parts) {
    if (!param.values.some((v) => v.toLowerCase() === part.toLowerCase())) {
      const message = param.enumType === STR
        ? `Cannot validate argument on parameter '${param.name}'. The argument "${part}" does not belong to the set "${param.values.join(',')}" specified by the ValidateSet attribute. Supply an argument that is in the set and then try the command again.`
        : `Cannot bind parameter '${param.name}'. Cannot convert value "${part}" to type "${param.enumType}". Error: "Unable to match the identifier name ${part} to a valid enumerator name. Specify one of the following enumerator names and try again:\n${param.values.join(', ')}"`;
      throw new ParseFailure(wordSubSpan(ll, w, 0, w.value.length), `${cmdlet} : ${message}`, 'invalid-value');
    }
  }
}
