/**
 * The data plane's binary interface: every layout constant shared by the WebAssembly core
 * (`assembly/abi.ts` mirrors this file value for value; `tests/unit/abi.test.ts` checks they agree)
 * and the TypeScript side (engine, reference data plane, table compilers, trace decoder).
 *
 * Memory model: one linear memory per engine instance. A packet ring of SLOT_COUNT fixed slots of
 * SLOT_SIZE bytes; a frame is written at `slot + HEADROOM` so VXLAN encap can prepend its 50-byte
 * outer header in place. One descriptor (DESC_SIZE bytes) per slot; a batch is descriptors [0, n).
 */

/** Bytes per packet slot in the ring: 33 cache lines, an odd number, so that the same offset in
 *  consecutive slots falls in different cache sets (a power-of-two stride puts every frame's header
 *  in the same few sets, and a batch's headers then evict each other). The ring starts on a line. */
export const SLOT_SIZE = 2112;
/** Bytes reserved in front of every frame for encapsulation. */
export const HEADROOM = 128;
/** Largest frame a slot holds (SLOT_SIZE - HEADROOM). */
export const MAX_FRAME = SLOT_SIZE - HEADROOM;
/** Largest batch a stage accepts (ring size). */
export const MAX_BATCH = 1024;

/** Descriptor layout: DESC_SIZE bytes per packet, field offsets below. */
export const DESC_SIZE = 32;
/** u32: absolute address in linear memory of the frame's first byte (Ethernet destination). */
export const D_DATA = 0;
/** u16: frame length in bytes (no FCS). */
export const D_LEN = 4;
/** u8: offset of the L3 header from D_DATA (14, or 18 with an 802.1Q tag); 0 when the frame has none. */
export const D_L3 = 6;
/** u8: offset of the L4 header from D_DATA; 0 when none. */
export const D_L4 = 7;
/** u16: port the frame arrived on (a vSwitch port, a NIC, a compartment interface). */
export const D_IN_PORT = 8;
/** u16: port chosen for output by switch/route; 0xFFFF = flood, 0xFFFE = none yet. */
export const D_OUT_PORT = 10;
/** D_OUT_PORT values: no output port chosen yet; flood (every port of the VLAN but the ingress). */
export const OUT_PORT_NONE = 0xfffe;
export const OUT_PORT_FLOOD = 0xffff;
/** u16: VLAN id the frame belongs to inside the switch (0 = untagged / native). */
export const D_VLAN = 12;
/** u8: disposition, see NEXT_*. */
export const D_NEXT = 14;
/** u8: drop reason (assembly/drops.ts), 0 while the packet lives. */
export const D_DROP = 15;
/** u16: EtherType after any 802.1Q tag (host order). */
export const D_ETHERTYPE = 16;
/** u8: IPv4 protocol number (1 ICMP, 6 TCP, 17 UDP), 0 when not IPv4. */
export const D_PROTO = 18;
/** u8: flag bits, see F_*. */
export const D_FLAGS = 19;
/** u32: stage scratch (e.g. the NAT session index, the matched ACL rule). */
export const D_AUX = 20;
/** u32: context: the routing domain / network / VNI the packet is in. */
export const D_CTX = 24;
/** u32: flow hash (computed by parse over the 5-tuple; 0 for non-IP). */
export const D_HASH = 28;

/** D_NEXT values. A stage only processes packets whose disposition is NEXT_CONTINUE. */
export const NEXT_CONTINUE = 0;
/** Parked by a guard step (assembly/stages/guard.ts) for the next k steps of the program: no stage
 *  touches it; the pipeline returns it to NEXT_CONTINUE after those steps (or at the program's end),
 *  so no packet is parked once a program returns. */
export const NEXT_PARKED = 0xfc;
/** Consumed locally: addressed to this stack (ARP for a local address, traffic to the host). */
export const NEXT_LOCAL = 0xfd;
/** Transmitted: the packet left through D_OUT_PORT; later stages leave it alone. */
export const NEXT_TX = 0xfe;
/** Dropped: D_DROP says why. */
export const NEXT_DROP = 0xff;
/** A UFT hit, set aside while the UFT walks the batch's new flows through the layers (never left
 *  in a descriptor after a stage returns; apart from NEXT_PARKED, which a guard's window holds). */
