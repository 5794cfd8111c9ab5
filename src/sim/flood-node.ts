/**
 * Flood workers in Node: one worker thread per shard (node:worker_threads), each loading its own
 * data-plane replicas (src/sim/flood-node-worker.ts). The compiled data plane is handed to each
 * thread, so a worker only instantiates it.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { compiledCore } from '../engine/load-node.js';
import type { FloodPool, FromWorker, ShardWorker, ToWorker } from './flood-shards.js';

/** The worker's script: beside this module when it runs from dist/, else the built one under dist/. */
function workerScript(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const beside = join(here, 'flood-node-worker.js');
  if (existsSync(beside)) return beside;
  let dir = here;
  for (let k = 0; k < 6; k++) {
    const p = join(dir, 'dist', 'src', 'sim', 'flood-node-worker.js');
    if (existsSync(p)) return p;
    dir = dirname(dir);
  }
  throw new Error('flood: the worker script (dist/src/sim/flood-node-worker.js) is not built: run `npm run build:ts`, or flood with --workers 1');
}

/** `startPackets`: see FloodPool (tests pass 0 to split small floods evenly). */
export function nodeFloodPool(opts: { startPackets?: number } = {}): FloodPool {
  return {
    cores: availableParallelism(),
    startPackets: opts.startPackets,
    module: () => compiledCore(),
    spawn(): ShardWorker {
      const w = new Worker(workerScript());
      return {
        post: (m: ToWorker) => w.postMessage(m),
        listen(cb: (m: FromWorker) => void, onError: (message: string) => void) {
          w.on('message', cb);
          w.on('error', (e) => onError(`flood worker failed: ${e.message}`));
          w.on('exit', (code) => {
            if (code !== 0) onError(`flood worker exited with code ${code}`);
          });
        },
        terminate: () => void w.terminate(),
      };
    },
  };
}
