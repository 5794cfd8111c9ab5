/**
 * The coordinator's side of a flood on several workers (src/sim/flood.ts with a FloodPool): a pool
 * that runs each worker's job in this thread (the same protocol and loop as the worker threads),
 * cancel, a worker that fails, and a replica that disagrees with the session's planes.
 */
import { describe, expect, it } from 'vitest';
import { runScript } from '../../src/index.js';
import { loadWasmCore } from '../../src/engine/load-node.js';
import { serveShards, startOnPool, type FloodPool, type FromWorker, type ShardResult, type ToWorker } from '../../src/sim/flood-shards.js';

const NAT = ['client laptop --ip 10.0.0.50', 'docker run -d --name web -p 8080:80 microsoft/iis'];
const FLOOD = 'flood laptop host1 tcp/8080 --packets 60000 --flows 512';

/** Workers in this thread: serveShards behind a message port made of two callbacks. */
function inThreadPool({ startPackets }: { startPackets?: number } = { startPackets: 0 }): FloodPool & { spawned: number; terminated: number; jobs: number[] } {
  const pool = {
    cores: 4,
    spawned: 0,
    terminated: 0,
    // The flows of each job posted.
    jobs: [] as number[],
    // An even split: these floods are small.
    startPackets,
    spawn() {
      pool.spawned++;
      let toCoordinator: (m: FromWorker) => void = () => undefined;
      let toWorker: (m: ToWorker) => void = () => undefined;
      serveShards({ post: (m) => setTimeout(() => toCoordinator(m), 0), listen: (cb) => (toWorker = cb) }, () => () => loadWasmCore({ slots: 256, traceCapacity: 0 }));
      return { post: (m: ToWorker) => (m.type === 'job' && pool.jobs.push(m.job.mine.length), setTimeout(() => toWorker(m), 0)), listen: (cb: (m: FromWorker) => void) => (toCoordinator = cb), terminate: () => void pool.terminated++ };
    },
  };
  return pool;
}

/** A pool whose workers answer every job with `reply`. */
function fakePool(reply: FromWorker): FloodPool {
  return {
    cores: 2,
    startPackets: 0,
    spawn: () => ({ post: () => undefined, listen: (cb) => void setTimeout(() => cb(reply), 0), terminate: () => undefined }),
  };
}

const floodStep = (r: Awaited<ReturnType<typeof runScript>>) => r.steps.find((s) => s.command.startsWith('flood'))!;
const counts = (out: string) => out.split('\n').filter((l) => /^ {2}(delivered|dropped)/.test(l)).join('\n');

