/** The CLI's transcript printer at size: a step with more trace lines than a call may take arguments. */
import { describe, expect, it } from 'vitest';
import { formatTranscript } from '../../src/transcript.js';
import type { Hop, PacketTrace, RunResult } from '../../src/result.js';

describe('formatTranscript --trace', () => {
  it('prints 300,000 hop lines of one step (was: Maximum call stack size exceeded)', () => {
    const hop: Hop = { host: 'host1', at: 'vSwitch nat, port a', stage: 'switch', action: 'forward', rule: null, before: {}, after: {} };
    const packet = { summary: 'ICMP echo', verdict: 'delivered', hops: [hop, hop] } as unknown as PacketTrace;
    const result: RunResult = {
      version: 1, hosts: [], expectations: [], diagnostics: [],
      steps: [{ line: 1, host: 'host1', command: 'docker exec a ping -n 10000 b', ok: true, output: '', error: null, warnings: [], traces: [{ from: 'a', to: 'b', packets: Array(100_000).fill(packet) }] }],
    };
    const text = formatTranscript(result, { trace: true });
    expect(text.split('\n').length).toBeGreaterThanOrEqual(300_001);
  });
});
