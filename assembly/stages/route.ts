// Stage route: not yet written.
