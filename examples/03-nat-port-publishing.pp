# nat: publishing a port (-p) through WinNAT
#
# Port forwarding on a nat network (seed: "nat ... Supports port forwarding/mapping from the
# container host to the container endpoint").
# `docker run -p HOST:CONTAINER` makes a WinNAT static mapping (and a firewall allow rule), so
# a machine on the LAN reaches the container through the host's address.

client laptop --ip 10.0.0.50

docker run -d --name web -p 8080:80 microsoft/iis
Get-NetNatStaticMapping
docker ps

# From the LAN: DNAT 10.0.0.10:8080 -> container:80, and the reply translated back.
expect client laptop curl http://10.0.0.10:8080/

# A port that was not published is not reachable from outside.
expect-fail client laptop curl http://10.0.0.10:8081/

# Windows' NAT takes one host port per mapping and no host IP.
expect-fail docker run -d --name web2 -p 8000-8001:80 microsoft/iis
expect-fail docker run -d --name web3 -p 10.0.0.10:8082:80 microsoft/iis
