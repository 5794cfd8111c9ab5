# MAC pool and VSID options
#
# MAC pool and VSID options (SPEC §3 driver options, as HNS applies them).
# macpool sets the range HNS draws container MACs from; it needs a start and an end.
# vsid sets the virtual subnet ID policy of the network.

host host1 --nic "Ethernet" --ip 10.0.0.10/24 --nic "Ethernet 2"

expect docker network create -d nat --subnet=192.168.60.0/24 -o com.docker.network.windowsshim.macpool=00-15-5D-AA-00-00,00-15-5D-AA-00-FF PooledNat
docker run -d --name web --network PooledNat microsoft/iis
docker inspect web
# One address only is not a pool.
expect-fail docker network create -d nat --subnet=192.168.61.0/24 -o com.docker.network.windowsshim.macpool=00-15-5D-AB-00-00 BadPool

expect docker network create -d l2bridge --subnet=10.0.0.0/24 --gateway=10.0.0.1 -o com.docker.network.windowsshim.vsid=5001 -o com.docker.network.windowsshim.interface="Ethernet 2" Vsid5001
Get-HnsNetwork
