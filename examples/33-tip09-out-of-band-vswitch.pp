# Tip 9: a vSwitch made out of band blocks transparent networks
#
# Tip: an existing vSwitch (not visible to Docker) can block transparent network creation
# (seed, "Tips & insights"). A vSwitch created out of band (Hyper-V Manager or PowerShell)
# while Docker runs is not seen by Docker; Docker then tries to create a new vSwitch on the
# same adapter, which fails. Three ways out: remove it, restart hns and docker so it becomes
# visible, or bind the network to another adapter.

host host1 --nic "Ethernet" --ip 10.0.0.10/24 --nic "Ethernet 2"

docker network ls
New-VMSwitch -Name OutOfBand -NetAdapterName "Ethernet 2"
# Symptom:
expect-fail docker network create -d transparent -o com.docker.network.windowsshim.interface="Ethernet 2" MyTransparent
docker network ls

# Fix: restart HNS and Docker; the switch then shows up as a transparent network.
Restart-Service hns
Restart-Service docker
docker network ls
expect docker network inspect OutOfBand

# Fix (another): bind the new network to an adapter the switch does not use.
expect docker network create -d transparent -o com.docker.network.windowsshim.interface="Ethernet" MyTransparent
