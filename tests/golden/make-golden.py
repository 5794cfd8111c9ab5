#!/usr/bin/python3
"""Generates the golden frames of tests/golden/*.hex with Scapy, an implementation independent of
src/wire/ (Debian: `apt-get install python3-scapy`; written with Scapy 2.5.0).

Run once; the output is frozen in git. Every frame was then checked with tshark 4.0.17 with
checksum validation on (tests/unit/pcap-tshark.test.ts re-checks them on every run). The tests
read only the .hex files, never this script. Addresses follow the project's examples: Hyper-V
MACs 00:15:5d:xx, a WinNAT network 172.16.0.0/16 (gateway 172.16.0.1), hosts on 10.0.0.0/24.
"""
import os
from scapy.all import Ether, Dot1Q, ARP, IP, IPOption_RR, IPOption_Router_Alert, ICMP, UDP, TCP, DNS, DNSQR, VXLAN, Raw, raw

HOST_A = '00:15:5d:00:00:0a'   # host1 NIC, 10.0.0.10
HOST_B = '00:15:5d:00:00:14'   # host2 NIC, 10.0.0.20
GW = '00:15:5d:00:00:01'       # 10.0.0.1
C1 = '00:15:5d:4e:00:02'       # container 172.16.0.2
C2 = '00:15:5d:4e:00:03'       # container 172.16.0.3
WIN_PING = b'abcdefghijklmnopqrstuvwabcdefghi'  # what Windows ping.exe sends, 32 bytes

# Windows SYN options: MSS 1460, NOP, WS 8, NOP, NOP, SACK permitted.
WIN_SYN_OPTS = [('MSS', 1460), ('NOP', None), ('WScale', 8), ('NOP', None), ('NOP', None), ('SAckOK', b'')]
SYNACK_OPTS = [('MSS', 1460), ('NOP', None), ('NOP', None), ('SAckOK', b''), ('NOP', None), ('WScale', 7)]

def syn():
    return (IP(src='172.16.0.2', dst='172.16.0.3', ttl=128, id=0x1234, flags='DF')
            / TCP(sport=49152, dport=80, seq=0x1000, ack=0, flags='S', window=64240, options=WIN_SYN_OPTS))

