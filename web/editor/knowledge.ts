/**
 * What the editor knows about the script language: commands, flags, driver options, drivers and
 * the options Windows does not support, each with the text the seed document gives (SPEC §2, §3;
 * seed/windows-container-networking.zh-CN.md, quoted in English). Completions and hovers read
 * this table; the parser (src/script/) stays the judge of what is valid.
 */

export interface FlagDoc {
  /** As written, long form first: `--subnet`. */
  name: string;
  /** Short alias, e.g. `-d`. */
  short?: string;
  /** Placeholder for the value, absent for a boolean flag. */
  value?: string;
  doc: string;
  /** Set when Windows does not support the flag: what happens instead. */
  unsupported?: string;
}

export interface CommandDoc {
  /** Words that start the command: `['docker', 'network', 'create']`. */
  words: string[];
  syntax: string;
  doc: string;
  flags: FlagDoc[];
}

/** The seed's list of what Windows does not support (section "Unsupported features and network options"). */
const SEED_UNSUPPORTED_RUN = 'The seed lists it under “network options not supported on Windows, which cannot be passed to `docker run`”.';
const SEED_UNSUPPORTED_CREATE = 'The seed lists it under “network options and features not supported on Windows, which cannot be passed to `docker network create`”.';

export const DRIVERS: { name: string; doc: string }[] = [
  { name: 'nat', doc: 'Default network. Containers get an IP from the internal prefix (`--subnet`); WinNAT translates outbound traffic to the host IP; published ports (`-p`) are forwarded in. Internal vSwitch. The seed: “Windows 10 Creators Update now supports multiple NAT networks!”' },
  { name: 'transparent', doc: 'Containers sit directly on the physical network through an external vSwitch. IPs are static (needs `--subnet` and `--gateway`) or from an external DHCP server. A virtualized host needs MAC address spoofing on.' },
  { name: 'overlay', doc: 'Swarm mode: containers on the same overlay network talk across hosts, encapsulated in VXLAN (UDP 4789). Each overlay network has its own subnet. The seed: “needs Windows Server 2016 with KB4015217 or Windows 10 Creators Update”.' },
  { name: 'l2bridge', doc: 'Containers are in the same IP subnet as the host; IPs must be static from the host’s prefix. Layer-2 address translation (MAC rewrite) on ingress and egress: every container frame carries the host’s MAC. DHCP is not supported.' },
  { name: 'l2tunnel', doc: 'The seed: “this driver should only be used in the Microsoft Cloud Stack”. All traffic hair-pins through the physical host for policy.' },
];

export interface OptionDoc {
  key: string;
  value: string;
  /** Drivers the option applies to, as the seed says. */
  drivers: string;
  doc: string;
}

const SHIM = 'com.docker.network.windowsshim.';

export const DRIVER_OPTIONS: OptionDoc[] = [
  { key: SHIM + 'interface', value: '"Ethernet 2"', drivers: 'all network drivers except nat', doc: 'Binds the network’s external vSwitch to a named network adapter (find names with `Get-NetAdapter`). Several adapters separated by commas create a Switch Embedded Teaming switch: `-o ' + SHIM + 'interface="Ethernet 2", "Ethernet 3"`. Needed for a second transparent network on a host.' },
  { key: SHIM + 'vlanid', value: '11', drivers: 'transparent and l2bridge', doc: 'Sets VLAN isolation for every endpoint of the network: frames leave with an 802.1Q tag. The seed: make sure the host’s physical adapter is in trunk mode so tagged traffic is carried.' },
  { key: SHIM + 'networkname', value: 'MyNet', drivers: 'all network drivers', doc: 'The name the HNS service shows (`Get-HnsNetwork`), distinct from the name Docker uses.' },
  { key: SHIM + 'dnssuffix', value: 'example.com', drivers: 'all network drivers', doc: 'DNS suffix of the network’s containers (seen in `ipconfig /all`, used by `nslookup`).' },
  { key: SHIM + 'dnsservers', value: '4.4.4.4,8.8.8.8', drivers: 'all network drivers', doc: 'DNS servers of the network’s containers, comma separated.' },
  { key: SHIM + 'enable_outboundnat', value: 'true', drivers: 'l2bridge', doc: 'Adds an OutBoundNAT policy to every endpoint: traffic leaving the subnet is source-NATed to the host IP.' },
  { key: SHIM + 'outboundnat_exceptions', value: '10.0.0.0/8', drivers: 'l2bridge (with enable_outboundnat)', doc: 'Destination prefixes (comma separated) that are not source-NATed.' },
  { key: SHIM + 'macpool', value: '00-15-5D-AA-00-00,00-15-5D-AA-0F-FF', drivers: 'all network drivers', doc: 'MAC address pool of the network’s endpoints: start and end. An odd count fails with “Invalid mac pool. You must specify both a start range and an end range”.' },
  { key: SHIM + 'vsid', value: '5000', drivers: 'overlay, l2tunnel', doc: 'Virtual subnet id (VSID) policy of the network.' },
  { key: SHIM + 'disable_gatewaydns', value: 'true', drivers: 'all network drivers', doc: 'Do not use the gateway as the containers’ DNS server (no internal DNS).' },
];

