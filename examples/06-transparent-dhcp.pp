# transparent: addresses from the LAN's DHCP server
#
# The transparent driver with DHCP (seed: "IPs can be assigned statically ... or dynamically
# using an external DHCP server"). Without --subnet, the container asks the LAN's DHCP server.
# IPAM for transparent is external to Docker.

lan dhcp 10.0.0.100-10.0.0.200
client laptop --ip 10.0.0.50

expect docker network create -d transparent MyDhcpNet
expect docker run -d --name web --network MyDhcpNet microsoft/iis
docker exec web ipconfig
docker network inspect MyDhcpNet

# The lease comes from the LAN: the container is reachable there, no NAT.
expect client laptop ping 10.0.0.100
