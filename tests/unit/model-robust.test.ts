/** Random command sequences never break the model: no internal error, failed commands change nothing. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseScript } from '../../src/script/parser.js';
import { createWorld, execute } from '../../src/model/index.js';

const LINES = [
  'host a --os ws2016', 'host b --os ws2019 --nic "Ethernet" --ip 10.0.0.21/24 --nic "Ethernet 2"', 'host c --os win10-1703 --virtualized',
  'host a', 'host b', 'lan dhcp 10.0.0.100-10.0.0.120', 'client laptop --ip 10.0.0.60',
  'docker network create -d nat --subnet 172.16.1.0/24 --gateway 172.16.1.1 n1', 'docker network create -d nat n2',
  'docker network create -d transparent t1', 'docker network create -d transparent -o com.docker.network.windowsshim.interface="Ethernet 2" t2',
  'docker network create -d l2bridge --subnet 10.0.0.0/24 --gateway 10.0.0.1 b1', 'docker network create -d overlay --attachable o1',
  'docker swarm init', 'docker swarm join --token SWMTKN-1-0123456789abcdefghij0123456789abcdefghij0123456789-abcdefghij0123456789abcde 10.0.0.10:2377',
  'docker swarm leave --force', 'docker service create --name s --network o1 --replicas 2 -p 8080:80 img', 'docker service rm s',
  'docker run -d --name w img', 'docker run -d --name x --network n1 -p 80:80 img', 'docker run -d --name y --network t1 img',
  'docker run -d --name z --network b1 --ip 10.0.0.77 img', 'docker run -d --name v --network o1 img',
  'docker stop w', 'docker start w', 'docker rm -f x', 'docker network connect n1 w', 'docker network disconnect n1 w',
  'docker network rm n1', 'docker network rm t1', 'docker network prune -f', 'docker ps -a', 'docker network ls', 'docker inspect w',
  'docker exec w ipconfig /all', 'docker exec w ping -n 1 x', 'New-VMSwitch -Name OOB -NetAdapterName "Ethernet 2"', 'Remove-VMSwitch OOB',
  'Restart-Service hns', 'Restart-Service docker', 'Restart-Computer', 'Get-NetNat', 'Get-VMSwitch', 'Get-HnsNetwork', 'Get-HnsEndpoint',
  'Get-NetAdapter', 'Get-NetCompartment', 'Get-VMNetworkAdapter -VMName c | Set-VMNetworkAdapter -MacAddressSpoofing On',
  'reg delete HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Tcpip6\\Parameters /v DisabledComponents /f',
  'docker exec w netsh advfirewall firewall add rule name=r dir=in action=block protocol=TCP localport=80', 'flood w laptop udp/53',
];

describe('robustness', () => {
  it('no internal errors, and failed commands leave the world unchanged', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...LINES), { minLength: 1, maxLength: 25 }), fc.integer({ min: 1, max: 1000 }), (lines, seed) => {
        const script = parseScript(lines.join('\n'));
        const world = createWorld({ seed });
        for (const cmd of script.commands) {
          const before = JSON.stringify(world);
          const o = execute(world, cmd);
          if (o.error?.startsWith('Packet Path internal error')) throw new Error(`${cmd.text}: ${o.error}\n${lines.join('\n')}`);
          if (!o.ok) {
            // The default host and its engine may come into being; nothing else may change.
            const after = JSON.parse(JSON.stringify(world));
            const b = JSON.parse(before);
            if (b.hosts.length === after.hosts.length && b.hosts.every((h: { engine: unknown }, i: number) => !!h.engine === !!after.hosts[i].engine)) {
              // A docker run whose start failed keeps its create (docker/cli v20.10.24 run.go; moby
              // daemon/start.go): one more container, Created, exit code 128, holding nothing.
              if (cmd.kind === 'docker' && cmd.path[0] === 'run') {
                const host = world.hosts.findIndex((h) => h.name === world.current);
                const kept = host >= 0 && b.hosts[host] ? world.hosts[host]!.containers.slice(b.hosts[host].containers.length) : [];
                if (kept.length) {
                  expect(kept).toHaveLength(1);
                  expect(kept[0]!.state).toBe('created');
                  expect(kept[0]!.exitCode).toBe(128);
                  expect(kept[0]!.attachments.every((a) => a.endpointId === '')).toBe(true);
                  world.hosts[host]!.containers.pop();
                  const restored = JSON.parse(JSON.stringify(world));
                  world.hosts[host]!.containers.push(kept[0]!);
                  expect({ ...restored, rngState: b.rngState }).toEqual(b);
                  continue;
                }
              }
              expect(JSON.stringify(world)).toBe(before);
            }
          }
        }
      }),
      { numRuns: 150, seed: 20240115 },
    );
  });
});