export const CREATE_FLAGS: FlagDoc[] = [
  { name: '--driver', short: '-d', value: 'DRIVER', doc: 'Network driver: nat, transparent, overlay, l2bridge, l2tunnel.' },
  { name: '--subnet', value: 'CIDR', doc: 'IP prefix of the network. Static IPs (`docker run --ip`) need `--subnet` and `--gateway` at creation.' },
  { name: '--gateway', value: 'IP', doc: 'Gateway of the subnet; must lie inside `--subnet` (“no matching subnet for gateway” otherwise).' },
  { name: '--opt', short: '-o', value: 'KEY=VALUE', doc: 'Driver option, repeatable: `com.docker.network.windowsshim.*`.' },
  { name: '--attachable', doc: 'Overlay: standalone containers may attach.' },
  { name: '--scope', value: 'local|swarm', doc: 'Network scope.' },
  { name: '--label', value: 'KEY=VALUE', doc: 'Metadata label.' },
  { name: '--aux-address', value: 'NAME=IP', doc: 'Reserved addresses.', unsupported: 'Accepted by Docker and ignored on Windows (the windows IPAM does not reserve it). ' + SEED_UNSUPPORTED_CREATE },
  { name: '--internal', doc: 'Restrict external access.', unsupported: 'Accepted and silently ignored on Windows: the network still has external connectivity. ' + SEED_UNSUPPORTED_CREATE },
  { name: '--ip-range', value: 'CIDR', doc: 'Sub-range to allocate from.', unsupported: 'Fails: “this request is not supported by the \'windows\' ipam driver”. ' + SEED_UNSUPPORTED_CREATE },
  { name: '--ipam-driver', value: 'DRIVER', doc: 'IPAM driver.', unsupported: SEED_UNSUPPORTED_CREATE },
  { name: '--ipam-opt', value: 'KEY=VALUE', doc: 'IPAM driver options.', unsupported: SEED_UNSUPPORTED_CREATE },
  { name: '--ipv6', doc: 'Enable IPv6.', unsupported: 'Fails in the windows IPAM. ' + SEED_UNSUPPORTED_CREATE },
];

export const RUN_FLAGS: FlagDoc[] = [
  { name: '--detach', short: '-d', doc: 'Run in the background.' },
  { name: '--name', value: 'NAME', doc: 'Container name (used by service discovery on nat and overlay).' },
  { name: '--network', value: 'NET', doc: 'Network to connect to (default `nat`).' },
  { name: '--ip', value: 'IP', doc: 'Static IPv4 address; the network needs `--subnet` and `--gateway`. On ws2016 only on a stopped container.' },
  { name: '--publish', short: '-p', value: 'HOST:CONTAINER[/PROTO]', doc: 'Publish a port: a WinNAT static mapping on nat networks. Windows rejects host IPs (“Windows does not support host IP addresses in NAT settings”) and host port ranges.' },
  { name: '--expose', value: 'PORT', doc: 'Expose a port without publishing it.' },
  { name: '--dns', value: 'IP', doc: 'DNS server of the container.' },
  { name: '--dns-search', value: 'DOMAIN', doc: 'DNS search domain. More than one is not supported on Windows (seed: “multiple DNS search domains”).' },
  { name: '--link', value: 'NAME', doc: 'Legacy container link.', unsupported: 'Ignored on Windows (“rely on service discovery instead”, says the seed). ' + SEED_UNSUPPORTED_RUN },
  { name: '--ip6', value: 'IPv6', doc: 'Static IPv6 address.', unsupported: SEED_UNSUPPORTED_RUN },
  { name: '--dns-option', value: 'OPT', doc: 'Resolver options.', unsupported: SEED_UNSUPPORTED_RUN },
  { name: '--interactive', short: '-i', doc: 'Keep STDIN open.' },
  { name: '--tty', short: '-t', doc: 'Allocate a TTY.' },
  { name: '--rm', doc: 'Remove when it exits.' },
];

