# Published ports through localhost, per Windows version
#
# The most asked question about Windows containers: `docker run -p 8080:80` works from another
# machine, but http://localhost:8080 on the host itself does not. WinNAT had no loopback on
# Windows Server 2016; from 1709 the host reaches a published port through its own address; the
# 127.0.0.1 / localhost path arrived with Windows 10 and Windows Server version 1803
# (docker/for-win #204) and works on Windows 10 1809 and Windows Server 2019 and later
# (docker/docs #8353).

host old --os ws1709 --ip 10.0.0.21/24
docker run -d --name web -p 8080:80 microsoft/iis
expect-fail curl http://localhost:8080/
# The workaround of those years: the host's own address, or the container's.
expect curl http://10.0.0.21:8080/

host dev --os win10-1809 --ip 10.0.0.22/24
docker version
docker run -d --name web -p 8080:80 mcr.microsoft.com/windows/servercore/iis:windowsservercore-1809
expect curl http://localhost:8080/
expect curl http://127.0.0.1:8080/

host srv --os ws2025 --ip 10.0.0.23/24
docker run -d --name web -p 8080:80 mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2025
expect curl http://localhost:8080/
# Nothing is published on 8081: the host's own stack refuses, no packet leaves it.
expect-fail curl http://localhost:8081/
# localhost is answered by Windows itself; ping prefers IPv6 (::1).
expect ping localhost
# Inside a container, localhost is the container: its own IIS answers on port 80.
expect docker exec web curl http://localhost/
