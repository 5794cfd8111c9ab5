// The pipeline: runs a program (a list of stage steps) over one batch. Per-port stage order is the
// caller's program; each stage only touches packets whose disposition is NEXT_CONTINUE.
// A program is u32 triples: stage id, arg0, arg1 (the stage's table id / direction / port).

/** Called by the engine (bench and sim) once per batch. */
export function pipeline_run(n: i32, program: usize, steps: i32): void {
  for (let s = 0; s < steps; s++) {
    const p = program + <usize>(s * 12);
    const stage = load<u32>(p, 0);
    const a0 = load<u32>(p, 4);
    const a1 = load<u32>(p, 8);
    runStage(n, stage, a0, a1);
  }
}

function runStage(n: i32, stage: u32, a0: u32, a1: u32): void {
  // Each stage adds its case here: case STAGE_X: stage_x(n, a0, a1); break;
  switch (stage) {
    default:
      abort('unknown stage id');
  }
}
