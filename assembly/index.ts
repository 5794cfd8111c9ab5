// The exported ABI of the data plane, and nothing else. Each function says who calls it and how often.
import { MAX_BATCH } from './abi';
import { ring_init } from './memory';
import { counters_init } from './counters';
import { trace_init } from './trace';

export { space_select } from './spaces';
export { alloc, free, ring_base, desc_base, ring_snapshot, ring_restore, ring_feed } from './memory';
export { counters_base, counters_reset } from './counters';
export { trace_enable, trace_base, trace_len, trace_lost } from './trace';
export { pipeline_run } from './pipeline';
export { flood_feed, flood_enter, flood_tally, flood_run } from './flood';
export { uft_configure, uft_flush, uft_stats, uft_capacity, uft_program_buffer } from './tables/uft';
export { acl_load, acl_image } from './tables/acl-classifier';
export { guard_load } from './tables/guard-table';
export { vtep_table_load, vtep_table_image } from './tables/vtep-table';
export { vlan_ports_load } from './tables/vlan-ports';
export { fdb_load, fdb_base } from './tables/fdb';
export { endpoint_map_load, host_mac_set } from './tables/endpoint-map';
export { routes_load, neighbors_load } from './tables/route-domain';
export {
  nat_configure, nat_flush, nat_set_now, nat_now, nat_sessions, nat_capacity, nat_session_count, nat_mappings,
  nat_mapping_capacity, nat_pool_free,
} from './tables/nat-table';

/** Called once by the engine after instantiation: sizes the ring, counters and the trace buffer. */
export function init(slots: i32, traceCapacity: i32): void {
  ring_init(slots > 0 ? slots : MAX_BATCH);
  counters_init();
  trace_init(traceCapacity);
}
