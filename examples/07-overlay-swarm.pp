# overlay: two hosts, swarm mode, VXLAN
#
# The overlay driver (seed: "overlay ... containers attached to an overlay network can
# communicate with other containers attached to the same network across multiple container
# hosts ... The overlay network driver uses VXLAN encapsulation.").
# Needs swarm mode; IPAM is done by the swarm (its internal KVS); each overlay network gets its
# own subnet and VNI. Requires Windows Server 2016 with KB4015217 or Windows 10 Creators Update.

host manager --os ws2019 --ip 10.0.0.11/24
docker swarm init --advertise-addr 10.0.0.11

host worker --os ws2019 --ip 10.0.0.12/24
docker swarm join --token SWMTKN-1-3pu6hszjas19xyp7ghgosyx9k8atbfcr8p2is99znpy26u2lkl-1awxwuwd3z9j1z3puu7rcgdbx 10.0.0.11:2377

host manager
expect docker network create -d overlay --attachable MyOverlay
docker network ls
# The network's VNI is in its options (com.docker.network.driver.overlay.vxlanid_list).
docker network inspect MyOverlay
docker run -d --name web --network MyOverlay microsoft/iis

host worker
docker run -d --name app --network MyOverlay microsoft/nanoserver

# Across hosts: the frame is wrapped in VXLAN (UDP 4789, the network's VNI) between the hosts'
# addresses, and found by name (global service discovery).
expect docker exec app ping -n 1 web
expect docker exec app curl http://web/
Get-HnsEndpoint
