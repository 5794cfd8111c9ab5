import { describe, it, expect } from 'vitest';
import * as Comlink from 'comlink';
import { CoreClient, STALL_GRACE_MS } from './core-client.js';
import type { CoreApi, RunReply } from '../../src/worker/api.js';

/**
 * A stand-in for the engine worker: Comlink over a MessageChannel, with a `run` that never answers
 * (a command that never returns) until `release` is called. Counts the workers made and ended.
 */
function fakeWorkers(runAnswers: boolean) {
  const made: { terminated: boolean }[] = [];
  const make = (): Worker => {
    const { port1, port2 } = new MessageChannel();
    const record = { terminated: false };
    made.push(record);
    const api: Partial<CoreApi> = {
      async hello() {
        return { wasm: true, workloads: [] };
      },
      run(): Promise<RunReply> {
        if (!runAnswers) return new Promise<RunReply>(() => undefined);
        const json = new TextEncoder().encode(JSON.stringify({ version: 1, hosts: [], steps: [], expectations: [], diagnostics: [] })).buffer as ArrayBuffer;
        return Promise.resolve({ ok: true, json, ms: 1, cancelled: false });
      },
      cancel() {},
    };
    Comlink.expose(api, port2);
    const worker = Object.assign(port1, {
      terminate() {
        record.terminated = true;
        port1.close();
        port2.close();
      },
    });
    port1.start();
    return worker as unknown as Worker;
  };
  return { make, made };
}

/** Runs a script with a 100 ms budget on a client of fake workers. */
async function runOnFake(runAnswers: boolean) {
  const fake = fakeWorkers(runAnswers);
  const client = new CoreClient(fake.make);
  client.start();
  const outcome = await client.run({ script: 'docker ps', files: {}, budget: { ms: 100 } });
  return { fake, outcome };
}

describe('CoreClient run budgets', () => {
  it('ends a worker whose command outlives the run\'s time budget, and starts a new one', async () => {
    const { fake, outcome } = await runOnFake(false);
    expect(outcome.kind).toBe('stalled');
    expect(outcome.kind === 'stalled' && outcome.error).toBe('A command ran longer than the run\'s 0.1 s time budget and was stopped; the engine was restarted.');
    expect(fake.made.map((w) => w.terminated)).toEqual([true, false]);
  }, 20_000);

  it('leaves a worker that answers alone', async () => {
    const { fake, outcome } = await runOnFake(true);
    expect(outcome.kind).toBe('done');
    await new Promise((r) => setTimeout(r, 100 + STALL_GRACE_MS + 200));
    expect(fake.made.map((w) => w.terminated)).toEqual([false]);
  }, 20_000);
});
