# Tip 10: multiple NAT networks on Windows Server 2016
#
# Windows Server 2016 work-around: multiple NAT networks (seed, "Multiple NAT networks on
# WS2016 container host"; SPEC tip 10). On WS2016 any new NAT network must be a partition of
# the larger internal NAT prefix, shown by Get-NetNat as InternalIPInterfaceAddressPrefix.

host host1 --os ws2016

docker network ls
Get-NetNat
# 172.16.1.0/24 is inside 172.16.0.0/16: it works.
expect docker network create -d nat --subnet=172.16.1.0/24 --gateway=172.16.1.1 CustomNat1
# The seed's second command gives the gateway 172.16.1.1 for the subnet 172.16.2.0/24:
# a gateway outside its subnet is an IPAM error.
expect-fail docker network create -d nat --subnet=172.16.2.0/24 --gateway=172.16.1.1 CustomNat2
# With the gateway the seed's text intends (172.16.2.1), it works.
expect docker network create -d nat --subnet=172.16.2.0/24 --gateway=172.16.2.1 CustomNat2
# A prefix outside the internal prefix fails in HNS on ws2016.
expect-fail docker network create -d nat --subnet=192.168.2.0/24 --gateway=192.168.2.1 Outside
docker network ls

docker run -d --name a --network CustomNat1 microsoft/nanoserver
docker run -d --name b --network CustomNat2 microsoft/nanoserver
docker network inspect CustomNat1
