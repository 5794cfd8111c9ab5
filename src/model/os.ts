/**
 * OS profiles: what changed between Windows releases for container networking (SPEC §1,
 * windows-facts §4). Every version-dependent decision in the model reads a flag here, never the
 * profile name, so the differences are listed in one place.
 */

export type OsName = 'ws2016' | 'win10-1703' | 'ws1709' | 'win10-1803' | 'win10-1809' | 'ws2019' | 'ws2022' | 'ws2025';

export const OS_NAMES: readonly OsName[] = ['ws2016', 'win10-1703', 'ws1709', 'win10-1803', 'win10-1809', 'ws2019', 'ws2022', 'ws2025'];

/**
 * The Docker engine a profile runs, as `docker version` prints it. Texts and behaviour are Docker
 * 20.10's on every profile unless a difference of the older engine is listed in docs/behaviour.md.
 */
export interface EngineRelease {
  version: string;
  api: string;
  /** `Client: <product>` / `Server: <product>` headings (empty before 18.09). */
  product: string;
  client: { go: string; commit: string; built: string };
  server: { go: string; commit: string; built: string };
  experimental: { client: boolean; server: boolean };
  /** 18.03 prints `Orchestrator: swarm` under the client and no kernel version under the server. */
  orchestratorLine: boolean;
  kernelLine: boolean;
  /** The client's `Context:` line (19.03+). */
  contextLine: boolean;
}

/** Mirantis Container Runtime 20.10.24, the engine of the server profiles (docs/behaviour.md). */
export const MCR_20_10: EngineRelease = {
  version: '20.10.24', api: '1.41', product: 'Mirantis Container Runtime',
  client: { go: 'go1.19.7', commit: '5d6db84', built: 'Tue Apr  4 18:24:57 2023' },
  server: { go: 'go1.19.7', commit: '5fd4c5e', built: 'Tue Apr  4 18:23:43 2023' },
  experimental: { client: true, server: false }, orchestratorLine: false, kernelLine: true, contextLine: true,
};

/** Docker for Windows 18.03.1-ce, as pasted from a Windows 10 host in docker/for-win #1960. */
const CE_18_03: EngineRelease = {
  version: '18.03.1-ce', api: '1.37', product: '',
  client: { go: 'go1.9.5', commit: '9ee9f40', built: 'Thu Apr 26 07:12:48 2018' },
  server: { go: 'go1.9.5', commit: '9ee9f40', built: 'Thu Apr 26 07:21:42 2018' },
  experimental: { client: false, server: false }, orchestratorLine: true, kernelLine: false, contextLine: false,
};

/** Docker Desktop 2.0.0.x's engine 18.09.2 (docker/for-win #3797 and Docker Desktop outputs of early 2019). */
const CE_18_09: EngineRelease = {
  version: '18.09.2', api: '1.39', product: 'Docker Engine - Community',
  client: { go: 'go1.10.8', commit: '6247962', built: 'Sun Feb 10 04:12:31 2019' },
  server: { go: 'go1.10.6', commit: '6247962', built: 'Sun Feb 10 04:28:48 2019' },
  experimental: { client: false, server: false }, orchestratorLine: false, kernelLine: false, contextLine: false,
};

