# Bind a network to an adapter (interface)
#
# Bind a network to a specific adapter (seed: "Bind a network to a specific network
# interface ... applies to all network drivers except nat"). The value is the adapter's
# *name*, as Get-NetAdapter shows it.

host host1 --nic "Ethernet" --ip 10.0.0.10/24 --nic "Ethernet 2"

Get-NetAdapter
expect docker network create -d transparent -o com.docker.network.windowsshim.interface="Ethernet 2" TransparentNet2
Get-VMSwitch
# The host's own address stays on "Ethernet", untouched.
Get-NetAdapter
# An adapter name that does not exist is an HNS error.
expect-fail docker network create -d transparent -o com.docker.network.windowsshim.interface="Ethernet 9" TransparentNet9
