# overlay: reaching the outside on Windows Server 2019
#
# Overlay containers reaching outside the overlay (SPEC §3, overlay "to/from outside"):
# on Windows Server 2016 through a second endpoint on the host's nat network; from Windows
# Server 2019 through a VFP outbound NAT rule on the overlay endpoint, where ICMP to outside
# does not work (ping fails, TCP works).

host manager --os ws2019 --ip 10.0.0.11/24
client bing --ip 204.79.197.200 --internet
docker swarm init --advertise-addr 10.0.0.11
docker network create -d overlay --attachable ov
docker run -d --name web --network ov microsoft/iis
Get-HnsEndpoint
expect docker exec web curl http://204.79.197.200/
expect-fail docker exec web ping -n 1 204.79.197.200