export interface OsProfile {
  name: OsName;
  /** What `Get-ComputerInfo`/`ver` would call it. */
  caption: string;
  /** The release name `docker info` prints after the caption (`Version 1809`). */
  release: string;
  build: number;
  /** The kernel build string `docker info` prints after `10.0 <build>` (only where a real output gave it). */
  kernel?: string;
  /** The Docker engine of the profile. */
  engine: EngineRelease;
  client: boolean;
  /** Several WinNAT internal prefixes (one per nat network); ws2016 has one, and later nat networks must be partitions of it. */
  multipleNat: boolean;
  /** Endpoints can be added to / removed from a running container. */
  hotAdd: boolean;
  /** Default inbound firewall: `deny` all (ws2016, 1703) or allow TCP/UDP/ICMP/IGMP and deny the rest (1709+). */
  inboundDefault: 'deny-all' | 'allow-common';
  /** The host can reach a published port through its own IP (WinNAT loopback). */
  natLoopback: boolean;
  /**
   * Which NAT HNS programs for nat networks: WinNAT (`Get-NetNat` lists `H<guid>`), or the ICS NAT
   * HNS uses on the Windows 10 builds after the seed, which `Get-NetNat` does not show.
   */
  natImplementation: 'winnat' | 'ics';
  /** The host can reach a published port through 127.0.0.1 / localhost (Windows 1803+, docker/for-win #204). */
  localhostLoopback: boolean;
  /** Overlay external access: a second endpoint on nat (ws2016) or VFP OutBoundNAT (1709+... modelled from ws2019). */
  overlayExternal: 'nat-endpoint' | 'outbound-nat';
  /** Swarm ingress routing mesh (1709+); before, published service ports are host-mode only. */
  routingMesh: boolean;
  /** Service VIPs; before 1709 overlay load balancing was DNS round robin only. */
  serviceVip: boolean;
  /** Default nat prefix: the seed's fixed 172.16.0.0/16, or a free /20 in 172.16.0.0/12. */
  defaultNat: 'fixed-172.16' | 'free-20';
  /** `enable_outboundnat` needs build > 16236 (Docker 20.10 check). */
  outboundNatOption: boolean;
  /** HNS ACL policies (HNS 7.2, 1803+). */
  hnsAcl: boolean;
  /** HNS `Version` field (major << 32 | minor): 9.1 observed on 1809 (microsoft/SDN #269), 15.0 on 2022 (20344). */
  hnsVersion: string;
  /**
   * The in-box Containers PowerShell module of Windows Server 2016 (`Get-ContainerNetwork`,
   * `Remove-ContainerNetwork`: microsoft/hcsshim #99, Virtualization-Documentation #516, 14393);
   * later releases answer "is not recognized" (docker/compose #4024, docker/for-win #4201).
   */
  containersModule: boolean;
  /**
   * Hyper-V's `Default Switch` (Windows 10 1709+): an internal switch whose ICS gives a /28 of
   * 172.16.0.0/12 DHCP, DNS and NAT; HNS lists it as an `ICS` network and Docker as `Default Switch ics`.
   */
  defaultSwitch: boolean;
  /**
   * HNS keeps nat networks across a reboot. From 1809 (Windows Server 2019) it does not (HNS
   * Flags 8): Microsoft's container networking docs ("NAT networks created on Windows Server 2019
   * (or above) are no longer persisted after reboot"), moby #39098, docker/for-win #3076.
   */
  natPersistent: boolean;
}

