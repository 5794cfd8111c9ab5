/**
 * Every workload of `packet-path bench` (SPEC §5; the runner is src/bench/runner.ts). Seeds are fixed
 * in each workload module, so figures compare across versions.
 *
 *   mac-rewrite      l2bridge rewrite, 1024 endpoints, egress and ingress            (mac-rewrite.ts)
 *   vxlan-encap      64 tunnels, 64 B and 1500 B inner frames                         (vxlan.ts)
 *   vxlan-decap      64 tunnels, 64 B and 1500 B inner frames                         (vxlan.ts)
 *   nat-established  65536 and 1M sessions, uniformly random flows                    (nat.ts)
 *   nat-new          new sessions per second (unit: sessions), 65536-session table    (nat.ts)
 *   acl              10 / 100 / 1k / 10k ClassBench-like rules; fresh flows, 64 flows (acl.ts)
 *   switch           65536 MACs static / learned, random known unicast                (switch.ts)
 *   pipeline         parse → acl 1k → nat 64k → vxlan-encap → switch, batch 32/256/1024 (pipeline.ts)
 *   pipeline-uft     the same layers behind VFP's unified flow table, 64k established flows
 *   pipeline-new     the same, every packet its flow's first since the table was flushed
 *
 * Batches hold 256 packets unless a workload's params say otherwise. `quick` keeps one variant of
 * each family (64-byte frames, 65536 sessions, 1000 rules, static FDB, batch 256) so that
 * `bench --quick` stays short.
 */
import type { PacketCore } from '../../engine/core.js';
import { ACL_VERDICT_CACHE_DEFAULT } from '../../table-images/acl-classifier.js';
import type { Workload } from '../types.js';
import { ACL_BENCH_POOL, setupAclWorkload } from './acl.js';
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

/** ClassBench-like rule sets; fresh flows each batch (the classifier), or 64 flows (the verdict cache). */
function aclWorkloads(opts: WorkloadOptions): Workload[] {
  const rules = opts.quick ? [1000] : [10, 100, 1000, 10000];
  const flows = opts.quick ? [ACL_BENCH_POOL] : [ACL_BENCH_POOL, 64];
  return rules.flatMap((r) =>
    flows.map((f): Workload => ({
      name: 'acl',
      stage: 'acl',
      params: { rules: r, flows: f, cache: ACL_VERDICT_CACHE_DEFAULT, batch: 256, size: 64 },
      setup: (core: PacketCore) => setupAclWorkload(core, { rules: r, flows: f }),
    })),
  );
}

/** The bench's workloads, in the order the table lists them. */
export function allWorkloads(opts: WorkloadOptions): Workload[] {
  return [
    ...macRewriteWorkloads().filter((w) => !opts.quick || w.params.ingress === 0),
    ...vxlanWorkloads(opts),
    ...natWorkloads(opts),
    ...aclWorkloads(opts),
    ...switchWorkloads(opts),
    ...pipelineWorkloads(opts),
  ];
}
