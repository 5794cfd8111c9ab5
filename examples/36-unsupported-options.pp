# Unsupported options on Windows
#
# Unsupported features and network options (seed, "Unsupported features and network
# options"). Where Docker on Windows refuses an option, nothing is created; where it silently
# ignores one, Packet Path warns that it has no effect on Windows.

# docker run: container links (--link) - rely on service discovery instead.
docker run -d --name db microsoft/nanoserver
docker run -d --name web --link db microsoft/iis
# docker run: IPv6 addresses (--ip6) are refused.
expect-fail docker run -d --name v6 --ip6 fd00::10 microsoft/nanoserver
# docker run: DNS options (--dns-option) are ignored.
docker run -d --name opts --dns-option ndots:2 microsoft/nanoserver
# docker run: only one DNS search domain is used.
docker run -d --name search --dns-search a.example.com --dns-search b.example.com microsoft/nanoserver

# docker network create: --ip-range, --ipv6 are refused by the windows IPAM driver.
expect-fail docker network create -d nat --subnet=192.168.70.0/24 --ip-range=192.168.70.0/25 RangeNet
expect-fail docker network create -d nat --ipv6 --subnet=192.168.71.0/24 V6Net
# --aux-address, --internal, --ipam-opt and --ipam-driver are accepted but have no effect.
docker network create -d nat --subnet=192.168.72.0/24 --aux-address="router=192.168.72.5" AuxNet
docker network create -d nat --subnet=192.168.73.0/24 --internal InternalNet
docker network create -d nat --subnet=192.168.74.0/24 --ipam-driver=default --ipam-opt=foo=bar IpamNet
docker network ls

# Linux-only drivers do not exist on Windows.
expect-fail docker network create -d bridge MyBridge
# The default network cannot be removed.
expect-fail docker network rm nat
