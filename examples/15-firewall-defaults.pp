# Windows Firewall defaults: ws2016 vs. ws1709
#
# Windows Firewall defaults (seed: "Windows Firewall security"; SPEC §1 "Firewall defaults").
# Outbound is allowed. Inbound on Windows Server 2016 is deny-all: only published ports are
# opened. From Windows Server 1709 on, inbound TCP, UDP, ICMP and IGMP are allowed and other
# protocols denied. Rules inside a container are added with netsh; a block rule wins.

host old --os ws2016 --ip 10.0.0.21/24
docker run -d --name web --ip 172.16.0.21 -p 8080:80 microsoft/iis
docker run -d --name probe --ip 172.16.0.22 microsoft/nanoserver
# ws2016: an unsolicited inbound echo request is blocked by web's firewall...
expect-fail docker exec probe ping -n 1 172.16.0.21
# ...the published port 80 is open...
expect docker exec probe curl http://172.16.0.21/
# ...and a rule inside the container opens ICMP.
expect docker exec web netsh advfirewall firewall add rule name="ICMP in" dir=in action=allow protocol=icmpv4
expect docker exec probe ping -n 1 172.16.0.21
# Outbound is allowed, and the answers to it come back (the firewall is stateful).
expect docker exec web nslookup probe

host new --os ws1709 --ip 10.0.0.22/24
docker run -d --name web microsoft/iis
docker run -d --name probe microsoft/nanoserver
# ws1709: inbound ICMP and TCP are allowed by default.
expect docker exec probe ping -n 1 web
expect docker exec probe curl http://web/
# A block rule beats the default allow.
expect docker exec web netsh advfirewall firewall add rule name="no http" dir=in action=block protocol=tcp localport=80
expect-fail docker exec probe curl http://web/
