# Tip 7: one adapter per external-vSwitch network
#
# Tip: networks that use an external vSwitch must each have their own network adapter (seed,
# "Tips & insights"): transparent, l2bridge and l2tunnel networks on one host cannot share one.

host host1 --nic "Ethernet" --ip 10.0.0.10/24 --nic "Ethernet 2"

expect docker network create -d transparent -o com.docker.network.windowsshim.interface="Ethernet 2" MyTransparent
# Symptom: an l2bridge network on the same adapter fails.
expect-fail docker network create -d l2bridge --subnet=10.0.0.0/24 --gateway=10.0.0.1 -o com.docker.network.windowsshim.interface="Ethernet 2" MyL2Bridge
# Fix: give it its own adapter.
expect docker network create -d l2bridge --subnet=10.0.0.0/24 --gateway=10.0.0.1 -o com.docker.network.windowsshim.interface="Ethernet" MyL2Bridge
Get-VMSwitch
