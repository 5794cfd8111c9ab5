# l2bridge: outbound NAT
#
# l2bridge with outbound NAT (SPEC §3: "source NAT only with
# -o com.docker.network.windowsshim.enable_outboundnat=true"). HNS adds an OutBoundNAT policy
# to every endpoint: traffic leaving for other subnets is translated to the host's address,
# except for the destinations listed in outboundnat_exceptions.

host host1 --ip 10.0.0.10/24 --gateway 10.0.0.1
client bing --ip 204.79.197.200 --internet

expect docker network create -d l2bridge --subnet=10.0.0.0/24 --gateway=10.0.0.1 -o com.docker.network.windowsshim.enable_outboundnat=true -o com.docker.network.windowsshim.outboundnat_exceptions=10.0.0.0/24 MyL2Bridge
docker run -d --name web --network MyL2Bridge --ip 10.0.0.21 microsoft/iis
Get-HnsEndpoint
expect docker exec web curl http://bing/
