// Table spaces: one data plane serves many simulated hosts. A space is one host's set of tables
// (routing domains, rule sets, vSwitches, NAT instances, ...) under the host's own ids; the ring,
// descriptors, counters, trace and per-batch scratch are shared, since hosts run one at a time.
// Selecting a space swaps the directories every table module reads; it costs a few stores per
// selection and nothing per packet.
import { Directory, dirRecord } from './memory';
import { routeDirectory } from './tables/route-domain';
import { aclDirectory } from './tables/acl-classifier';
import { endpointDirectory } from './tables/endpoint-map';
import { fdbDirectory } from './tables/fdb';
import { vlanDirectory } from './tables/vlan-ports';
import { guardDirectory } from './tables/guard-table';
import { natDirectory } from './tables/nat-table';
import { uftDirectory } from './tables/uft';
import { vtepDirectory } from './tables/vtep-table';
import { tablesGeneration, setTablesGeneration } from './tables/generation';

/** Spaces are numbered from 0 (the one in force at start) below this bound. */
export const MAX_SPACES: u32 = 1 << 20;
const DIRECTORIES: u32 = 9;
/** The directories, then the space's tables generation (u32) and padding. */
const RECORD: u32 = DIRECTORIES * 8 + 8;

/** Each space's directories while another space is selected. */
const saved = changetype<Directory>(memory.data(16, 16));
let current: u32 = 0;

// @ts-ignore: decorator
@inline function swap(d: Directory, rec: usize, k: u32, save: bool): void {
  const at = rec + <usize>(k * 8);
  if (save) {
    store<u32>(at, <u32>d.base);
    store<u32>(at, d.cap, 4);
  } else {
    d.base = <usize>load<u32>(at);
    d.cap = load<u32>(at, 4);
  }
}

function swapAll(rec: usize, save: bool): void {
  swap(routeDirectory, rec, 0, save);
  swap(aclDirectory, rec, 1, save);
  swap(endpointDirectory, rec, 2, save);
  swap(fdbDirectory, rec, 3, save);
  swap(vlanDirectory, rec, 4, save);
  swap(guardDirectory, rec, 5, save);
  swap(natDirectory, rec, 6, save);
  swap(uftDirectory, rec, 7, save);
  swap(vtepDirectory, rec, 8, save);
  // Each space's tables have their own generation: a load in one host's space does not retire the
  // flow table entries of another's.
  if (save) store<u32>(rec, tablesGeneration, DIRECTORIES * 8);
  else setTablesGeneration(load<u32>(rec, DIRECTORIES * 8));
}

/** Called by the engine before it loads or runs a host's tables (src/engine/core.ts SpaceCore):
 *  makes space `id` the one every table load and stage reads. A new id starts with no tables.
 *  Returns 0, or -1 for an id out of range. */
export function space_select(id: u32): i32 {
  if (id >= MAX_SPACES) return -1;
  if (id == current) return 0;
  swapAll(dirRecord(saved, current, RECORD), true);
  swapAll(dirRecord(saved, id, RECORD), false);
  current = id;
  return 0;
}
