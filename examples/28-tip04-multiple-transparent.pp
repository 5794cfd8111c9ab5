# Tip 4: several transparent networks on one host
#
# Tip: creating multiple transparent networks on a single container host (seed, "Tips &
# insights"). Each transparent network gets its own external vSwitch, and each external
# vSwitch needs its own adapter: say which one with the interface option.
#   General syntax: -o com.docker.network.windowsshim.interface=<INTERFACE NAME>

host host1 --nic "Ethernet" --ip 10.0.0.10/24 --nic "Ethernet 2" --nic "Ethernet 3"

expect docker network create -d transparent -o com.docker.network.windowsshim.interface="Ethernet 2" myTransparent1
# Symptom: a second network on an adapter that already has a vSwitch fails.
expect-fail docker network create -d transparent -o com.docker.network.windowsshim.interface="Ethernet 2" myTransparent2
# Fix: bind it to another adapter.
expect docker network create -d transparent -o com.docker.network.windowsshim.interface="Ethernet 3" myTransparent2
Get-VMSwitch
docker network ls
