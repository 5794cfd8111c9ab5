# Diagnostics where users run them
#
# When a published port does not answer, the first commands people paste into an issue are the
# host's view (addresses, interfaces, routes, listening sockets, excluded port ranges) and the
# container's (`docker exec ... powershell -Command`, `route print`, `arp -a`). Packet Path answers
# them from the simulated world: routes and neighbours as the data plane holds them, the sockets
# of host processes, and on l2bridge/overlay the VFP ports and rules the plane runs (vfpctrl).

host h --os ws2019
listen w3svc tcp/80
docker run -d --name web -p 8080:80 mcr.microsoft.com/windows/servercore/iis

# The host: who listens on which port? WinNAT's published port 8080 is no socket: netstat
# shows the host's own web server only.
netstat -ano
Get-NetTCPConnection -State Listen

# Windows reserves port ranges (Hyper-V, WinNAT, or an administrator): a published port in one
# fails in HNS with the same error as a port a process holds.
netsh int ipv4 add excludedportrange protocol=tcp startport=50000 numberofports=60
netsh int ipv4 show excludedportrange protocol=tcp
expect-fail docker run -d --name api -p 50001:80 mcr.microsoft.com/windows/servercore/iis
netsh int ipv4 show dynamicport tcp

# Addresses, interfaces and routes of the host stack.
Get-NetIPAddress -AddressFamily IPv4 | Format-Table IPAddress, InterfaceIndex, InterfaceAlias, PrefixLength
Get-NetIPInterface -AddressFamily IPv4
route print -4

# Inside the container: its adapter, DNS servers, listening socket (IIS through http.sys) and
# routes; after a ping its ARP cache holds the nat gateway. Invoke-WebRequest needs
# -UseBasicParsing there: the images have no Internet Explorer engine.
docker exec web powershell -Command "Get-NetIPConfiguration"
docker exec web powershell -Command "Get-DnsClientServerAddress -AddressFamily IPv4"
docker exec web powershell -Command "Resolve-DnsName web"
docker exec web powershell -Command "Invoke-WebRequest http://web/ -UseBasicParsing | Select-Object StatusCode, StatusDescription"
docker exec web netstat -ano
docker exec web route print
docker exec web ping -n 1 172.29.48.1
docker exec web arp -a

# HNS's objects through PowerShell's pipeline, as an issue asks for them.
Get-HnsEndpoint | Select-Object IPAddress, MacAddress, Policies | ConvertTo-Json -Depth 3
Get-NetNat | Select-Object Name, InternalIPInterfaceAddressPrefix

# On an l2bridge network VFP enforces the endpoint ACLs: vfpctrl lists its ports.
docker network create -d l2bridge --subnet 10.0.0.0/24 --gateway 10.0.0.1 l2
docker run -d --name app --network l2 mcr.microsoft.com/windows/servercore/iis
vfpctrl /list-vmswitch-port
