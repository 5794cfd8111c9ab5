# Tip 8: IP assignment on stopped vs. running containers
#
# Tip: IP assignment on stopped vs. running containers (seed, "Tips & insights"). Static IPs
# are set directly on the container's network adapter, only while the container is stopped.
# Windows Server 2016 cannot "hot add" a network adapter to a running container; Windows 10
# Creators Update (win10-1703) and later can.

host old --os ws2016 --ip 10.0.0.21/24
docker network create -d nat --subnet=172.16.5.0/24 --gateway=172.16.5.1 second
docker run -d --name web microsoft/iis
# Symptom on ws2016:
expect-fail docker network connect --ip 172.16.5.9 second web
# Fix: stop the container, connect it, start it again.
expect docker stop web
expect docker network connect --ip 172.16.5.9 second web
expect docker start web
docker inspect web

host new --os win10-1703 --ip 10.0.0.22/24
docker network create -d nat --subnet=172.16.5.0/24 --gateway=172.16.5.1 second
docker run -d --name web microsoft/iis
# Creators Update supports hot add.
expect docker network connect --ip 172.16.5.9 second web