FRAMES = {
    'arp_request': ('ARP request: who has 10.0.0.1, tell 10.0.0.10 (42 bytes, as captured on the sender)',
        "Ether(src=HOST_A, dst='ff:ff:ff:ff:ff:ff')/ARP(op=1, hwsrc=HOST_A, psrc='10.0.0.10', hwdst='00:00:00:00:00:00', pdst='10.0.0.1')",
        Ether(src=HOST_A, dst='ff:ff:ff:ff:ff:ff') / ARP(op=1, hwsrc=HOST_A, psrc='10.0.0.10', hwdst='00:00:00:00:00:00', pdst='10.0.0.1')),
    'arp_reply': ('ARP reply: 10.0.0.1 is at 00:15:5d:00:00:01, padded to the 60-byte Ethernet minimum',
        "Ether(src=GW, dst=HOST_A)/ARP(op=2, hwsrc=GW, psrc='10.0.0.1', hwdst=HOST_A, pdst='10.0.0.10')/Raw(18 zero bytes)",
        Ether(src=GW, dst=HOST_A) / ARP(op=2, hwsrc=GW, psrc='10.0.0.1', hwdst=HOST_A, pdst='10.0.0.10') / Raw(b'\x00' * 18)),
    'vlan_ipv4_icmp': ('802.1Q VLAN 100 (PCP 3) tagged IPv4 ICMP echo request 10.0.0.10 > 10.0.0.20',
        "Ether(src=HOST_A, dst=HOST_B)/Dot1Q(vlan=100, prio=3)/IP(src='10.0.0.10', dst='10.0.0.20', ttl=128, id=0x0100)/ICMP(type=8, id=1, seq=7)/WIN_PING",
        Ether(src=HOST_A, dst=HOST_B) / Dot1Q(vlan=100, prio=3) / IP(src='10.0.0.10', dst='10.0.0.20', ttl=128, id=0x0100)
        / ICMP(type=8, id=1, seq=7) / Raw(WIN_PING)),
    'ipv4_options': ('IPv4 with options (Record Route with 2 slots, Router Alert, one EOL byte of padding; IHL 9) carrying an ICMP echo request',
        "Ether(src=HOST_A, dst=GW)/IP(src='10.0.0.10', dst='10.0.0.1', ttl=64, id=0x0200, options=[IPOption_RR(routers=['10.0.0.10','0.0.0.0']), IPOption_Router_Alert()])/ICMP(type=8, id=0x99, seq=1)/b'options'",
        Ether(src=HOST_A, dst=GW) / IP(src='10.0.0.10', dst='10.0.0.1', ttl=64, id=0x0200,
            options=[IPOption_RR(routers=['10.0.0.10', '0.0.0.0']), IPOption_Router_Alert()])
        / ICMP(type=8, id=0x99, seq=1) / Raw(b'options')),
    'icmp_echo_request': ('ICMP echo request from a container (Windows ping: TTL 128, 32 data bytes) 172.16.0.2 > 8.8.8.8',
        "Ether(src=C1, dst=GW)/IP(src='172.16.0.2', dst='8.8.8.8', ttl=128, id=0x4d2)/ICMP(type=8, id=1, seq=1)/WIN_PING",
        Ether(src=C1, dst=GW) / IP(src='172.16.0.2', dst='8.8.8.8', ttl=128, id=0x4d2) / ICMP(type=8, id=1, seq=1) / Raw(WIN_PING)),
    'icmp_echo_reply': ('ICMP echo reply 8.8.8.8 > 172.16.0.2 (TTL 117 after the Internet)',
        "Ether(src=GW, dst=C1)/IP(src='8.8.8.8', dst='172.16.0.2', ttl=117, id=0)/ICMP(type=0, id=1, seq=1)/WIN_PING",
        Ether(src=GW, dst=C1) / IP(src='8.8.8.8', dst='172.16.0.2', ttl=117, id=0) / ICMP(type=0, id=1, seq=1) / Raw(WIN_PING)),
    'udp_dns_query': ('UDP DNS query, A record for db.example.com, container 172.16.0.2:51000 > gateway resolver 172.16.0.1:53',
        "Ether(src=C1, dst=GW)/IP(src='172.16.0.2', dst='172.16.0.1', ttl=128, id=0x777)/UDP(sport=51000, dport=53)/DNS(id=0xbeef, rd=1, qd=DNSQR(qname='db.example.com', qtype='A'))",
        Ether(src=C1, dst=GW) / IP(src='172.16.0.2', dst='172.16.0.1', ttl=128, id=0x777)
        / UDP(sport=51000, dport=53) / DNS(id=0xbeef, rd=1, qd=DNSQR(qname='db.example.com', qtype='A'))),
    'tcp_syn': ('TCP SYN 172.16.0.2:49152 > 172.16.0.3:80, DF, Windows options (MSS 1460, NOP, WS 8, NOP, NOP, SACK_PERM)',
        "Ether(src=C1, dst=C2)/IP(src='172.16.0.2', dst='172.16.0.3', ttl=128, id=0x1234, flags='DF')/TCP(sport=49152, dport=80, seq=0x1000, flags='S', window=64240, options=WIN_SYN_OPTS)",
        Ether(src=C1, dst=C2) / syn()),
    'tcp_synack': ('TCP SYN-ACK 172.16.0.3:80 > 172.16.0.2:49152 (options MSS 1460, NOP, NOP, SACK_PERM, NOP, WS 7)',
        "Ether(src=C2, dst=C1)/IP(src='172.16.0.3', dst='172.16.0.2', ttl=128, id=0x2345, flags='DF')/TCP(sport=80, dport=49152, seq=0xabcdef01, ack=0x1001, flags='SA', window=65160, options=SYNACK_OPTS)",
        Ether(src=C2, dst=C1) / IP(src='172.16.0.3', dst='172.16.0.2', ttl=128, id=0x2345, flags='DF')
        / TCP(sport=80, dport=49152, seq=0xabcdef01, ack=0x1001, flags='SA', window=65160, options=SYNACK_OPTS)),
    'tcp_rst': ('TCP RST-ACK 172.16.0.3:81 > 172.16.0.2:49153: connection refused (no listener)',
        "Ether(src=C2, dst=C1)/IP(src='172.16.0.3', dst='172.16.0.2', ttl=128, id=0x2346)/TCP(sport=81, dport=49153, seq=0, ack=0x2001, flags='RA', window=0)",
        Ether(src=C2, dst=C1) / IP(src='172.16.0.3', dst='172.16.0.2', ttl=128, id=0x2346)
        / TCP(sport=81, dport=49153, seq=0, ack=0x2001, flags='RA', window=0)),
    'vxlan_tcp': ('VXLAN VNI 4096 (I flag only, reserved zero, outer UDP checksum 0 per RFC 7348 § 5) host 10.0.0.10:52000 > 10.0.0.20:4789 carrying the tcp_syn frame',
        "Ether(src=HOST_A, dst=HOST_B)/IP(src='10.0.0.10', dst='10.0.0.20', ttl=128, id=0x3456)/UDP(sport=52000, dport=4789, chksum=0)/VXLAN(flags=0x08, vni=4096, NextProtocol=0)/<tcp_syn frame>",
        Ether(src=HOST_A, dst=HOST_B) / IP(src='10.0.0.10', dst='10.0.0.20', ttl=128, id=0x3456)
        / UDP(sport=52000, dport=4789, chksum=0) / VXLAN(flags=0x08, vni=4096, NextProtocol=0) / Ether(src=C1, dst=C2) / syn()),
}

here = os.path.dirname(os.path.abspath(__file__))
for name, (title, expr, pkt) in FRAMES.items():
    b = raw(pkt)
    lines = [f'# {title}', f'# scapy: {expr}', f'# {len(b)} bytes, no FCS']
    for i in range(0, len(b), 16):
        lines.append(' '.join(f'{x:02x}' for x in b[i:i + 16]))
    with open(os.path.join(here, name + '.hex'), 'w') as f:
        f.write('\n'.join(lines) + '\n')
    print(name, len(b))