export const HOST_FLAGS: FlagDoc[] = [
  { name: '--os', value: 'ws2016|win10-1703|ws1709|ws2019|ws2022', doc: 'OS profile; decides behaviour that changed between Windows releases (multiple NAT networks, hot add, firewall defaults, NAT loopback).' },
  { name: '--nic', value: '"NAME"', doc: 'Declare a physical NIC; follow with `--ip CIDR [--mac M]`.' },
  { name: '--ip', value: 'CIDR', doc: 'IP/prefix of the NIC declared before it (or of `Ethernet`).' },
  { name: '--mac', value: 'MAC', doc: 'MAC of the NIC declared before it.' },
  { name: '--gateway', value: 'IP', doc: 'Default gateway (the LAN router).' },
  { name: '--virtualized', doc: 'The host is a VM: its frames pass the outer Hyper-V switch (MAC spoofing matters).' },
  { name: '--mac-spoofing', value: 'on|off', doc: 'MAC address spoofing on the host VM’s adapter. Transparent networks with DHCP need it on.' },
  { name: '--ipv6', value: 'on|off', doc: 'IPv6 on the host. HNS requires IPv6 (seed tip 1): with it off, `docker run` fails with “Element not found.”' },
  { name: '--no-trunk', doc: 'The NIC is not in trunk mode: tagged (VLAN) frames are dropped.' },
  { name: '--fixed-cidr', value: 'CIDR', doc: 'Prefix of the default `nat` network (daemon `fixed-cidr`).' },
  { name: '--docker-for-windows', doc: 'Docker for Windows on Windows 10: the Moby Linux VM uses the DockerNAT vSwitch (seed tip 2).' },
  { name: '--no-kb4015217', doc: 'A ws2016 host without KB4015217: no overlay or l2bridge.' },
];

export const FLOOD_FLAGS: FlagDoc[] = [
  { name: '--packets', value: 'N', doc: 'Number of packets to push through the data plane.' },
  { name: '--size', value: 'BYTES', doc: 'Frame size.' },
  { name: '--flows', value: 'F', doc: 'Distinct flows (5-tuples) to spread the packets over.' },
];

