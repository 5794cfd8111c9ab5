# l2bridge: the host's subnet and MAC rewrite
#
# The l2bridge driver (seed: "l2bridge - containers ... will be in the same IP subnet as the
# container host. The IP addresses must be assigned statically from the same prefix as the
# container host. All container endpoints on the host will have the same MAC address as the
# host due to Layer-2 address translation (MAC re-write) on ingress and egress.").

host host1 --ip 10.0.0.10/24 --gateway 10.0.0.1
client laptop --ip 10.0.0.50

expect docker network create -d l2bridge --subnet=10.0.0.0/24 --gateway=10.0.0.1 MyL2Bridge
expect docker run -d --name web --network MyL2Bridge --ip 10.0.0.21 microsoft/iis
expect docker run -d --name api --network MyL2Bridge --ip 10.0.0.22 microsoft/iis

# On the wire both containers show the host's MAC: egress rewrites the source MAC to the
# host's, ingress rewrites the destination MAC back to the container's.
expect client laptop ping 10.0.0.21
expect client laptop curl http://10.0.0.22/
expect docker exec web ping -n 1 10.0.0.50

# Same host: bridged, no rewrite needed.
expect docker exec web ping -n 1 10.0.0.22
