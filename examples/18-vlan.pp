# VLAN ID of a network
#
# VLAN ID of a network (seed: "Set the VLAN ID for a network ... applies to transparent and
# l2bridge"). Every endpoint of the network is isolated in that VLAN: its frames carry an
# 802.1Q tag with the VID on the wire. The host adapter must be in trunk mode.

host host1 --ip 10.0.0.10/24 --nic "Ethernet 2"
host other --ip 10.0.0.11/24 --nic "Ethernet 2"

host host1
expect docker network create -d transparent --subnet=10.0.11.0/24 --gateway=10.0.11.1 -o com.docker.network.windowsshim.vlanid=11 -o com.docker.network.windowsshim.interface="Ethernet 2" MyTransparentNetwork
docker run -d --name a --network MyTransparentNetwork --ip 10.0.11.21 microsoft/nanoserver

host other
expect docker network create -d transparent --subnet=10.0.11.0/24 --gateway=10.0.11.1 -o com.docker.network.windowsshim.vlanid=11 -o com.docker.network.windowsshim.interface="Ethernet 2" Vlan11
expect docker network create -d transparent --subnet=10.0.12.0/24 --gateway=10.0.12.1 -o com.docker.network.windowsshim.vlanid=12 Vlan12
docker run -d --name b --network Vlan11 --ip 10.0.11.22 microsoft/nanoserver
docker run -d --name c --network Vlan12 --ip 10.0.12.23 microsoft/nanoserver

# Same VLAN on two hosts: the tagged frame crosses the trunk.
host host1
expect docker exec a ping -n 1 10.0.11.22
# Another VLAN is not reachable at layer 2.
expect-fail docker exec a ping -n 1 10.0.12.23
