# Published ports from the host itself (NAT loopback)
#
# Published ports seen from the container host itself (SPEC §1 firewall defaults): on
# Windows Server 2016 the host cannot reach a published port through its own IP (WinNAT has
# no NAT loopback); it must use the container's IP. From ws1709 it can.

host old --os ws2016 --ip 10.0.0.21/24
docker run -d --name web --ip 172.16.0.80 -p 8080:80 microsoft/iis
expect-fail curl http://10.0.0.21:8080/
expect curl http://172.16.0.80/

host new --os ws1709 --ip 10.0.0.22/24
docker run -d --name web -p 8080:80 microsoft/iis
expect curl http://10.0.0.22:8080/
