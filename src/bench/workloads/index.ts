/**
 * Every workload of `packet-path bench` (SPEC §5; the runner is src/bench/runner.ts). Seeds are fixed
 * in each workload module, so figures compare across versions.
 *
 *   mac-rewrite   l2bridge rewrite, 1024 endpoints, egress and ingress          (mac-rewrite.ts)
 *   vxlan-encap   64 tunnels, 64 B and 1500 B inner frames                       (vxlan.ts)
 *   vxlan-decap   64 tunnels, 64 B and 1500 B inner frames                       (vxlan.ts)
 *   nat-established  65536 and 1M sessions, uniformly random flows                (nat.ts)
 *   nat-new       new sessions per second (unit: sessions), 65536-session table    (nat.ts)
 *   switch        65536 MACs static / learned, random known unicast              (switch.ts)
 *   pipeline      parse → acl 1k → nat 64k → vxlan-encap → switch, batch 32/256/1024 (pipeline.ts)
 *
 * Batches hold 256 packets unless a workload's params say otherwise. `quick` keeps one variant of
 * each (the smaller tables, 64-byte frames, batch 256) so `bench --quick` stays short.
 */
import type { PacketCore } from '../../engine/core.js';
import type { Workload } from '../types.js';
import { macRewriteWorkloads } from './mac-rewrite.js';
import { setupNatEstablished, setupNatNew } from './nat.js';
import { pipelineWorkloads } from './pipeline.js';
import { switchWorkloads } from './switch.js';
import { setupVxlanDecap, setupVxlanEncap } from './vxlan.js';

export interface WorkloadOptions {
  quick: boolean;
}

function vxlanWorkloads(opts: WorkloadOptions): Workload[] {
  return (opts.quick ? [64] : [64, 1500]).flatMap((size): Workload[] => [
    {
      name: 'vxlan-encap',
      stage: 'vxlan-encap',
      params: { tunnels: 64, batch: 256, size },
      setup: (core: PacketCore) => setupVxlanEncap(core, { size }),
    },
    {
      name: 'vxlan-decap',
      stage: 'vxlan-decap',
      params: { tunnels: 64, batch: 256, size },
      setup: (core: PacketCore) => setupVxlanDecap(core, { size }),
    },
  ]);
}

function natWorkloads(opts: WorkloadOptions): Workload[] {
  return [
    ...(opts.quick ? [65536] : [65536, 1_000_000]).map((sessions): Workload => ({
      name: 'nat-established',
      stage: 'nat',
      params: { sessions, batch: 256, size: 64 },
      setup: (core: PacketCore) => setupNatEstablished(core, { sessions }),
    })),
    {
      name: 'nat-new',
      stage: 'nat',
      params: { capacity: 65536, batch: 256, size: 64 },
      setup: (core: PacketCore) => setupNatNew(core, { capacity: 65536 }),
    },
  ];
}

/** The bench's workloads, in the order the table lists them. */
export function allWorkloads(opts: WorkloadOptions): Workload[] {
  return [
    ...macRewriteWorkloads().filter((w) => !opts.quick || w.params.ingress === 0),
    ...vxlanWorkloads(opts),
    ...natWorkloads(opts),
    ...switchWorkloads(opts),
    ...pipelineWorkloads(opts),
  ];
}
