# IPAM: where each driver's addresses come from
#
# IPAM (seed, "Network topologies and IPAM"): each driver gets its addresses from a
# different place. HNS allocates for nat; the swarm (its internal KVS) for overlay; every
# other driver uses external IPAM: static addresses from --subnet, or the LAN's DHCP server.

host h1 --ip 10.0.0.11/24 --nic "Ethernet 2" --nic "Ethernet 3"
lan dhcp 10.0.0.100-10.0.0.200

# nat: HNS picks an address in the network's prefix.
docker run -d --name n1 microsoft/nanoserver
# overlay: the swarm allocates from the overlay network's subnet.
docker swarm init --advertise-addr 10.0.0.11
docker network create -d overlay --attachable ov
docker run -d --name o1 --network ov microsoft/nanoserver
# transparent: the LAN's DHCP server.
docker network create -d transparent -o com.docker.network.windowsshim.interface="Ethernet 2" tr
docker run -d --name t1 --network tr microsoft/nanoserver
# l2bridge: static, from the subnet given at creation.
docker network create -d l2bridge --subnet=10.0.0.0/24 --gateway=10.0.0.1 -o com.docker.network.windowsshim.interface="Ethernet 3" l2
docker run -d --name b1 --network l2 --ip 10.0.0.51 microsoft/nanoserver

docker network inspect nat
docker network inspect ov
Get-HnsEndpoint
# Each one is reachable where its addresses come from.
expect docker exec n1 ping -n 1 10.0.0.1
expect docker exec t1 ping -n 1 10.0.0.1
expect docker exec b1 ping -n 1 10.0.0.1
