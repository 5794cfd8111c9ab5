# l2tunnel: for the Microsoft cloud stack only
#
# The l2tunnel driver (seed: "l2tunnel - this driver should only be used in a Microsoft Cloud
# Stack"). Packet Path accepts it with a warning and sends all container traffic through the
# external adapter, where the cloud's physical host would apply policy.

expect docker network create -d l2tunnel --subnet=10.0.0.0/24 --gateway=10.0.0.1 MyL2Tunnel
expect docker run -d --name a --network MyL2Tunnel --ip 10.0.0.31 microsoft/nanoserver
expect docker run -d --name b --network MyL2Tunnel --ip 10.0.0.32 microsoft/nanoserver
docker network ls
expect docker exec a ping -n 1 10.0.0.32
