# The swarm routing mesh: one published port on every node
#
# From Windows Server 1709 a service's published port (ingress mode, the default) answers on every
# node of the swarm, even a node that runs no task of the service (Microsoft, "Docker's routing mesh
# available with Windows Server version 1709", 2017-09-26). Docker programs an ELB policy on each
# node (moby v20.10.24, libnetwork service_windows.go): the published port of the node's address
# goes to a task on the ingress network, with the node's ingress-endpoint as the source, so the
# answer comes back through the node the client used. New connections are spread over the tasks.

host n1 --os ws2019 --ip 10.0.0.11/24
docker swarm init --advertise-addr 10.0.0.11
host n2 --os ws2019 --ip 10.0.0.12/24
docker swarm join --token SWMTKN-1-3pu6hszjas19xyp7ghgosyx9k8atbfcr8p2is99znpy26u2lkl-1awxwuwd3z9j1z3puu7rcgdbx 10.0.0.11:2377
host n3 --os ws2019 --ip 10.0.0.13/24
docker swarm join --token SWMTKN-1-3pu6hszjas19xyp7ghgosyx9k8atbfcr8p2is99znpy26u2lkl-1awxwuwd3z9j1z3puu7rcgdbx 10.0.0.11:2377

host n1
docker service create --name web --replicas 2 -p 8080:80 microsoft/iis
docker service ls
# Two tasks on three nodes: one node has none.
docker service ps web
# Every node now holds the ingress network (its ingress-endpoint address is the mesh's source).
docker network inspect ingress

client laptop --ip 10.0.0.50/24
expect client laptop curl http://10.0.0.11:8080/
expect client laptop curl http://10.0.0.12:8080/
expect client laptop curl http://10.0.0.13:8080/

# Another node, and the node itself on its own address.
host n2
expect curl http://10.0.0.13:8080/
host n3
expect curl http://10.0.0.13:8080/
