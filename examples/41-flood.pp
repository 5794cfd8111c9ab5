# flood: bulk traffic through a published port
#
# Bulk traffic through the WebAssembly data plane (Packet Path's `flood`): many flows from a
# LAN machine to a published port, each through WinNAT's static mapping. The report gives the
# packets per second and what happened to the packets.

client laptop --ip 10.0.0.50
docker run -d --name web -p 8080:80 microsoft/iis
expect flood laptop host1 tcp/8080 --packets 20000 --flows 64
