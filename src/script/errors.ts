/**
 * The failure of one command line: becomes an error diagnostic, the line yields no command (it runs
 * as a failed step, see `RejectedLine` in ast.ts).
 * Not an `Error`: no stack trace is captured, because bad lines are ordinary input (every
 * keystroke in the editor reparses) and capturing stacks dominated the parse time.
 */
import type { Span } from './ast.js';

export class ParseFailure {
  constructor(
    readonly span: Span,
    readonly message: string,
    readonly code: string,
    /** What the real tool prints for this line, when it says more than `message` (docker's
     *  `See 'docker run --help'.` and usage lines); the run shows it as the step's error. */
    readonly printed?: string,
  ) {}
}
