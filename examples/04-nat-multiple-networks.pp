# nat: several NAT networks on one host (Creators Update)
#
# Several NAT networks on one host (seed: "Windows 10 Creators Update now supports multiple
# NAT networks!"). From win10-1703 on, each `docker network create -d nat --subnet ...` gets
# its own internal vSwitch, host vNIC and WinNAT prefix. IPAM for nat is done by HNS.

host dev --os win10-1703

docker network create -d nat --subnet=192.168.10.0/24 --gateway=192.168.10.1 frontend
docker network create -d nat --subnet=192.168.20.0/24 --gateway=192.168.20.1 backend
docker network ls
Get-NetNat

docker run -d --name web --network frontend microsoft/iis
docker run -d --name api --network backend microsoft/iis

# Name resolution is per network: a container on another nat network is not found.
expect docker exec web nslookup web
expect-fail docker exec web ping -n 1 api
