# tracert and ping -i: who answers an expired TTL
#
# tracert sends echo requests with TTL 1, 2, 3, ... (three per hop); every station that forwards
# and drops a packet whose TTL ran out answers with ICMP Time Exceeded from the interface the
# packet came in on. A Windows host routes for its nat containers, so from a container the host's
# vEthernet (nat) address is the first hop. On l2bridge or transparent networks the container's
# packets reach the LAN router directly: the router is the first hop.

host h --os ws2019
client laptop --ip 10.0.0.50
client bing --ip 204.79.197.200 --internet
docker run -d --name web mcr.microsoft.com/windows/servercore/iis

# From the host: the LAN client is on-link (one hop).
expect tracert -d laptop

# From a nat container: the host forwards (hop 1), then the LAN client.
expect docker exec web tracert -d 10.0.0.50

# ping -i 1 stops at the first station that decrements the TTL: here the host. No echo reply
# comes back, so the line counts as failed.
expect-fail docker exec web ping -i 1 -n 2 10.0.0.50

# Past the host, WinNAT translates echo requests and replies only: the router's Time Exceeded
# stops at the host, so hop 2 times out.
expect-fail docker exec web tracert -d -h 3 bing

# From the host itself the router answers (hop 1). The internet's ten routers are not simulated
# and send nothing: ten "Request timed out." lines, then the target at hop 12.
expect tracert bing
expect-fail ping -i 1 -n 1 bing
