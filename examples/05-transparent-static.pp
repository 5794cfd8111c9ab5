# transparent: static addresses on the physical network
#
# The transparent driver with static addresses (seed: "transparent", and the tip "Remember to
# specify --subnet and --gateway when using static IP assignment").
# Containers on a transparent network sit directly on the physical network: their own MAC and
# IP are seen on the wire, and no NAT is involved. The subnet and gateway are those of the
# physical network.

host host1 --ip 10.0.0.10/24 --gateway 10.0.0.1
client laptop --ip 10.0.0.50

expect docker network create -d transparent --subnet=10.0.0.0/24 --gateway=10.0.0.1 MyTransparentNet
expect docker run -d --name web --network=MyTransparentNet --ip=10.0.0.105 microsoft/iis
Get-VMSwitch

# A LAN machine reaches the container at its own address: bridged, no translation.
expect client laptop ping 10.0.0.105
expect client laptop curl http://10.0.0.105/
expect docker exec web ping -n 1 10.0.0.50
