# Tip 1: HNS requires IPv6
#
# Tip: HNS requires IPv6 to be enabled on container hosts (seed, "Tips & insights").
# Since KB4015217, HNS needs IPv6. With IPv6 disabled, every container start fails with
# "... encountered an error during CreateContainer: failure in a Windows system call: Element
# not found." The fix deletes the DisabledComponents registry value.

host host1 --ipv6 off
# Cause -> symptom:
expect-fail docker run -d --name web microsoft/iis
# The create succeeded, the start failed: web is left Created (docker ps -a); docker start retries it.
# Fix: the registry value is read at boot, so restart after deleting it.
expect reg delete HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services\Tcpip6\Parameters /v DisabledComponents /f
expect-fail docker start web
Restart-Computer
expect docker start web
