/**
 * Simulator lines (SPEC §2): `host`, `lan dhcp`, `client` (declaration), `flood`. Their flags use
 * the same parser as Docker's (`--flag value`, `--flag=value`, interspersed with arguments).
 */
import type { FlagSpec } from './flags.js';

export type SimVerb = 'host' | 'lan' | 'client' | 'flood' | 'listen';

export const OS_PROFILES = ['ws2016', 'win10-1703', 'ws1709', 'win10-1803', 'win10-1809', 'ws2019', 'ws2022', 'ws2025'] as const;

export interface SimSpec {
  verb: SimVerb;
  usage: string;
  description: string;
  flags: readonly FlagSpec[];
}

const ON_OFF = ['on', 'off'] as const;

export const SIM_COMMANDS: readonly SimSpec[] = [
  {
    verb: 'host',
    usage: 'host NAME [--os P] [--nic "NAME" --ip CIDR [--mac M]]... [--gateway IP] [--virtualized] [--mac-spoofing on|off] [--ipv6 on|off] [--no-trunk] [--fixed-cidr CIDR] [--docker-for-windows] [--no-kb4015217]',
    description: 'Declares a Windows container host and makes it current; `host NAME` alone switches to an existing host. Without any host a script runs on `host1` (ws2019, NIC `Ethernet` 10.0.0.10/24, gateway 10.0.0.1).',
    flags: [
      { name: 'os', type: 'string', description: 'OS profile: ws2016, win10-1703, ws1709, win10-1803, win10-1809, ws2019 (default), ws2022, ws2025', values: OS_PROFILES, placeholder: 'PROFILE', doc: 'OS profile; decides behaviour that changed between Windows releases (multiple NAT networks, hot add, firewall defaults, NAT loopback, localhost to published ports, the Docker engine version).' },
      { name: 'nic', type: 'list', description: 'Adds a physical NIC by name; the --ip/--mac after it apply to it', placeholder: '"NAME"' },
      { name: 'ip', type: 'list', description: 'IP/prefix of the NIC declared before (of `Ethernet` before any --nic)', placeholder: 'CIDR' },
      { name: 'mac', type: 'list', description: 'MAC address of the NIC declared before', placeholder: 'MAC' },
      { name: 'gateway', type: 'string', description: 'Default gateway of the host', placeholder: 'IP', doc: 'Default gateway of the host (the LAN router).' },
      { name: 'virtualized', type: 'bool', description: 'The host is a VM (its frames pass an outer Hyper-V switch)', doc: 'The host is a VM: its frames pass the outer Hyper-V switch, so MAC address spoofing matters.' },
      { name: 'mac-spoofing', type: 'string', description: 'MAC address spoofing on the host VM’s adapter', values: ON_OFF, placeholder: 'on|off', doc: 'MAC address spoofing on the host VM’s adapter. Transparent networks with DHCP need it on (seed tip 3).' },
      { name: 'ipv6', type: 'string', description: 'IPv6 enabled on the host (HNS needs it)', values: ON_OFF, placeholder: 'on|off', doc: 'IPv6 on the host. HNS requires IPv6 (seed tip 1): with it off, `docker run` fails with “Element not found.”' },
      { name: 'no-trunk', type: 'bool', description: 'The host NIC is not in trunk mode (tagged frames are dropped)' },
      { name: 'fixed-cidr', type: 'string', description: 'Prefix of the default nat network (dockerd --fixed-cidr)', placeholder: 'CIDR' },
      { name: 'docker-for-windows', type: 'bool', description: 'Docker for Windows with the Moby Linux VM (DockerNAT vSwitch)', doc: 'Docker for Windows on Windows 10: the Moby Linux VM uses the DockerNAT vSwitch, not the HNS one (seed tip 2).' },
      { name: 'no-kb4015217', type: 'bool', description: 'ws2016 without KB4015217 (no overlay, no l2bridge)' },
    ],
  },
  {
    verb: 'lan',
    usage: 'lan dhcp FIRST-LAST [--gateway IP]',
    description: 'Runs a DHCP server on the physical network for the given range (transparent networks without `--subnet` lease from it).',
    flags: [{ name: 'gateway', type: 'string', description: 'Router address handed out by DHCP', placeholder: 'IP' }],
  },
  {
    verb: 'client',
    usage: 'client NAME --ip IP [--internet]  |  client NAME curl URL  |  client NAME ping TARGET',
    description: 'Declares an external client (on the LAN, or beyond the router with --internet), or sends traffic from it.',
    flags: [
      { name: 'ip', type: 'string', description: 'Address of the client', placeholder: 'IP' },
      { name: 'internet', type: 'bool', description: 'The client sits beyond the router, on the internet' },
    ],
  },
  {
    verb: 'listen',
    usage: 'listen NAME tcp/PORT|udp/PORT',
    description: 'A process on the current host listens on a port (IIS, SQL Server, another web server): it answers connections to the host, and a published port it holds cannot be mapped by HNS.',
    flags: [],
  },
  {
    verb: 'flood',
    usage: 'flood FROM TO PROTO[/PORT] [--packets N] [--size B] [--flows F] [--workers W]',
    description: 'Bulk traffic through the WebAssembly data plane: packets per second and verdict counts.',
    flags: [
      { name: 'packets', type: 'int', description: 'Number of packets (default 100000)', placeholder: 'N' },
      { name: 'size', type: 'int', description: 'Frame size in bytes', placeholder: 'BYTES' },
      { name: 'flows', type: 'int', description: 'Number of distinct flows (source ports), up to 64512', placeholder: 'F' },
      { name: 'workers', type: 'int', description: 'Worker threads sharing the flows (default: the cores, capped at 8; one below 500,000 packets)', placeholder: 'W' },
    ],
  },
];

export function simSpec(verb: string): SimSpec | undefined {
  return SIM_COMMANDS.find((s) => s.verb === verb);
}
