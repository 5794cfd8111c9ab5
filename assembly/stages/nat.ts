// Stage nat: not yet written.
