# A published port another process on the host already holds
#
# IIS (or SQL Server, or another web server) runs on the container host itself and holds port
# 80. `docker run -p 80:80` then fails in HNS: the port mapping cannot take a port a host
# process has bound. Publish another host port instead, and `docker port` shows the mapping.

host h --os ws2019
listen w3svc tcp/80
expect-fail docker run -d --name web -p 80:80 mcr.microsoft.com/windows/servercore/iis
# The create succeeded, the start failed: web is left Created and keeps its name until removed.
docker ps -a
expect docker rm web
expect docker run -d --name web -p 8080:80 mcr.microsoft.com/windows/servercore/iis
docker port web
client laptop --ip 10.0.0.50
# Port 80 is answered by the host's own web server, 8080 by the container.
expect client laptop curl http://10.0.0.10/
expect client laptop curl http://10.0.0.10:8080/
