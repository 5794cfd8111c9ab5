/**
 * The failure of one command line: becomes an error diagnostic, the line yields no command.
 * Not an `Error`: no stack trace is captured, because bad lines are ordinary input (every
 * keystroke in the editor reparses) and capturing stacks dominated the parse time.
 */
import type { Span } from './ast.js';

export class ParseFailure {
  constructor(
    readonly span: Span,
    readonly message: string,
    readonly code: string,
  ) {}
}
