// Stage vxlan-decap: not yet written.
