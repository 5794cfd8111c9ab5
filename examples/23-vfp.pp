# VFP: is the Virtual Filtering Platform running?
#
# The Virtual Filtering Platform (seed: "VFP"). VFP is a forwarding extension of the Hyper-V
# vSwitch that enforces network policy and manipulates packets: VXLAN encapsulation for
# overlay, MAC rewrite for l2bridge. Two commands check that it runs.

host host1 --nic "Ethernet" --ip 10.0.0.10/24 --nic "Ethernet 2"

expect Get-Service vfpext
docker network create -d l2bridge --subnet=10.0.0.0/24 --gateway=10.0.0.1 -o com.docker.network.windowsshim.interface="Ethernet 2" MyL2Bridge
# "This should indicate the extension is Running: True"
expect Get-VMSwitchExtension -VMSwitchName MyL2Bridge -Name "Microsoft Azure VFP Switch Extension"
# The nat network's internal vSwitch does not use VFP (WinNAT and the firewall do the work).
Get-VMSwitchExtension -VMSwitchName nat -Name "Microsoft Azure VFP Switch Extension"