export const NEXT_UFT_HELD = 0xfb;

/** D_FLAGS bits. */
export const F_VLAN_TAGGED = 1; // the frame in memory carries an 802.1Q tag
export const F_VXLAN = 2; // parse found UDP/4789 with the VXLAN I flag
export const F_BCAST = 4; // destination MAC is broadcast or multicast
export const F_FRAGMENT = 8; // IPv4 MF set or fragment offset non-zero (no L4 header parsed)
export const F_ARP = 16; // EtherType 0x0806, ARP header valid
export const F_ENCAPPED = 32; // vxlan-encap wrapped this packet in this pass

/** Stage ids: used in trace events, counters and pipeline programs. */
export const STAGE_PARSE = 1;
export const STAGE_VLAN_IN = 2;
export const STAGE_VLAN_OUT = 3;
export const STAGE_ACL = 4;
export const STAGE_NAT = 5;
export const STAGE_VXLAN_ENCAP = 6;
export const STAGE_VXLAN_DECAP = 7;
export const STAGE_MAC_REWRITE = 8;
export const STAGE_SWITCH = 9;
export const STAGE_ROUTE = 10;
/** A program's per-packet decision: packets that fail the guard skip the next k steps (no trace events). */
export const STAGE_GUARD = 11;
/** VFP's unified flow table: one exact-match lookup per packet of a known flow, which then takes
 *  the composed transposition of the port's layers (assembly/stages/uft.ts). */
export const STAGE_UFT = 12;
export const STAGE_COUNT = 13;

/** Counters: per stage, COUNTERS_PER_STAGE u64 slots: packets in, passed on, dropped, consumed (tx/local). */
export const COUNTERS_PER_STAGE = 4;
export const C_IN = 0;
export const C_PASS = 1;
export const C_DROP = 2;
export const C_DONE = 3;

/**
 * Trace events: when tracing is on, stages append TRACE_EVENT_SIZE-byte records.
 *   0 u16 packet index in the batch   2 u8 stage id   3 u8 action (A_*)
 *   4 i32 rule / table entry index (-1 none)
 *   8 u16 field id (FIELD_*; 0 = the event is a decision, not a field change)   10 u16 reserved
 *  12 u32 reserved
 *  16 u64 value before     24 u64 value after
 */
export const TRACE_EVENT_SIZE = 32;

/** Trace actions. */
export const A_PASS = 0;
export const A_ALLOW = 1;
export const A_BLOCK = 2;
export const A_TRANSLATE = 3;
export const A_ENCAP = 4;
export const A_DECAP = 5;
export const A_REWRITE = 6;
export const A_FORWARD = 7;
export const A_FLOOD = 8;
export const A_LEARN = 9;
export const A_DROP = 10;
export const A_ROUTE = 11;
export const A_PUSH = 12;
export const A_POP = 13;
export const A_LOCAL = 14;
export const A_CREATE = 15; // a new entry (NAT session) was created
export const A_FAST_PATH = 16; // a unified-flow-table hit: entry = UFT entry, before = ACL rule, after = NAT session

/** Trace field ids: the header fields a stage may change. Values are in host order, MACs as 48-bit ints. */
export const FIELD_NONE = 0;
export const FIELD_ETH_SRC = 1;
export const FIELD_ETH_DST = 2;
export const FIELD_VLAN_ID = 3;
export const FIELD_IP_SRC = 4;
export const FIELD_IP_DST = 5;
export const FIELD_IP_TTL = 6;
export const FIELD_SPORT = 7; // TCP/UDP source port
export const FIELD_DPORT = 8; // TCP/UDP destination port
export const FIELD_ICMP_ID = 9;
export const FIELD_VXLAN_VNI = 10;
export const FIELD_OUTER_IP_SRC = 11;
export const FIELD_OUTER_IP_DST = 12;
export const FIELD_OUTER_SPORT = 13;
export const FIELD_OUT_PORT = 14;
export const FIELD_LEN = 15;
export const FIELD_OUTER_ETH_SRC = 16;
export const FIELD_OUTER_ETH_DST = 17;
export const FIELD_ARP_SHA = 18; // ARP sender hardware address (l2bridge MAC rewrite)
export const FIELD_ARP_THA = 19; // ARP target hardware address
