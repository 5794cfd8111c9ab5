// The pipeline: runs a program (a list of stage steps) over one batch. Per-port stage order is the
// caller's program; each stage only touches packets whose disposition is NEXT_CONTINUE.
// A program is u32 triples: stage id, arg0, arg1 (the stage's table id / direction / port).
// A guard step (stages/guard.ts) parks the packets that fail it for its next k steps; the loop wakes
// them up again, so no packet is parked when a program returns.
// Every stage returns the batch size after it ran: the same n, or more when the switch replicated a
// flooded frame into free slots [n, ring size). The layer stages are dispatched by layers.ts.
import { STAGE_GUARD, STAGE_UFT } from './abi';
import { stage_guard, unparkDue, parkReset, parkWake, NO_WAKE } from './stages/guard';
import { setTraceStep } from './trace';
import { stage_uft } from './stages/uft';
import { runLayer } from './layers';

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
    else if (stage == <u32>STAGE_UFT) n = stage_uft(n, load<u32>(p, 4), load<u32>(p, 8));
    else n = runLayer(n, stage, load<u32>(p, 4), load<u32>(p, 8));
  }
  if (parkWake != NO_WAKE) unparkDue(n, NO_WAKE);
  return n;
}
