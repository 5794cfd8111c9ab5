# Docker Compose: nat as the default network
#
# Docker Compose (seed, "Docker Compose"). The top-level "networks" key of a Compose file
# defines the networks its services use. Here compose/default-nat.yml makes the
# pre-existing "nat" network the default network of all its services:
#   networks:
#    default:
#     external:
#      name: "nat"

expect docker compose -f compose/default-nat.yml up
docker ps
docker network ls
# Both services are on nat and find each other by service name.
expect docker exec app-web-1 ping -n 1 db
