// Stage mac-rewrite: not yet written.