describe('a flood on a pool of workers', () => {
  it('gives the counts one worker gives, with the workers the pool started', async () => {
    const one = floodStep(await runScript([...NAT, FLOOD].join('\n'), { seed: 1, floodPool: null }));
    const pool = inThreadPool();
    const four = floodStep(await runScript([...NAT, `${FLOOD} --workers 4`].join('\n'), { seed: 1, floodPool: pool }));
    // The first shard runs on the script's thread: three workers started for four.
    expect(pool.spawned).toBe(3);
    expect(four.output).toMatch(/, 4 workers\)/);
    expect(counts(four.output)).toBe(counts(one.output));
    expect(counts(one.output)).toBe('  delivered  60,000');
    expect(four.ok).toBe(true);
  });

  it('stops every worker on cancel and says how far it got', async () => {
    let progress = 0;
    const r = await runScript([...NAT, 'flood laptop host1 tcp/8080 --packets 3000000 --flows 512 --workers 2'].join('\n'), {
      seed: 1,
      floodPool: inThreadPool(),
      onProgress: (f) => (progress = f),
      cancelled: () => progress > 0.2,
    });
    const s = floodStep(r);
    expect(s.ok).toBe(false);
    expect(s.output).toMatch(/cancelled after [\d,]+ of 3,000,000 packets/);
  });

  it('fails the flood with the reason when a worker fails', async () => {
    const r = await runScript([...NAT, `${FLOOD} --workers 2`].join('\n'), { seed: 1, floodPool: fakePool({ type: 'error', message: 'out of memory' }) });
    expect(floodStep(r).ok).toBe(false);
    expect(floodStep(r).error).toBe('packet-path: this command could not be simulated: out of memory');
  });

  it('fails the flood, naming the flow, when a replica drops a flow the planes passed', async () => {
    const result: ShardResult = { sent: 10, delivered: 9, drops: [[1, 1]], placeMs: 0, disagreed: { flow: 7, reason: 1 }, aclHits: [] };
    const r = await runScript([...NAT, `${FLOOD} --workers 2`].join('\n'), { seed: 1, floodPool: fakePool({ type: 'done', result }) });
    expect(floodStep(r).ok).toBe(false);
    expect(floodStep(r).error).toMatch(/a worker's copy of the data planes dropped flow 7 \(.+\), which the host's own planes passed; run the flood with --workers 1/);
  });

  it("starts the first big flood's workers as the script starts, and the flood takes them", async () => {
    const pool = inThreadPool();
    const atFirstStep: number[] = [];
    const r = await runScript([...NAT, `${FLOOD} --workers 4`].join('\n'), { seed: 1, floodPool: pool, onStep: () => atFirstStep.push(pool.spawned) });
    expect(atFirstStep[0]).toBe(3);
    // No more were started for the flood, and every one ended after it.
    expect(pool.spawned).toBe(3);
    expect(pool.terminated).toBe(3);
    expect(floodStep(r).output).toMatch(/, 4 workers\)/);
  });

  it('ends the workers it started ahead when the flood never takes them', async () => {
    for (const [lines, started] of [
      // The flood fails at the command (no such target): its threads were started all the same.
      [[...NAT, `flood laptop nowhere-host tcp/8080 --packets 60000 --flows 512 --workers 3`], 2],
      // A small flood runs on one worker by default: none started.
      [[...NAT, 'flood laptop host1 tcp/8080 --packets 1000 --flows 512'], 0],
    ] as const) {
      const pool = inThreadPool();
      await runScript(lines.join('\n'), { seed: 1, floodPool: pool });
      expect(pool.spawned).toBe(started);
      expect(pool.terminated).toBe(started);
    }
    // A run that stops before the flood's line (a reachability matrix at an earlier line) starts none.
    const early = inThreadPool();
    await runScript([...NAT, `${FLOOD} --workers 4`].join('\n'), { seed: 1, floodPool: early, untilLine: 2 });
    expect(early.spawned).toBe(0);
    const cancelled = inThreadPool();
    await runScript([...NAT, `${FLOOD} --workers 2`].join('\n'), { seed: 1, floodPool: cancelled, cancelled: () => true });
    expect(cancelled.spawned).toBe(1);
    expect(cancelled.terminated).toBe(1);
  });

  it('splits evenly with workers started with the script, and gives its own thread more with workers that start with their flood', async () => {
    // The script's first flood takes the threads started ahead; the second starts its own.
    const pool = inThreadPool({});
    const big = 'flood laptop host1 tcp/8080 --packets 600000 --flows 4096 --workers 2';
    await runScript([...NAT, big, big].join('\n'), { seed: 1, floodPool: pool });
    expect(pool.jobs).toHaveLength(2);
    // Even: about 2,048 of 4,096 flows; WORKER_START_PACKETS ahead: about 1,876.
    expect(pool.jobs[0]).toBeGreaterThan(1960);
    expect(pool.jobs[1]).toBeLessThan(1940);
  });

  it("hears the workers' results as they come, not at the next cancel poll", async () => {
    // A worker that answers its job at once: the results must be there before the next task
    // (a 20 ms poll that waited for them held every flood on several workers up to 20 ms longer).
    const result: ShardResult = { sent: 1, delivered: 1, drops: [], placeMs: 0, disagreed: null, aclHits: [] };
    let answer: (m: FromWorker) => void = () => undefined;
    const pool: FloodPool = {
      cores: 2,
      spawn: () => ({ post: (m) => void (m.type === 'job' && queueMicrotask(() => answer({ type: 'done', result }))), listen: (cb) => void (answer = cb), terminate: () => undefined }),
    };
    const job = { planes: [], places: [], slots: 256, template: new Uint8Array(60), patch: { proto: 'tcp' as const, field: 34, checksum: 50 }, flows: 2, total: 4, mine: [1] };
    let polled = 0;
    const run = startOnPool(pool, [job], { cancelled: () => (polled++, false) });
    const first = await Promise.race([run.results.then((r) => r.length), new Promise<string>((r) => setImmediate(() => r('next task')))]);
    expect(first).toBe(1);
    // The cancel poll stopped with the run.
    const before = polled;
    await new Promise((r) => setTimeout(r, 50));
    expect(polled).toBe(before);
  });
});
