// Stage parse: not yet written.
