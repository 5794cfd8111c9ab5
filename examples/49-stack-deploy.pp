# docker stack deploy: a compose v3 file as swarm services
#
# `docker stack deploy -c FILE STACK` (docker/cli 20.10) creates the stack's overlay networks
# (STACK_NET) and services (STACK_SVC, labelled com.docker.stack.namespace), each reachable on
# the stack's networks by its short name. The deploy keys that matter for networking:
# replicas, mode: global, endpoint_mode (vip | dnsrr), and ports with mode: host | ingress.

host n1 --os ws2019 --ip 10.0.0.11/24
docker swarm init --advertise-addr 10.0.0.11
host n2 --os ws2019 --ip 10.0.0.12/24
docker swarm join --token SWMTKN-1-3pu6hszjas19xyp7ghgosyx9k8atbfcr8p2is99znpy26u2lkl-1awxwuwd3z9j1z3puu7rcgdbx 10.0.0.11:2377

host n1
expect docker stack deploy -c compose/stack-web.yml shop
docker stack ls
docker stack ps shop
docker service ls

# Inside the stack's network: `web` is a VIP, `api` (dnsrr) answers its two task addresses.
docker run -d --name probe --network shop_front microsoft/nanoserver
expect docker exec probe nslookup web
expect docker exec probe nslookup api
expect docker exec probe curl http://web/

# From the LAN: the ingress port on both nodes; the host-mode port only where its task runs.
client laptop --ip 10.0.0.50/24
expect client laptop curl http://10.0.0.11:8080/
expect client laptop curl http://10.0.0.12:8080/
expect client laptop curl http://10.0.0.11:9090/
expect-fail client laptop curl http://10.0.0.12:9090/

docker rm -f probe
expect docker stack rm shop
docker stack ls
