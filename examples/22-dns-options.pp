# DNS suffix and DNS servers of a network
#
# DNS suffix and DNS servers of a network (seed: "Specify the DNS Suffix and/or the DNS
# Servers of a Network ... applies to all network drivers"). They appear in the containers'
# ipconfig /all, and nslookup asks those servers.

host host1 --ip 10.0.0.10/24 --gateway 10.0.0.1
client files --ip 10.0.0.60

expect docker network create -d transparent --subnet=10.0.0.0/24 --gateway=10.0.0.1 -o com.docker.network.windowsshim.dnssuffix=abc.com -o com.docker.network.windowsshim.dnsservers=10.0.0.1,8.8.8.8 MyTransparentNetwork
docker run -d --name web --network MyTransparentNetwork --ip 10.0.0.105 microsoft/iis
docker exec web ipconfig /all
# The first DNS server (the LAN's) answers for a LAN machine.
expect docker exec web nslookup files
