// The pipeline: runs a program (a list of stage steps) over one batch. Per-port stage order is the
// caller's program; each stage only touches packets whose disposition is NEXT_CONTINUE.
// A program is u32 triples: stage id, arg0, arg1 (the stage's table id / direction / port).
// Every stage returns the batch size after it ran: the same n, or more when the switch replicated a
// flooded frame into free slots [n, ring size).

/** Called by the engine (bench and sim) once per batch. Returns the final batch size. */
export function pipeline_run(n: i32, program: usize, steps: i32): i32 {
  for (let s = 0; s < steps; s++) {
    const p = program + <usize>(s * 12);
    n = runStage(n, load<u32>(p, 0), load<u32>(p, 4), load<u32>(p, 8));
  }
  return n;
}

function runStage(n: i32, stage: u32, a0: u32, a1: u32): i32 {
  // Each stage adds its case here: case STAGE_X: return stage_x(n, a0, a1);
  switch (stage) {
    default:
      abort('unknown stage id');
  }
  return n;
}
