/**
 * Why a packet dies outside the data plane's stages: the walker's and the stations' own drop reasons,
 * declared once beside the data plane's (src/engine/drops.ts), so explanations can key on them.
 */
export const SIM_DROPS = {
  /** The walk passed more places than any real path has. */
  FORWARDING_LOOP: { name: 'SIM_FORWARDING_LOOP', text: 'forwarding loop (hop limit reached)' },
  /** An ARP request for the next hop got no answer. */
  NO_ARP_REPLY: { name: 'SIM_NO_ARP_REPLY', text: (nextHop: string) => `next hop ${nextHop} did not answer ARP` },
  /** The packet came back to a place where ARP already failed for it. */
  ARP_RETRY_FAILED: { name: 'SIM_ARP_RETRY_FAILED', text: 'next hop did not answer ARP' },
  /** A virtualized host without MAC address spoofing: the VM host's switch drops container frames. */
  MAC_SPOOFING_OFF: {
    name: 'SIM_MAC_SPOOFING_OFF',
    text: "MAC address spoofing is off on this VM's network adapter: the Hyper-V host drops frames with a container's source MAC",
  },
  /** A packet routed to the internet for a private address: no internet router carries it (RFC 1918 §3). */
  PRIVATE_TO_INTERNET: {
    name: 'SIM_PRIVATE_TO_INTERNET',
    text: 'routed to the internet, which does not carry private addresses (RFC 1918): no route to its owner',
  },
  /**
   * A packet whose TTL runs out between the router and an internet address: the internet is a station
   * ten routers away (its answers arrive with TTL 54), and those routers are not simulated.
   */
  INTERNET_TTL_EXPIRED: {
    name: 'SIM_INTERNET_TTL_EXPIRED',
    text: (router: number) => `TTL expired at the internet's router ${router} past the LAN router; the internet's routers are not simulated and send no ICMP Time Exceeded`,
  },
} as const;

/** Routers between the LAN router and any internet address (64 - 54: the TTL the internet's answers arrive with). */
export const INTERNET_ROUTERS = 10;
