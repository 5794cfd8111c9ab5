# Docker's templates: inspect -f and --format
#
# The first thing people type to find a container's address on Windows is a Go template:
# `docker inspect -f "{{ .NetworkSettings.Networks.nat.IPAddress }}" web` (Microsoft's container
# networking docs use it). Docker runs the template over the same object `docker inspect` prints,
# with Go's text/template and Docker's functions (json, join, split, upper, lower, title, pad,
# truncate); the list commands take `--format`, and `table` aligns the columns.
# In PowerShell, put templates with `$` variables in single quotes.

docker run -d --name web -p 8080:80 microsoft/iis
docker run -d --name db microsoft/nanoserver

# The container's address on the nat network, and every address of every container.
docker inspect -f "{{ .NetworkSettings.Networks.nat.IPAddress }}" web
docker inspect -f '{{.Name}}: {{range $net, $ep := .NetworkSettings.Networks}}{{$net}} {{$ep.IPAddress}}/{{$ep.IPPrefixLen}} via {{$ep.Gateway}}{{end}}' web db

# Published ports as JSON, and the network's subnet and the containers on it.
docker inspect -f "{{json .NetworkSettings.Ports}}" web
docker network inspect -f '{{range .IPAM.Config}}{{.Subnet}} gateway {{.Gateway}}{{end}}' nat
docker network inspect -f '{{range .Containers}}{{.Name}} {{.IPv4Address}}{{println}}{{end}}' nat

# The list commands: a custom line per object, or a table with the fields' headers.
docker ps --format "table {{.Names}}\t{{.Status}}\t{{.Ports}}\t{{.Networks}}"
docker ps --format "{{.ID}} {{upper .Names}}"
docker network ls --format "table {{.Name}}\t{{.Driver}}\t{{.Scope}}\t{{.Internal}}"

# A key the object does not have is Go's error, as Docker prints it (Windows containers have no
# health check here, so there is no .State.Health).
expect-fail docker inspect -f "{{.State.Health.Status}}" web
