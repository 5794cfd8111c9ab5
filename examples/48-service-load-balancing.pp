# Swarm services carrying traffic: VIP load balancing, DNS round robin, host-mode ports
#
# From Windows Server 1709 (build 16299) Docker programs each service VIP as a VFP load balancer
# over every running task (moby v20.10.24, libnetwork service_windows.go: one ILB policy list per
# VIP, builds above 16236). New connections to the VIP are spread over the tasks; Packet Path
# picks a task by a hash of the connection's 5-tuple and the run's seed (VFP's own distribution
# is not documented). A connection keeps its task.

host n1 --os ws2019 --ip 10.0.0.11/24
docker swarm init --advertise-addr 10.0.0.11
host n2 --os ws2019 --ip 10.0.0.12/24
docker swarm join --token SWMTKN-1-3pu6hszjas19xyp7ghgosyx9k8atbfcr8p2is99znpy26u2lkl-1awxwuwd3z9j1z3puu7rcgdbx 10.0.0.11:2377

host n1
docker network create -d overlay --attachable ov
docker service create --name web --network ov --replicas 3 microsoft/iis
docker service ps web
docker run -d --name cli --network ov microsoft/nanoserver
# The name resolves to the VIP; each new connection may reach another task.
expect docker exec cli nslookup web
expect docker exec cli curl http://web/
expect docker exec cli curl http://web/
expect docker exec cli curl http://web/

# --endpoint-mode dnsrr: no VIP; the embedded DNS answers every task address, shuffled on each
# query (libnetwork resolver.go shuffleAddr), and the client connects to the first.
docker service create --name rr --network ov --replicas 2 --endpoint-mode dnsrr microsoft/iis
expect docker exec cli nslookup rr
expect docker exec cli nslookup rr
expect docker exec cli curl http://rr/

# Host-mode publishing: the port opens on the address of each node that runs a task (an HNS
# port mapping policy on the task's overlay endpoint, ov_endpoint_windows.go, builds above 16236).
docker service create --name hm --network ov --mode global --publish mode=host,target=80,published=8080 microsoft/iis
client laptop --ip 10.0.0.50/24
expect client laptop curl http://10.0.0.11:8080/
expect client laptop curl http://10.0.0.12:8080/
