/**
 * The whole `--json` document of every example — steps, traces with every hop, the frames on every
 * wire, and the per-step world snapshots the playground draws — against a reviewed file snapshot
 * (tests/scenario/__snapshots__/json/NN-topic.json). This is the net under any change to the
 * simulation: a change that alters what a user sees shows here first. Only the measured rates of
 * `flood` are normalised. Update with `npx vitest run -u tests/scenario/json.test.ts` after reading
 * the diff.
 */
import { describe, expect, it } from 'vitest';
import { runScript } from '../../src/index.js';
import { exampleNames, loadExample, normalizeTranscript } from './examples-support.js';

describe('the --json document of every example', () => {
  for (const name of exampleNames()) {
    it(name, async () => {
      const ex = loadExample(name);
      const r = await runScript(ex.text, { seed: 1, readFile: ex.readFile, capture: true, snapshots: true });
      for (const s of r.steps) s.output = normalizeTranscript(s.output);
      const text = JSON.stringify(r, null, 1);
      expect(r.version).toBe(1);
      await expect(`${text}\n`).toMatchFileSnapshot(`__snapshots__/json/${name.replace(/\.pp$/, '.json')}`);
    });
  }
});
