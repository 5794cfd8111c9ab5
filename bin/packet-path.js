#!/usr/bin/env node
// The `packet-path` command: see `packet-path --help`.
import { main } from '../dist/src/cli/main.js';

main(process.argv.slice(2)).then(
  // exitCode, not exit(): a large --json document into a slow pipe must be written out first.
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(err instanceof Error ? err.stack : err);
    process.exit(2);
  },
);
