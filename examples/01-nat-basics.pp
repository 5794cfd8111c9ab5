# The default nat network
#
# The default "nat" network (seed: "Basic networking architecture").
# On its first docker command the engine creates the default network "nat": an internal
# vSwitch (not bound to any adapter), the host vNIC "vEthernet (nat)" holding the gateway,
# and the Windows component WinNAT. Every container started without a --network flag joins
# it and gets an address from the nat internal prefix.

client bing --ip 204.79.197.200 --internet

docker network ls
docker run -d --name web microsoft/iis
docker run -d --name db microsoft/nanoserver

# Containers on the same nat network are bridged on the internal vSwitch, and find each
# other by name (local service discovery).
expect docker exec web ping -n 1 db

# The internal vSwitch and the WinNAT instance behind it.
Get-VMSwitch
Get-NetNat

# Outbound traffic leaves through WinNAT: source NAT to the host's address.
expect docker exec web curl http://bing/
