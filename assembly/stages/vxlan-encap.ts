// Stage vxlan-encap: not yet written.
