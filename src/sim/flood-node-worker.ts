/** A flood worker thread (Node): runs one shard of a flood on its own replicas (flood-shards.ts). */
import { parentPort } from 'node:worker_threads';
import { WasmCore } from '../engine/core.js';
import { loadWasmCore } from '../engine/load-node.js';
import { FLOOD_BATCH, serveShards, type FromWorker, type ToWorker } from './flood-shards.js';

const port = parentPort;
if (!port) throw new Error('flood-node-worker runs as a worker thread');
const opts = { slots: FLOOD_BATCH, traceCapacity: 0 };
serveShards(
  { post: (m: FromWorker) => port.postMessage(m), listen: (cb: (m: ToWorker) => void) => port.on('message', cb) },
  (module) => () => (module ? WasmCore.create(module, opts) : loadWasmCore(opts)),
);
