# Tip 6: l2bridge supports static IPs only
#
# Tip: DHCP IP assignment is not supported with L2Bridge networks (seed, "Tips & insights").
# l2bridge only supports static IP assignment: create the network with --subnet and --gateway.

host host1 --nic "Ethernet" --ip 10.0.0.10/24 --nic "Ethernet 2"
lan dhcp 10.0.0.100-10.0.0.200

# Symptom: without a subnet there is no DHCP to fall back on; the endpoint cannot be created.
expect docker network create -d l2bridge -o com.docker.network.windowsshim.interface="Ethernet 2" NoSubnet
expect-fail docker run -d --name web --network NoSubnet microsoft/iis
# The failed start leaves web Created: remove it to use its name again.
expect docker rm web
expect docker network rm NoSubnet

# Fix: a subnet and gateway (the host's), then HNS assigns static addresses from it.
expect docker network create -d l2bridge --subnet=10.0.0.0/24 --gateway=10.0.0.1 -o com.docker.network.windowsshim.interface="Ethernet 2" MyL2Bridge
expect docker run -d --name web --network MyL2Bridge microsoft/iis
expect docker run -d --name api --network MyL2Bridge --ip 10.0.0.22 microsoft/iis
docker network inspect MyL2Bridge
