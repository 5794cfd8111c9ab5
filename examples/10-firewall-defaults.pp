# Windows Firewall defaults (seed: "Windows Firewall security"; SPEC §1 "Firewall defaults").
# Outbound is allowed. Inbound on Windows Server 2016 is deny-all: only published ports are
# opened. From Windows Server 1709 on, inbound TCP, UDP, ICMP and IGMP are allowed.

host old --os ws2016 --ip 10.0.0.21/24
docker run -d --name web microsoft/iis
docker run -d --name probe microsoft/nanoserver
# ws2016: the unsolicited inbound echo request is blocked by web's firewall...
expect-fail docker exec probe ping -n 1 web
# ...until a rule allows it inside the container.
expect docker exec web netsh advfirewall firewall add rule name="ICMP in" dir=in action=allow protocol=icmpv4
expect docker exec probe ping -n 1 web
# Outbound is allowed: web's own request gets its answer back.
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
