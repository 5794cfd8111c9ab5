# fifteen containers on one host: a crowded nat network
#
# One Windows Server 2019 host running fifteen containers on the default nat network: a web
# farm behind published ports and a few workers. The topology draws every endpoint on the
# internal vSwitch; each container is its own compartment with its own address from the nat
# prefix, and WinNAT maps each published port to its container.

host host1 --os ws2019 --ip 10.0.0.10/24 --gateway 10.0.0.1
client laptop --ip 10.0.0.50

expect docker run -d --name web1 -p 8081:80 mcr.microsoft.com/windows/servercore/iis
expect docker run -d --name web2 -p 8082:80 mcr.microsoft.com/windows/servercore/iis
expect docker run -d --name web3 -p 8083:80 mcr.microsoft.com/windows/servercore/iis
expect docker run -d --name web4 -p 8084:80 mcr.microsoft.com/windows/servercore/iis
expect docker run -d --name web5 -p 8085:80 mcr.microsoft.com/windows/servercore/iis
expect docker run -d --name web6 -p 8086:80 mcr.microsoft.com/windows/servercore/iis
expect docker run -d --name web7 -p 8087:80 mcr.microsoft.com/windows/servercore/iis
expect docker run -d --name web8 -p 8088:80 mcr.microsoft.com/windows/servercore/iis
expect docker run -d --name web9 -p 8089:80 mcr.microsoft.com/windows/servercore/iis
expect docker run -d --name web10 -p 8090:80 mcr.microsoft.com/windows/servercore/iis
expect docker run -d --name worker1 mcr.microsoft.com/windows/nanoserver
expect docker run -d --name worker2 mcr.microsoft.com/windows/nanoserver
expect docker run -d --name worker3 mcr.microsoft.com/windows/nanoserver
expect docker run -d --name worker4 mcr.microsoft.com/windows/nanoserver
expect docker run -d --name worker5 mcr.microsoft.com/windows/nanoserver

docker ps
Get-NetNatStaticMapping

# Every published port reaches its own container from the LAN.
expect client laptop curl http://10.0.0.10:8081/
expect client laptop curl http://10.0.0.10:8090/

# Containers on the same nat network reach each other by name (Docker's embedded DNS).
expect docker exec worker1 ping -n 1 web10
expect docker exec worker5 curl http://web3/