const PROFILES: Record<OsName, OsProfile> = {
  ws2016: {
    name: 'ws2016', caption: 'Windows Server 2016 Datacenter', release: '1607', build: 14393, client: false, engine: MCR_20_10,
    multipleNat: false, hotAdd: false, inboundDefault: 'deny-all', natImplementation: 'winnat', natLoopback: false, localhostLoopback: false,
    overlayExternal: 'nat-endpoint', routingMesh: false, serviceVip: false,
    defaultNat: 'fixed-172.16', outboundNatOption: false, hnsVersion: '21474836480', hnsAcl: false, containersModule: true, defaultSwitch: false, natPersistent: true,
  },
  'win10-1703': {
    name: 'win10-1703', caption: 'Windows 10 Pro (1703)', release: '1703', build: 15063, client: true, engine: MCR_20_10,
    multipleNat: true, hotAdd: true, inboundDefault: 'deny-all', natImplementation: 'winnat', natLoopback: true, localhostLoopback: false,
    overlayExternal: 'nat-endpoint', routingMesh: false, serviceVip: false,
    defaultNat: 'free-20', outboundNatOption: false, hnsVersion: '25769803776', hnsAcl: false, containersModule: false, defaultSwitch: false, natPersistent: true,
  },
  ws1709: {
    name: 'ws1709', caption: 'Windows Server Datacenter (1709)', release: '1709', build: 16299, client: false, engine: MCR_20_10,
    multipleNat: true, hotAdd: true, inboundDefault: 'allow-common', natImplementation: 'winnat', natLoopback: true, localhostLoopback: false,
    overlayExternal: 'nat-endpoint', routingMesh: true, serviceVip: true,
    defaultNat: 'free-20', outboundNatOption: true, hnsVersion: '30064771073', hnsAcl: false, containersModule: false, defaultSwitch: false, natPersistent: true,
  },
  'win10-1803': {
    name: 'win10-1803', caption: 'Windows 10 Pro', release: '1803', build: 17134, kernel: '17134.1.amd64fre.rs4_release.180410-1804', client: true, engine: CE_18_03,
    multipleNat: true, hotAdd: true, inboundDefault: 'allow-common', natImplementation: 'ics', natLoopback: true, localhostLoopback: true,
    overlayExternal: 'nat-endpoint', routingMesh: true, serviceVip: true,
    defaultNat: 'free-20', outboundNatOption: true, hnsVersion: '30064771074', hnsAcl: true, containersModule: false, defaultSwitch: true, natPersistent: true,
  },
  'win10-1809': {
    name: 'win10-1809', caption: 'Windows 10 Pro', release: '1809', build: 17763, kernel: '17763.1.amd64fre.rs5_release.180914-1434', client: true, engine: CE_18_09,
    multipleNat: true, hotAdd: true, inboundDefault: 'allow-common', natImplementation: 'ics', natLoopback: true, localhostLoopback: true,
    overlayExternal: 'outbound-nat', routingMesh: true, serviceVip: true,
    defaultNat: 'free-20', outboundNatOption: true, hnsVersion: '38654705665', hnsAcl: true, containersModule: false, defaultSwitch: true, natPersistent: false,
  },
  ws2019: {
    name: 'ws2019', caption: 'Windows Server 2019 Datacenter', release: '1809', build: 17763, client: false, engine: MCR_20_10,
    multipleNat: true, hotAdd: true, inboundDefault: 'allow-common', natImplementation: 'winnat', natLoopback: true, localhostLoopback: true,
    overlayExternal: 'outbound-nat', routingMesh: true, serviceVip: true,
    defaultNat: 'free-20', outboundNatOption: true, hnsVersion: '38654705665', hnsAcl: true, containersModule: false, defaultSwitch: false, natPersistent: false,
  },
  ws2022: {
    name: 'ws2022', caption: 'Windows Server 2022 Datacenter', release: '21H2', build: 20348, client: false, engine: MCR_20_10,
    multipleNat: true, hotAdd: true, inboundDefault: 'allow-common', natImplementation: 'winnat', natLoopback: true, localhostLoopback: true,
    overlayExternal: 'outbound-nat', routingMesh: true, serviceVip: true,
    defaultNat: 'free-20', outboundNatOption: true, hnsVersion: '64424509440', hnsAcl: true, containersModule: false, defaultSwitch: false, natPersistent: false,
  },
  ws2025: {
    name: 'ws2025', caption: 'Windows Server 2025 Datacenter', release: '24H2', build: 26100, kernel: '26100.1.amd64fre.ge_release.240331-1435', client: false, engine: MCR_20_10,
    multipleNat: true, hotAdd: true, inboundDefault: 'allow-common', natImplementation: 'winnat', natLoopback: true, localhostLoopback: true,
    overlayExternal: 'outbound-nat', routingMesh: true, serviceVip: true,
    defaultNat: 'free-20', outboundNatOption: true, hnsVersion: '64424509440', hnsAcl: true, containersModule: false, defaultSwitch: false, natPersistent: false,
  },
};

export function osProfile(name: OsName): OsProfile {
  return PROFILES[name];
}

export function isOsName(s: string): s is OsName {
  return (OS_NAMES as readonly string[]).includes(s);
}
