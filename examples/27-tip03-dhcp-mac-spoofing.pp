# Tip 3: DHCP on a virtual container host needs MAC spoofing
#
# Tip: to use DHCP for IP assignment on a virtual container host, enable MACAddressSpoofing
# (seed, "Tips & insights"). A container host that is itself a VM sends frames from several
# MACs (one per container); without MAC spoofing the Hyper-V host blocks them, so DHCP fails.

host ContainerHostVM --virtualized --mac-spoofing off
lan dhcp 10.0.0.100-10.0.0.200
client laptop --ip 10.0.0.50

docker network create -d transparent MyDhcpNet
docker run -d --name web --network MyDhcpNet microsoft/iis
# Symptom: no lease (an APIPA 169.254.x.x address), the container is unreachable.
docker exec web ipconfig
expect-fail client laptop ping 10.0.0.100

# Fix:
expect Get-VMNetworkAdapter -VMName ContainerHostVM | Set-VMNetworkAdapter -MacAddressSpoofing On
docker exec web ipconfig
expect client laptop ping 10.0.0.100
