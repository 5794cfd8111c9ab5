# A pre-existing external vSwitch becomes a transparent network
#
# Pre-existing external vSwitches (seed, "Basic networking architecture"): an external
# vSwitch created with PowerShell or Hyper-V Manager before the Docker engine first runs is
# made available to Docker with the transparent driver, and shows in `docker network ls`.
#   internal vSwitch: not directly connected to a network adapter of the container host
#   external vSwitch: directly connected to a network adapter of the container host

host host1 --nic "Ethernet" --ip 10.0.0.10/24 --nic "Ethernet 2"

New-VMSwitch -Name ExternalSwitch -NetAdapterName "Ethernet 2"
# The engine starts here, creates nat and picks up ExternalSwitch.
docker network ls
Get-VMSwitch
expect docker run -d --name web --network ExternalSwitch microsoft/iis
