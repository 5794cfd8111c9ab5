import { test } from 'vitest';
import { parseScript } from '../../src/script/index.js';
test('scratch', () => {
  const src = `C:\\> docker network create -d transparent -o com.docker.network.windowsshim.interface="Ethernet 2", "Ethernet 3" TeamedNet
docker run -dit --name web -p 8080:80 --network=nat mcr/iis cmd /c echo hi  # comment
docker exec web ping -n 4 db
PS C:\\> Get-VMNetworkAdapter -VMName ContainerHostVM | Set-VMNetworkAdapter -MacAddressSpoofing On
docker network create \\
   --subnet=10.0.0.0/24 -x foo
reg delete HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Tcpip6\\Parameters  /v DisabledComponents  /f
expect-fail client laptop curl http://10.0.0.10:8080/
netsh advfirewall firewall add rule name="web" dir=in action=allow protocol=TCP localport=80
"unterminated
host h1 --os ws2016 --nic "Ethernet 2" --ip 10.0.0.11/24`;
  const r = parseScript(src);
  for (const c of r.commands) console.log(c.line, c.kind, JSON.stringify(c.text), (c as any).path ?? (c as any).tool ?? (c as any).verb ?? "", JSON.stringify((c as any).flags?.map((f:any)=>[f.name,f.value]) ?? (c as any).inner?.flags?.map((f:any)=>[f.name,f.value]) ?? (c as any).pipeline?.map((p:any)=>p.flags.map((f:any)=>[f.name,f.value]))), JSON.stringify((c as any).args?.map((a:any)=>a.value))); console.log(r.diagnostics);
});
