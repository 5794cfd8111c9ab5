/**
 * A flood worker in the browser: a Web Worker the core worker (core.worker.ts) starts for each shard
 * of a big flood (nested workers: Chromium and Vite support them, and the page never sees them). It
 * runs its shard on its own data-plane replicas (src/sim/flood-shards.ts); messages only, no
 * SharedArrayBuffer, so an embedding page needs no cross-origin isolation.
 */
import wasmUrl from '../../build/core.wasm?url';
import { WasmCore } from '../engine/core.js';
import { loadWasmCoreFromUrl } from '../engine/load-web.js';
import { FLOOD_BATCH, serveShards, type FromWorker, type ToWorker } from '../sim/flood-shards.js';

const opts = { slots: FLOOD_BATCH, traceCapacity: 0 };
const scope = self as unknown as { postMessage(m: unknown): void; addEventListener(t: 'message', cb: (e: MessageEvent) => void): void };
serveShards(
  { post: (m: FromWorker) => scope.postMessage(m), listen: (cb: (m: ToWorker) => void) => scope.addEventListener('message', (e) => cb(e.data as ToWorker)) },
  (module) => () => (module ? WasmCore.create(module, opts) : loadWasmCoreFromUrl(wasmUrl, opts)),
);
