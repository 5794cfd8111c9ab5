# Unsupported: overlay encryption (--opt encrypted)
#
# Unsupported on Windows: data-plane encryption of overlay networks (seed, "Unsupported
# features and network options": "--opt encrypted" is not supported in Docker swarm mode).
# The network is created, but its VXLAN traffic is not encrypted: a warning says so.

host manager --ip 10.0.0.11/24
docker swarm init --advertise-addr 10.0.0.11
expect docker network create -d overlay --opt encrypted --attachable Secret
docker network inspect Secret
