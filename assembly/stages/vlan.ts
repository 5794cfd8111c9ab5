// Stage vlan: not yet written.
