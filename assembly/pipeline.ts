// The pipeline: runs a program (a list of stage steps) over one batch. Per-port stage order is the
// caller's program; each stage only touches packets whose disposition is NEXT_CONTINUE.
// A program is u32 triples: stage id, arg0, arg1 (the stage's table id / direction / port).
// A guard step (stages/guard.ts) parks the packets that fail it for its next k steps; the loop wakes
// them up again, so no packet is parked when a program returns.
// Every stage returns the batch size after it ran: the same n, or more when the switch replicated a
// flooded frame into free slots [n, ring size).
import { STAGE_VXLAN_ENCAP, STAGE_VXLAN_DECAP } from './abi';
import { stage_vxlan_encap } from './stages/vxlan-encap';
import { stage_vxlan_decap } from './stages/vxlan-decap';

import { STAGE_ACL } from './abi';
import { stage_acl } from './stages/acl';

import { STAGE_PARSE, STAGE_VLAN_IN, STAGE_VLAN_OUT, STAGE_MAC_REWRITE, STAGE_SWITCH, STAGE_ROUTE } from './abi';
import { stage_parse } from './stages/parse';
import { stage_vlan_in, stage_vlan_out } from './stages/vlan';
import { stage_mac_rewrite } from './stages/mac-rewrite';
import { stage_switch } from './stages/switch';
import { stage_route } from './stages/route';

import { STAGE_NAT } from './abi';
import { stage_nat } from './stages/nat';

import { STAGE_GUARD } from './abi';
import { stage_guard, unparkDue, parkReset, parkWake, NO_WAKE } from './stages/guard';
import { setTraceStep } from './trace';
import { STAGE_UFT } from './abi';
import { stage_uft } from './stages/uft';

/** Called by the engine (bench and sim) once per batch. Returns the final batch size. */
export function pipeline_run(n: i32, program: usize, steps: i32): i32 {
  parkReset();
  for (let s = 0; s < steps; s++) {
    // Packets a guard parked wake up once the steps it made them skip have run.
    if (<u32>s >= parkWake) unparkDue(n, <u32>s);
    const p = program + <usize>(s * 12);
    const stage = load<u32>(p, 0);
    setTraceStep(s);
    if (stage == <u32>STAGE_GUARD) n = stage_guard(n, load<u32>(p, 4), load<u32>(p, 8), s);
    else n = runStage(n, stage, load<u32>(p, 4), load<u32>(p, 8));
  }
  if (parkWake != NO_WAKE) unparkDue(n, NO_WAKE);
  return n;
}

/** One step of a program; also the UFT's walk of the layers (assembly/stages/uft.ts). */
export function runStage(n: i32, stage: u32, a0: u32, a1: u32): i32 {
  // Each stage adds its case here: case STAGE_X: return stage_x(n, a0, a1);
  switch (stage) {
    case <u32>STAGE_VXLAN_ENCAP:
      return stage_vxlan_encap(n, a0, a1);
    case <u32>STAGE_VXLAN_DECAP:
      return stage_vxlan_decap(n, a0, a1);
    case <u32>STAGE_ACL:
      return stage_acl(n, a0, a1);
    case <u32>STAGE_PARSE:
      return stage_parse(n, a0, a1);
    case <u32>STAGE_VLAN_IN:
      return stage_vlan_in(n, a0, a1);
    case <u32>STAGE_VLAN_OUT:
      return stage_vlan_out(n, a0, a1);
    case <u32>STAGE_MAC_REWRITE:
      return stage_mac_rewrite(n, a0, a1);
    case <u32>STAGE_SWITCH:
      return stage_switch(n, a0, a1);
    case <u32>STAGE_ROUTE:
      return stage_route(n, a0, a1);
    case <u32>STAGE_NAT:
      return stage_nat(n, a0, a1);
    case <u32>STAGE_UFT:
      return stage_uft(n, a0, a1);
    default:
      abort('unknown stage id');
  }
  return n;
}
