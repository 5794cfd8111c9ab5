# Reset and repair Windows container networking, as the public guides do it
#
# The guides (Virtualization-Documentation's NAT guide, 4sysops, docker/for-win threads) give the
# same steps: stop Docker, remove the container networks and the WinNAT behind its back, tell
# dockerd in daemon.json not to create the default nat network, start Docker again. Each step has
# its own effect, so stopping half way leaves the broken states users paste into issues.

# Windows Server 2016: the Containers PowerShell module still ships (Get-ContainerNetwork).
host old --os ws2016 --ip 10.0.0.10/24
client laptop --ip 10.0.0.50/24
docker network ls
Get-ContainerNetwork

# Half done: the HNS network goes while dockerd keeps running. Docker still lists `nat`, but a
# container cannot join it until dockerd starts again.
Get-ContainerNetwork | Remove-ContainerNetwork -Force
Get-ContainerNetwork
docker network ls
expect-fail docker run -d --name api mcr.microsoft.com/windows/servercore/iis

# Done: dockerd creates nat again when it starts (a new ID).
Stop-Service docker
Start-Service docker
docker network ls
Get-ContainerNetwork

# A container with a restart policy comes back after a reboot, on the nat dockerd made again.
docker run -d --name web --restart always -p 8080:80 mcr.microsoft.com/windows/servercore/iis
Restart-Computer
docker ps
expect client laptop curl http://10.0.0.10:8080/

# Windows Server 2019: the module is gone ("is not recognized"); the HNS module does the same.
host h --os ws2019 --ip 10.0.0.11/24
docker run -d --name api --restart unless-stopped mcr.microsoft.com/windows/servercore/iis
expect-fail Get-ContainerNetwork

# The full reset, with daemon.json telling dockerd not to create nat again. The file is read
# only when dockerd starts; a key Windows' dockerd does not know (iptables) stops it.
Stop-Service docker
Get-NetNat | Remove-NetNat
Get-HnsNetwork | Remove-HnsNetwork
Set-Content C:\ProgramData\docker\config\daemon.json '{"bridge": "none", "iptables": false}'
expect-fail Start-Service docker
expect-fail docker ps
Set-Content C:\ProgramData\docker\config\daemon.json '{"bridge": "none", "dns": ["10.0.0.1"]}'
Start-Service docker
docker network ls

# api was on nat: with "bridge": "none" dockerd started it again without a network.
docker ps

# A network of our own; containers get the DNS server daemon.json names.
docker network create -d nat --subnet 172.30.0.0/24 CustomNat
docker run -d --name web2 --network CustomNat -p 8082:80 mcr.microsoft.com/windows/servercore/iis
docker exec web2 ipconfig /all
expect client laptop curl http://10.0.0.11:8082/
