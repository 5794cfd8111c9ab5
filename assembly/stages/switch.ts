// Stage switch: not yet written.
