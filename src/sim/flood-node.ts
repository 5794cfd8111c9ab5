/**
 * Flood workers in Node: one worker thread per shard (node:worker_threads), each loading its own
 * data-plane replicas (src/sim/flood-node-worker.ts). The compiled data plane is handed to each
 * thread, so a worker only instantiates it.
 */
import { existsSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { compiledCore } from '../engine/load-node.js';
import type { FloodPool, FromWorker, ShardWorker, ToWorker } from './flood-shards.js';

/**
 * The worker's script: the built module (beside this one when it runs from dist/, else under dist/),
 * or rather its bundle (dist/flood-worker/: one module, so a thread starts in about half the time)
 * when that was built from it (not older than it).
 */
function workerScript(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  let built = join(here, 'flood-node-worker.js');
  for (let k = 0, dir = here; k < 6 && !existsSync(built); k++, dir = dirname(dir)) built = join(dir, 'dist', 'src', 'sim', 'flood-node-worker.js');
  if (!existsSync(built)) throw new Error('flood: the worker script (dist/src/sim/flood-node-worker.js) is not built: run `npm run build:ts`, or flood with --workers 1');
  const bundle = join(dirname(dirname(dirname(built))), 'flood-worker', 'flood-node-worker.js');
  return existsSync(bundle) && statSync(bundle).mtimeMs >= statSync(built).mtimeMs ? bundle : built;
}

/** `startPackets`: see FloodPool (tests pass 0 to split small floods evenly). */
export function nodeFloodPool(opts: { startPackets?: number } = {}): FloodPool {
  return {
    cores: availableParallelism(),
    startPackets: opts.startPackets,
    module: () => compiledCore(),
    spawn(): ShardWorker {
      const w = new Worker(workerScript());
      // A thread started ahead holds the process only once its flood listens to it.
      w.unref();
      // Heard from the start: a thread started ahead of its flood may fail before anyone listens.
      let failed: string | null = null;
      let onFail: (message: string) => void = (message) => void (failed ??= message);
      w.on('error', (e) => onFail(`flood worker failed: ${e.message}`));
      w.on('exit', (code) => {
        if (code !== 0) onFail(`flood worker exited with code ${code}`);
      });
      return {
        post: (m: ToWorker) => w.postMessage(m),
        listen(cb: (m: FromWorker) => void, onError: (message: string) => void) {
          w.ref();
          w.on('message', cb);
          onFail = onError;
          if (failed) onError(failed);
        },
        terminate: () => void w.terminate(),
      };
    },
  };
}
