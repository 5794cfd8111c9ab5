/** The failure of one command line: becomes an error diagnostic, the line yields no command. */
import type { Span } from './ast.js';

export class ParseFailure extends Error {
  constructor(
    readonly span: Span,
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}
