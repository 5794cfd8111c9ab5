# VLAN tags need a trunk port
#
# VLAN tags need a trunk port (seed: "Make sure that your host network adapter (physical) is
# in trunk mode"). A host NIC not in trunk mode drops the tagged traffic of a VLAN network.

host host1 --ip 10.0.0.10/24 --nic "Ethernet 2" --no-trunk
host other --ip 10.0.0.11/24 --nic "Ethernet 2"

host host1
docker network create -d transparent --subnet=10.0.11.0/24 --gateway=10.0.11.1 -o com.docker.network.windowsshim.vlanid=11 -o com.docker.network.windowsshim.interface="Ethernet 2" Vlan11
docker run -d --name a --network Vlan11 --ip 10.0.11.21 microsoft/nanoserver

host other
docker network create -d transparent --subnet=10.0.11.0/24 --gateway=10.0.11.1 -o com.docker.network.windowsshim.vlanid=11 -o com.docker.network.windowsshim.interface="Ethernet 2" Vlan11
docker run -d --name b --network Vlan11 --ip 10.0.11.22 microsoft/nanoserver

host host1
expect-fail docker exec a ping -n 1 10.0.11.22
