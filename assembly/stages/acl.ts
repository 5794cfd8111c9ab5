// Stage acl: not yet written.
