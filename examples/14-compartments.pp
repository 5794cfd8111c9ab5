# Network compartments
#
# Network compartments (seed: "Isolation (namespace) with network compartments").
# Each container endpoint is put in its own network compartment, Windows' counterpart of a
# Linux network namespace. The host vNIC and the host network stack stay in the default
# compartment (id 1).

expect Get-NetCompartment
docker run -d --name web microsoft/iis
docker run -d --name db microsoft/nanoserver
expect Get-NetCompartment

# Each compartment has its own adapter, address, routes and DNS settings.
expect docker exec web ipconfig
expect docker exec db ipconfig
