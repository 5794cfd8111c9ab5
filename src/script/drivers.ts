/**
 * The network drivers and `-o` driver options a script can name on Windows, with what the seed
 * document says of each (SPEC §3): the values of `docker network create -d` and `-o` that the
 * editor offers and explains. The model decides what they do (src/model/networks.ts).
 */

export const DRIVERS: readonly { name: string; doc: string }[] = [
  { name: 'nat', doc: 'Default network. Containers get an IP from the internal prefix (`--subnet`); WinNAT translates outbound traffic to the host IP; published ports (`-p`) are forwarded in. Internal vSwitch. The seed: “Windows 10 Creators Update now supports multiple NAT networks!”' },
  { name: 'transparent', doc: 'Containers sit directly on the physical network through an external vSwitch. IPs are static (needs `--subnet` and `--gateway`) or from an external DHCP server. A virtualized host needs MAC address spoofing on.' },
  { name: 'overlay', doc: 'Swarm mode: containers on the same overlay network talk across hosts, encapsulated in VXLAN (UDP 4789). Each overlay network has its own subnet. The seed: “needs Windows Server 2016 with KB4015217 or Windows 10 Creators Update”.' },
  { name: 'l2bridge', doc: 'Containers are in the same IP subnet as the host; IPs must be static from the host’s prefix. Layer-2 address translation (MAC rewrite) on ingress and egress: every container frame carries the host’s MAC. DHCP is not supported.' },
  { name: 'l2tunnel', doc: 'The seed: “this driver should only be used in the Microsoft Cloud Stack”. All traffic hair-pins through the physical host for policy.' },
];

export interface DriverOption {
  key: string;
  /** An example value. */
  value: string;
  /** The drivers the option applies to (`all but nat` is every driver except nat). */
  drivers: readonly string[] | 'all' | 'all but nat';
  doc: string;
}

/** The prefix of the Windows driver options (the Docker Windows shim's). */
export const SHIM = 'com.docker.network.windowsshim.';

export const DRIVER_OPTIONS: readonly DriverOption[] = [
  { key: SHIM + 'interface', value: '"Ethernet 2"', drivers: 'all but nat', doc: 'Binds the network’s external vSwitch to a named network adapter (find names with `Get-NetAdapter`). Several adapters separated by commas create a Switch Embedded Teaming switch: `-o ' + SHIM + 'interface="Ethernet 2", "Ethernet 3"`. Needed for a second transparent network on a host.' },
  { key: SHIM + 'vlanid', value: '11', drivers: ['transparent', 'l2bridge'], doc: 'Sets VLAN isolation for every endpoint of the network: frames leave with an 802.1Q tag. The seed: make sure the host’s physical adapter is in trunk mode so tagged traffic is carried.' },
  { key: SHIM + 'networkname', value: 'MyNet', drivers: 'all', doc: 'The name the HNS service shows (`Get-HnsNetwork`), distinct from the name Docker uses.' },
  { key: SHIM + 'dnssuffix', value: 'example.com', drivers: 'all', doc: 'DNS suffix of the network’s containers (seen in `ipconfig /all`, used by `nslookup`).' },
  { key: SHIM + 'dnsservers', value: '4.4.4.4,8.8.8.8', drivers: 'all', doc: 'DNS servers of the network’s containers, comma separated.' },
  { key: SHIM + 'enable_outboundnat', value: 'true', drivers: ['l2bridge'], doc: 'Adds an OutBoundNAT policy to every endpoint: traffic leaving the subnet is source-NATed to the host IP.' },
  { key: SHIM + 'outboundnat_exceptions', value: '10.0.0.0/8', drivers: ['l2bridge'], doc: 'Destination prefixes (comma separated) that are not source-NATed (with enable_outboundnat).' },
  { key: SHIM + 'macpool', value: '00-15-5D-AA-00-00,00-15-5D-AA-0F-FF', drivers: 'all', doc: 'MAC address pool of the network’s endpoints: start and end. An odd count fails with “Invalid mac pool. You must specify both a start range and an end range”.' },
  { key: SHIM + 'vsid', value: '5000', drivers: ['overlay', 'l2tunnel'], doc: 'Virtual subnet id (VSID) policy of the network.' },
  { key: SHIM + 'disable_gatewaydns', value: 'true', drivers: 'all', doc: 'Do not use the gateway as the containers’ DNS server (no internal DNS).' },
];

/** The drivers an option applies to, in words. */
export function optionDrivers(o: DriverOption): string {
  if (o.drivers === 'all') return 'all network drivers';
  if (o.drivers === 'all but nat') return 'all network drivers except nat';
  return o.drivers.length > 1 ? `${o.drivers.slice(0, -1).join(', ')} and ${o.drivers.at(-1)}` : o.drivers.join('');
}

export function findDriverOption(key: string): DriverOption | undefined {
  const k = key.toLowerCase();
  return DRIVER_OPTIONS.find((o) => o.key === k);
}
