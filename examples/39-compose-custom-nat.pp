# Docker Compose: a custom NAT network
#
# Docker Compose with a custom NAT network (seed, "Docker Compose"). compose/custom-nat.yml
# defines a nat network with subnet 172.16.3.0/24: on a Windows Server 2016 host that is a
# partition of the internal NAT prefix 172.16.0.0/16 (see 35-tip10-ws2016-multiple-nat.pp).

host host1 --os ws2016

expect docker compose -f compose/custom-nat.yml up
docker network ls
docker network inspect app_default
docker ps
