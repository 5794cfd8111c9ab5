# overlay: reaching the outside on Windows Server 2016
#
# Overlay on Windows Server 2016 (SPEC §3, overlay "to/from outside"; seed: overlay needs
# WS2016 with KB4015217). The container gets a second endpoint on the host's nat network,
# which carries its traffic to the outside through WinNAT.

host old --os ws2016 --ip 10.0.0.11/24
client bing --ip 204.79.197.200 --internet
docker swarm init --advertise-addr 10.0.0.11
docker network create -d overlay --attachable ov
docker run -d --name web --network ov microsoft/iis
docker exec web ipconfig
expect docker exec web curl http://204.79.197.200/

# Without KB4015217, WS2016 has neither overlay nor l2bridge.
host bare --os ws2016 --no-kb4015217 --ip 10.0.0.12/24
expect-fail docker network create -d l2bridge --subnet=10.0.0.0/24 --gateway=10.0.0.1 MyL2Bridge
