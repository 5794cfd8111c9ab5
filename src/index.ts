/**
 * Packet Path as a library (Node): run scripts, and drive the data plane directly.
 *
 *   import { runScript } from 'packet-path';
 *   const result = await runScript(text, { seed: 1 });
 */
import { loadWasmCore } from './engine/load-node.js';
import { SIM_CORE_OPTIONS } from './engine/core.js';
import { runScript as runScriptWith, setDefaultCoreFactory, setDefaultFloodPool, type RunScriptOptions } from './run.js';
import { nodeFloodPool } from './sim/flood-node.js';
import type { RunResult } from './result.js';

setDefaultCoreFactory(() => loadWasmCore(SIM_CORE_OPTIONS));
setDefaultFloodPool(nodeFloodPool());

/** Runs a script and returns the `--json` document of SPEC §5. */
export function runScript(text: string, options: RunScriptOptions = {}): Promise<RunResult> {
  return runScriptWith(text, options);
}

export type { RunScriptOptions } from './run.js';
export type * from './result.js';
export { parseScript } from './script/parser.js';
export { formatTranscript } from './transcript.js';
export { importHost, ImportError, MAX_IMPORT_CHARS, type ImportResult, type ImportSource, type SourceKind } from './import/index.js';

// The engine API: load tables and push packet batches for custom benchmarks.
export { WasmCore, writeBatch, readFrame, readDescriptor, type PacketCore, type ProgramStep, type Descriptor, type Counters } from './engine/core.js';
export { loadWasmCore } from './engine/load-node.js';
export { RefCore } from './engine/reference/index.js';
export { DROP_REASONS, dropReason } from './engine/drops.js';
export { decodeTrace, type TraceEvent } from './engine/trace.js';
export { PcapWriter, readPcap, PcapError } from './engine/pcap.js';
export * as abi from './abi.js';
export { loadAcl, aclHitCounts } from './engine/loaders/acl.js';
export { loadFdb, readFdb } from './engine/loaders/fdb.js';
export { loadRoutes, loadNeighbors } from './engine/loaders/routes.js';
export { loadVlanPorts } from './engine/loaders/vlan-ports.js';
export { loadEndpointMap, setHostMac } from './engine/loaders/endpoint-map.js';
export { loadVtepTable, readVtepTable } from './engine/loaders/vxlan.js';
export { buildFrame, describeFrame, decodeFrame, frameFields, type FrameSpec, type DecodedFrame, type DecodedLayer } from './wire/build.js';
export { runBench, formatTable } from './bench/runner.js';
export type { Workload, Prepared, BenchResult } from './bench/types.js';

// Analyses: the reachability matrix and single probes (docs/analysis.md).
export { reach, probe, openWorld, planReach, reachCells, reachEndpoints, parsePort, DEFAULT_PORTS, INTERNET_ADDRESS, type ReachWorld, type ReachOptions, type ProbeRequest, type ReachPlan } from './analysis/reach.js';
export type * from './analysis/types.js';

export { diffScripts, diffWorlds, type DiffOptions } from './analysis/diff.js';
export { compareRuns, diffCells, divergence, pairSteps } from './analysis/compare.js';

// "Why not?": why a line or a probe failed, with fixes verified by re-running the edited script.
export { why, type WhyOptions, type WhyResult, type WhyFix, type WhyRejectedFix, type WhyProbe } from './analysis/why.js';
export { applyEdits, type ScriptEdit } from './analysis/fixes.js';