export const COMMANDS: CommandDoc[] = [
  { words: ['host'], syntax: 'host NAME [--os P] [--nic "NAME" --ip CIDR [--mac M]]... [--gateway IP] [--virtualized] [--mac-spoofing on|off] [--ipv6 on|off] [--no-trunk] [--fixed-cidr CIDR]', doc: 'Declares a Windows container host and makes it current; `host NAME` alone switches to an existing host. Without any host a script runs on `host1` (ws2019, NIC `Ethernet` 10.0.0.10/24, gateway 10.0.0.1).', flags: HOST_FLAGS },
  { words: ['lan', 'dhcp'], syntax: 'lan dhcp FIRST-LAST [--gateway IP]', doc: 'Runs a DHCP server on the physical LAN for the given range (used by transparent networks without `--subnet`).', flags: [{ name: '--gateway', value: 'IP', doc: 'Router address handed out.' }] },
  { words: ['client'], syntax: 'client NAME --ip IP [--internet]   |   client NAME curl URL   |   client NAME ping TARGET', doc: 'Declares an external client (a laptop on the LAN, or a machine beyond the router with `--internet`), or sends traffic from it.', flags: [{ name: '--ip', value: 'IP', doc: 'Client address.' }, { name: '--internet', doc: 'The client is beyond the router (on the internet).' }] },
  { words: ['flood'], syntax: 'flood FROM TO PROTO[/PORT] [--packets N] [--size B] [--flows F]', doc: 'Bulk traffic through the WebAssembly data plane; reports packets per second and verdict counts.', flags: FLOOD_FLAGS },
  { words: ['expect'], syntax: 'expect <command>', doc: 'The command must succeed (a check for CI: `packet-path run` exits 1 otherwise).', flags: [] },
  { words: ['expect-fail'], syntax: 'expect-fail <command>', doc: 'The command must fail: an error, a timed-out ping, a refused connection, an unresolved name.', flags: [] },
  { words: ['docker', 'network', 'create'], syntax: 'docker network create [-d DRIVER] [--subnet CIDR --gateway IP] [-o KEY=VALUE]... NAME', doc: 'Creates a network through HNS. Drivers on Windows: nat, transparent, overlay, l2bridge, l2tunnel.', flags: CREATE_FLAGS },
  { words: ['docker', 'network', 'ls'], syntax: 'docker network ls', doc: 'Lists networks (NETWORK ID, NAME, DRIVER, SCOPE).', flags: [] },
  { words: ['docker', 'network', 'inspect'], syntax: 'docker network inspect NET', doc: 'Prints the network as JSON (IPAM driver `windows`, options, containers).', flags: [] },
  { words: ['docker', 'network', 'rm'], syntax: 'docker network rm NET', doc: 'Removes a network. “nat is a pre-defined network and cannot be removed”.', flags: [] },
  { words: ['docker', 'network', 'connect'], syntax: 'docker network connect NET CONTAINER', doc: 'Adds an endpoint to a container. On ws2016 a running container cannot be connected (“hot add” arrived with Windows 10 Creators Update).', flags: [{ name: '--ip', value: 'IP', doc: 'Static address on that network.' }] },
  { words: ['docker', 'network', 'disconnect'], syntax: 'docker network disconnect NET CONTAINER', doc: 'Removes the container’s endpoint on the network.', flags: [] },
  { words: ['docker', 'network', 'prune'], syntax: 'docker network prune', doc: 'Removes unused networks.', flags: [] },
  { words: ['docker', 'run'], syntax: 'docker run [-d] [--name N] [--network NET] [--ip IP] [-p HOST:CONT[/proto]] IMAGE [CMD]', doc: 'Creates and starts a container with an endpoint on the network (default `nat`), in its own network compartment.', flags: RUN_FLAGS },
  { words: ['docker', 'exec'], syntax: 'docker exec CONTAINER ping|curl|nslookup|ipconfig|netsh ...', doc: 'Runs a tool inside the container’s compartment: traffic commands produce hop-by-hop traces.', flags: [] },
  { words: ['docker', 'stop'], syntax: 'docker stop CONTAINER', doc: 'Stops a container (static IPs can be set only on stopped containers on ws2016).', flags: [] },
  { words: ['docker', 'start'], syntax: 'docker start CONTAINER', doc: 'Starts a stopped container.', flags: [] },
  { words: ['docker', 'rm'], syntax: 'docker rm CONTAINER', doc: 'Removes a container and its endpoints.', flags: [] },
  { words: ['docker', 'ps'], syntax: 'docker ps', doc: 'Lists containers.', flags: [] },
  { words: ['docker', 'inspect'], syntax: 'docker inspect CONTAINER', doc: 'Prints the container as JSON (NetworkSettings).', flags: [] },
  { words: ['docker', 'swarm', 'init'], syntax: 'docker swarm init [--advertise-addr IP]', doc: 'Starts swarm mode on this host (manager). Overlay networks need it.', flags: [{ name: '--advertise-addr', value: 'IP', doc: 'Address other nodes use.' }] },
  { words: ['docker', 'swarm', 'join'], syntax: 'docker swarm join --token T ADDR:2377', doc: 'Joins the swarm whose manager has that address.', flags: [{ name: '--token', value: 'TOKEN', doc: 'Join token (a well-formed token that is not the swarm’s is accepted with a warning).' }] },
  { words: ['docker', 'swarm', 'leave'], syntax: 'docker swarm leave [--force]', doc: 'Leaves the swarm.', flags: [{ name: '--force', doc: 'Leave even as the last manager.' }] },
  { words: ['docker', 'service', 'create'], syntax: 'docker service create --name N --network NET [--replicas K] [-p ...] IMAGE', doc: 'Creates a swarm service; its tasks are spread over the nodes and found by name (global service discovery on overlay).', flags: [{ name: '--name', value: 'NAME', doc: 'Service name.' }, { name: '--network', value: 'NET', doc: 'Overlay network.' }, { name: '--replicas', value: 'K', doc: 'Number of tasks.' }, { name: '--publish', short: '-p', value: 'PUB:TARGET', doc: 'Published port.' }, { name: '--endpoint-mode', value: 'vip|dnsrr', doc: 'Load balancing mode.' }] },
  { words: ['docker', 'compose'], syntax: 'docker compose -f FILE up', doc: 'Brings up the compose file of the second editor tab (top-level `networks:` with `external: {name: nat}` or `driver: nat` + `ipam.config.subnet`).', flags: [{ name: '--file', short: '-f', value: 'FILE', doc: 'Compose file (the compose tab’s name).' }] },
];

export interface CmdletDoc { name: string; doc: string; params: string[] }

