// The generation of the data plane's tables: one counter, moved by every control-plane change that
// can alter what the layers do to an existing flow (a rule set, NAT configuration or flush, a VTEP
// table, an FDB load or a learned MAC moving port, an endpoint map, a host MAC, VLAN membership, a
// guard). Routes and neighbours do not move it: route is never a layer of a UFT (tables/uft.ts), so
// a neighbour the host stack learns does not retire the vSwitch ports' flows. A unified-flow-table entry records the generation it was built under and is dead once the
// counter moves on (VFP invalidates its UFT on policy change, NSDI 2017 §5.2). One counter for all
// tables invalidates more than strictly needed, never less: a change is rare next to packets.

export let tablesGeneration: u32 = 1;

/** Called by every table loader (once per load) and by the switch when a learned MAC moves. */
export function tablesChanged(): void {
  tablesGeneration++;
}

/** Called by space_select (assembly/spaces.ts): the generation of the space selected. */
export function setTablesGeneration(g: u32): void {
  tablesGeneration = g;
}
