/**
 * OS profiles: what changed between Windows releases for container networking (SPEC §1,
 * windows-facts §4). Every version-dependent decision in the model reads a flag here, never the
 * profile name, so the differences are listed in one place.
 */

export type OsName = 'ws2016' | 'win10-1703' | 'ws1709' | 'ws2019' | 'ws2022';

export const OS_NAMES: readonly OsName[] = ['ws2016', 'win10-1703', 'ws1709', 'ws2019', 'ws2022'];

export interface OsProfile {
  name: OsName;
  /** What `Get-ComputerInfo`/`ver` would call it. */
  caption: string;
  build: number;
  client: boolean;
  /** Several WinNAT internal prefixes (one per nat network); ws2016 has one, and later nat networks must be partitions of it. */
  multipleNat: boolean;
  /** Endpoints can be added to / removed from a running container. */
  hotAdd: boolean;
  /** Default inbound firewall: `deny` all (ws2016, 1703) or allow TCP/UDP/ICMP/IGMP and deny the rest (1709+). */
  inboundDefault: 'deny-all' | 'allow-common';
  /** The host can reach a published port through its own IP (WinNAT loopback). */
  natLoopback: boolean;
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
}

const PROFILES: Record<OsName, OsProfile> = {
  ws2016: {
    name: 'ws2016', caption: 'Windows Server 2016 Datacenter', build: 14393, client: false,
    multipleNat: false, hotAdd: false, inboundDefault: 'deny-all', natLoopback: false,
    overlayExternal: 'nat-endpoint', routingMesh: false, serviceVip: false,
    defaultNat: 'fixed-172.16', outboundNatOption: false, hnsVersion: '21474836480', hnsAcl: false,
  },
  'win10-1703': {
    name: 'win10-1703', caption: 'Windows 10 Pro (1703)', build: 15063, client: true,
    multipleNat: true, hotAdd: true, inboundDefault: 'deny-all', natLoopback: true,
    overlayExternal: 'nat-endpoint', routingMesh: false, serviceVip: false,
    defaultNat: 'free-20', outboundNatOption: false, hnsVersion: '25769803776', hnsAcl: false,
  },
  ws1709: {
    name: 'ws1709', caption: 'Windows Server Datacenter (1709)', build: 16299, client: false,
    multipleNat: true, hotAdd: true, inboundDefault: 'allow-common', natLoopback: true,
    overlayExternal: 'nat-endpoint', routingMesh: true, serviceVip: true,
    defaultNat: 'free-20', outboundNatOption: true, hnsVersion: '30064771073', hnsAcl: false,
  },
  ws2019: {
    name: 'ws2019', caption: 'Windows Server 2019 Datacenter', build: 17763, client: false,
    multipleNat: true, hotAdd: true, inboundDefault: 'allow-common', natLoopback: true,
    overlayExternal: 'outbound-nat', routingMesh: true, serviceVip: true,
    defaultNat: 'free-20', outboundNatOption: true, hnsVersion: '38654705665', hnsAcl: true,
  },
  ws2022: {
    name: 'ws2022', caption: 'Windows Server 2022 Datacenter', build: 20348, client: false,
    multipleNat: true, hotAdd: true, inboundDefault: 'allow-common', natLoopback: true,
    overlayExternal: 'outbound-nat', routingMesh: true, serviceVip: true,
    defaultNat: 'free-20', outboundNatOption: true, hnsVersion: '64424509440', hnsAcl: true,
  },
};

export function osProfile(name: OsName): OsProfile {
  return PROFILES[name];
}

export function isOsName(s: string): s is OsName {
  return (OS_NAMES as readonly string[]).includes(s);
}
