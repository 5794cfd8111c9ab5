# Switch Embedded Teaming
#
# Switch Embedded Teaming (seed: "Switch Embedded Teaming with Docker networks ... applies to
# all network drivers"). Several adapters, comma separated, in the interface option make one
# external vSwitch teamed over them; flows are spread over the team members by hash.

host host1 --nic "Ethernet" --ip 10.0.0.10/24 --nic "Ethernet 2" --nic "Ethernet 3"
lan dhcp 10.0.0.100-10.0.0.200
client laptop --ip 10.0.0.50

Get-NetAdapter
expect docker network create -d transparent -o com.docker.network.windowsshim.interface="Ethernet 2", "Ethernet 3" TeamedNet
Get-VMSwitch
docker run -d --name web --network TeamedNet microsoft/iis
# The container is on the LAN through the team (the trace shows which member carried a flow).
expect docker exec web ping -n 1 10.0.0.50
expect client laptop curl http://10.0.0.100/
