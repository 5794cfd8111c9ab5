# Service discovery per driver
#
# Service discovery (seed, "Service discovery"): only some Windows network drivers support it.
#
#               | local service discovery | global service discovery
#   nat         | yes                     | n/a
#   overlay     | yes                     | yes
#   transparent | no                      | no
#   l2bridge    | no                      | no

host h1 --ip 10.0.0.11/24 --nic "Ethernet 2" --nic "Ethernet 3"
host h2 --ip 10.0.0.12/24

# nat: local yes.
host h1
docker run -d --name nat-a microsoft/nanoserver
docker run -d --name nat-b microsoft/nanoserver
expect docker exec nat-a nslookup nat-b

# overlay: local yes, global yes.
docker swarm init --advertise-addr 10.0.0.11
host h2
docker swarm join --token SWMTKN-1-3pu6hszjas19xyp7ghgosyx9k8atbfcr8p2is99znpy26u2lkl-1awxwuwd3z9j1z3puu7rcgdbx 10.0.0.11:2377
host h1
docker network create -d overlay --attachable ov
docker run -d --name ov-a --network ov microsoft/nanoserver
docker run -d --name ov-b --network ov microsoft/nanoserver
host h2
docker run -d --name ov-c --network ov microsoft/nanoserver
host h1
expect docker exec ov-a nslookup ov-b
expect docker exec ov-a nslookup ov-c
# A swarm service: its name resolves to a virtual IP that balances over the tasks on both
# hosts; tasks.NAME lists the tasks themselves.
docker service create --name api --network ov --replicas 2 microsoft/iis
expect docker exec ov-a nslookup api
expect docker exec ov-a curl http://api/
expect docker exec ov-a nslookup tasks.api

# transparent: no.
docker network create -d transparent --subnet=10.0.0.0/24 --gateway=10.0.0.1 -o com.docker.network.windowsshim.interface="Ethernet 2" tr
docker run -d --name tr-a --network tr --ip 10.0.0.41 microsoft/nanoserver
docker run -d --name tr-b --network tr --ip 10.0.0.42 microsoft/nanoserver
expect-fail docker exec tr-a ping -n 1 tr-b

# l2bridge: no.
docker network create -d l2bridge --subnet=10.0.0.0/24 --gateway=10.0.0.1 -o com.docker.network.windowsshim.interface="Ethernet 3" l2
docker run -d --name l2-a --network l2 --ip 10.0.0.51 microsoft/nanoserver
docker run -d --name l2-b --network l2 --ip 10.0.0.52 microsoft/nanoserver
expect-fail docker exec l2-a ping -n 1 l2-b
