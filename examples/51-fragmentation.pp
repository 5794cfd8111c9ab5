# IPv4 fragmentation
#
# Windows' ping sends -l bytes of data (0 to 65500; "Bad value for option -l, valid range is
# from 0 to 65500." otherwise) and sets no Don't Fragment flag unless -f is given. A datagram
# larger than the MTU of the interface it leaves by is cut into IPv4 fragments (RFC 791): 1480
# bytes of data each at MTU 1500, the same IP identification on all, MF on all but the last; the
# first carries the ICMP header. The receiver reassembles the whole echo request and answers with
# the whole echo reply, fragmented the same way. `--trace` lists every fragment as a packet.

client bing --ip 204.79.197.200 --internet

# The default nat network: WinNAT translates the first fragment by its echo identifier and the
# later fragments of the same datagram (no ICMP header) by the session the first one used.
docker run -d --name web microsoft/iis
expect docker exec web ping -n 1 -l 65500 bing

# The largest echo that fits one 1500-byte packet is 1472 bytes (1500 - 20 IPv4 - 8 ICMP).
expect docker exec web ping -n 1 -f -l 1472 bing
# One byte more with Don't Fragment: the container's stack refuses to send it.
expect-fail docker exec web ping -n 2 -f -l 1473 bing
# ping's range.
expect-fail ping -l 65501 bing

# Overlay: HNS gives the container's vNIC an MTU of 1450 (EncapOverhead 50), so the VXLAN packet
# of a full-size inner frame still fits the 1500-byte underlay. A container fragments at 1450.
host manager --os ws2019 --ip 10.0.0.11/24
docker swarm init --advertise-addr 10.0.0.11
host worker --os ws2019 --ip 10.0.0.12/24
docker swarm join --token SWMTKN-1-3pu6hszjas19xyp7ghgosyx9k8atbfcr8p2is99znpy26u2lkl-1awxwuwd3z9j1z3puu7rcgdbx 10.0.0.11:2377
host manager
docker network create -d overlay --attachable MyOverlay
docker run -d --name api --network MyOverlay microsoft/nanoserver
host worker
docker run -d --name app --network MyOverlay microsoft/nanoserver
expect docker exec app ping -n 1 -l 4000 api
# 1422 bytes + 28 fit the 1450-byte vNIC with -f; 1423 do not.
expect docker exec app ping -n 1 -f -l 1422 api
expect-fail docker exec app ping -n 1 -f -l 1423 api
