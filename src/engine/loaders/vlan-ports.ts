/**
 * Loading vSwitch port tables (802.1Q mode per port) into either core: the vlan-in / vlan-out stages
 * and the switch (flood domain) read the table of their a0. Loading again replaces the table from the
 * next batch on; on the WebAssembly core each load takes a fresh image and frees the one it replaces.
 */
import type { PacketCore, WasmCore } from '../core.js';
import type { RefCore } from '../reference/core.js';
import { refLoadVlanPorts } from '../reference/vlan.js';
import { type VlanPort, VLAN_PORT_TABLES, normalizeVlanPorts, encodeVlanPorts } from '../../table-images/vlan-ports.js';

interface VlanExports {
  vlan_ports_load(vswitch: number, image: number): void;
}

/** Validates `ports` (RangeError) and installs them as the port table of vSwitch `vswitch`.
 *  Called by the simulation when a vSwitch's ports or their VLAN settings change. */
export function loadVlanPorts(core: PacketCore, vswitch: number, ports: readonly VlanPort[]): void {
  if (!Number.isInteger(vswitch) || vswitch < 0 || vswitch >= VLAN_PORT_TABLES) {
    throw new RangeError(`vSwitch id ${vswitch} not in 0..${VLAN_PORT_TABLES - 1}`);
  }
  const entries = normalizeVlanPorts(ports);
  if (core.kind === 'reference') {
    refLoadVlanPorts(core as RefCore, vswitch, entries);
    return;
  }
  const image = encodeVlanPorts(entries);
  const p = core.alloc(image.length);
  core.bytes().set(image, p);
  ((core as WasmCore).exports as unknown as VlanExports).vlan_ports_load(vswitch, p);
}
