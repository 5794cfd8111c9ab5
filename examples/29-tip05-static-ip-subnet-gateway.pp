# Tip 5: static IPs need --subnet and --gateway
#
# Tip: remember to specify --subnet and --gateway when using static IP assignment (seed,
# "Tips & insights"). The subnet and gateway must be those of the container host's physical
# network (the seed's example: a physical network with prefix 10.123.174.0/23).

host host1 --ip 10.123.174.10/23 --gateway 10.123.174.1

# Symptom: a network created without them cannot take a static --ip.
expect docker network create -d transparent MyDhcpOnlyNet
expect-fail docker run -d --network=MyDhcpOnlyNet --ip=10.123.174.105 windowsservercore cmd
expect docker network rm MyDhcpOnlyNet

# Fix (the seed's commands):
expect docker network create -d transparent --subnet=10.123.174.0/23 --gateway=10.123.174.1 MyTransparentNet
expect docker run -it --network=MyTransparentNet --ip=10.123.174.105 windowsservercore cmd
docker ps
