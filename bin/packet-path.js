#!/usr/bin/env node
// The `packet-path` command: see `packet-path --help`.
import { main } from '../dist/src/cli/main.js';

main(process.argv.slice(2)).then(
  // exitCode, not exit(): a large --json document into a slow pipe must be written out first.
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    // A failure of Packet Path itself: one line for the user, the stack with PACKET_PATH_DEBUG=1.
    const detail = process.env.PACKET_PATH_DEBUG ? (err instanceof Error ? err.stack : String(err)) : (err instanceof Error ? err.message : String(err));
    console.error(`packet-path: internal error, please report it: ${detail}`);
    process.exit(2);
  },
);