export const CMDLETS: CmdletDoc[] = [
  { name: 'Get-NetNat', doc: 'WinNAT instances: Name, ExternalIPInterfaceAddressPrefix, InternalIPInterfaceAddressPrefix (on ws2016 every extra NAT network must be a partition of it), timeouts.', params: [] },
  { name: 'Get-NetNatStaticMapping', doc: 'WinNAT static mappings, one per published port.', params: [] },
  { name: 'Get-VMSwitch', doc: 'Hyper-V vSwitches: Name, SwitchType (Internal: not bound to a NIC; External: bound to one), NetAdapterInterfaceDescription.', params: ['-Name'] },
  { name: 'Get-NetAdapter', doc: 'Network adapters (names are what `windowsshim.interface` takes).', params: ['-Name'] },
  { name: 'Get-NetCompartment', doc: 'Network compartments: each container endpoint has its own; the host vNIC and host stack are in the default compartment (1).', params: [] },
  { name: 'Get-HnsNetwork', doc: 'HNS networks (HNS’s names, subnets, switch extensions).', params: [] },
  { name: 'Get-HnsEndpoint', doc: 'HNS endpoints: IP, MAC, policies (ACL, NAT, PA, OutBoundNAT), EncapOverhead.', params: [] },
  { name: 'Get-Service', doc: '`Get-Service vfpext`: the VFP extension service should be Running.', params: ['-Name'] },
  { name: 'Get-VMSwitchExtension', doc: 'Switch extensions; “Microsoft Azure VFP Switch Extension” should be Running: True.', params: ['-VMSwitchName', '-Name'] },
  { name: 'New-VMSwitch', doc: 'Creates an external vSwitch out of band: invisible to Docker until `Restart-Service hns` + `Restart-Service docker`, and it blocks transparent networks on that adapter (seed tip 9).', params: ['-Name', '-NetAdapterName', '-AllowManagementOS'] },
  { name: 'Remove-VMSwitch', doc: 'Removes a vSwitch.', params: ['-Name', '-Force'] },
  { name: 'Restart-Service', doc: '`Restart-Service hns` / `Restart-Service docker`: makes out-of-band switches visible to Docker.', params: ['-Name'] },
  { name: 'Get-VMNetworkAdapter', doc: 'The container host VM’s adapter, piped to `Set-VMNetworkAdapter -MacAddressSpoofing On` (seed tip 3).', params: ['-VMName'] },
  { name: 'Set-VMNetworkAdapter', doc: '`-MacAddressSpoofing On`: needed for DHCP on a virtualized container host with transparent networks.', params: ['-MacAddressSpoofing', '-VMName'] },
  { name: 'New-NetFirewallRule', doc: 'Adds a Windows Firewall rule (a block rule beats any allow rule).', params: ['-DisplayName', '-Direction', '-Action', '-Protocol', '-LocalPort', '-RemoteAddress'] },
  { name: 'Restart-Computer', doc: 'Restarts the host (applies `reg delete ... DisabledComponents`).', params: [] },
];

export const TOOLS: { name: string; doc: string }[] = [
  { name: 'ping', doc: '`ping [-n K] TARGET`: ICMP echo from the container; names resolve through the network’s DNS (service discovery on nat and overlay).' },
  { name: 'curl', doc: '`curl URL`: a TCP connection (SYN through the data plane) and an HTTP GET.' },
  { name: 'nslookup', doc: '`nslookup NAME`: service discovery. Local on nat and overlay; global (across hosts) on overlay only; none on transparent and l2bridge.' },
  { name: 'ipconfig', doc: '`ipconfig [/all]`: the container compartment’s adapter, IP, gateway, DNS servers and suffix.' },
  { name: 'netsh', doc: '`netsh advfirewall firewall add rule ...`: a firewall rule in the container.' },
  { name: 'reg', doc: '`reg delete HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Tcpip6\\Parameters /v DisabledComponents /f`: re-enables IPv6 (the seed’s HNS fix).' },
];

export const OS_PROFILES = ['ws2016', 'win10-1703', 'ws1709', 'ws2019', 'ws2022'];

/** The command whose words start the given list (longest match), e.g. `docker network create x`. */
export function findCommand(words: string[]): CommandDoc | undefined {
  let best: CommandDoc | undefined;
  for (const c of COMMANDS) {
    if (c.words.length <= words.length && c.words.every((w, i) => w === words[i].toLowerCase())) {
      if (!best || c.words.length > best.words.length) best = c;
    }
  }
  return best;
}

export function findFlag(cmd: CommandDoc | undefined, written: string): FlagDoc | undefined {
  if (!cmd) return undefined;
  const name = written.split('=')[0];
  return cmd.flags.find((f) => f.name === name || f.short === name);
}

export function findOption(key: string): OptionDoc | undefined {
  return DRIVER_OPTIONS.find((o) => o.key === key.toLowerCase());
}

export function findCmdlet(name: string): CmdletDoc | undefined {
  return CMDLETS.find((c) => c.name.toLowerCase() === name.toLowerCase());
}
