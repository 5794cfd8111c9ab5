# The network name HNS uses (networkname)
#
# The network name HNS uses (seed: "Specify the name of a network to the HNS service ...
# applies to all network drivers"). Docker's name is Docker's; HNS shows the name given in
# the networkname option.

expect docker network create -d transparent -o com.docker.network.windowsshim.networkname=MyTransparentNetwork MyTransparentNetwork
expect docker network create -d nat --subnet=192.168.50.0/24 -o com.docker.network.windowsshim.networkname=HnsNameForNat DockerNameForNat
docker network ls
Get-HnsNetwork
Get-VMSwitch
