# Tip 9, fix 1: remove the out-of-band vSwitch
#
# Tip 9, first fix (seed, "Tips & insights"): remove the vSwitch created out of band, so that
# Docker can create its own and bind it to the adapter.

host host1 --nic "Ethernet" --ip 10.0.0.10/24 --nic "Ethernet 2"

docker network ls
New-VMSwitch -Name OutOfBand -NetAdapterName "Ethernet 2"
expect-fail docker network create -d transparent -o com.docker.network.windowsshim.interface="Ethernet 2" MyTransparent
expect Remove-VMSwitch -Name OutOfBand -Force
expect docker network create -d transparent -o com.docker.network.windowsshim.interface="Ethernet 2" MyTransparent
Get-VMSwitch
