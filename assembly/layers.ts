// The layer stages by id: what a program step or the unified flow table's walk of a port's layers
// runs (assembly/pipeline.ts, assembly/stages/uft.ts). The guard and the UFT themselves are the
// pipeline's, so this file imports neither.
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

/** Runs one layer stage over the batch: a step of a program, or of the UFT's walk of a port's layers. */
export function runLayer(n: i32, stage: u32, a0: u32, a1: u32): i32 {
  // Each layer stage adds its case here: case STAGE_X: return stage_x(n, a0, a1);
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
    default:
      abort('unknown stage id');
  }
  return n;
}
