# Resetting container networking, and what a half-done reset leaves
#
# The reset the troubleshooting guides give: stop Docker, remove the WinNAT and the HNS
# networks, start Docker. Each step has its own effect; stop half way and the host shows it.

host h --os ws2019
docker run -d --name web -p 8080:80 mcr.microsoft.com/windows/servercore/iis
docker network create -d nat --subnet 172.30.0.0/24 app

# WinNAT removed while Docker runs: the nat network stays, published ports cannot be mapped.
Get-NetNat | Remove-NetNat
expect-fail docker run -d --name web2 -p 8081:80 mcr.microsoft.com/windows/servercore/iis

# The full reset.
Stop-Service docker
Get-Service docker
expect-fail docker ps
Get-HnsNetwork | Remove-HnsNetwork
Start-Service docker
# dockerd created nat again and re-created `app` with its ID and subnet.
docker network ls
Get-NetNat
expect docker run -d --name web3 -p 8082:80 mcr.microsoft.com/windows/servercore/iis
client laptop --ip 10.0.0.50
expect client laptop curl http://10.0.0.10:8082/

# Half done: HNS networks removed while dockerd kept running (web3 keeps nat in use).
docker network create -d nat --subnet 172.31.0.0/24 lab
Get-HnsNetwork | Remove-HnsNetwork
Get-HnsNetwork
# Docker still lists `lab`, but a container cannot join it.
expect docker network ls
expect-fail docker run -d --name web4 --network lab mcr.microsoft.com/windows/servercore/iis
# A restart of dockerd reconciles: `lab` is a user nat network, so it is created again.
Restart-Service docker
# The failed run left web4 Created: docker start retries it.
expect docker start web4
