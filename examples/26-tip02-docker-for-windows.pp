# Tip 2: Docker for Windows uses the DockerNAT switch
#
# Tip: Moby Linux VMs use the DockerNAT switch with Docker for Windows, not the HNS internal
# vSwitch (seed, "Tips & insights"). Docker for Windows on Windows 10 connects its Moby Linux
# VM to an internal vSwitch named "DockerNAT"; Windows containers use HNS's "nat" switch.

host dev --os win10-1703 --docker-for-windows
docker network ls
# DockerNAT (Moby Linux VM) and nat (HNS, Windows containers) side by side.
expect Get-VMSwitch
expect Get-VMNetworkAdapter -VMName MobyLinuxVM
