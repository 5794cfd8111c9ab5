/**
 * Hyper-V's Default Switch on the Windows 10 profiles after the seed (issue 9, item 1). Sources:
 * docker/for-win #918, #2236, #4296 (HNS JSON of the Default Switch: ID
 * C08CB7B8-9B3C-408E-8E30-5E16A3AEB444, Type ICS, a /28 of 172.16.0.0/12 with its gateway at the
 * first address, NatName ICS<guid>); docker/for-win #1960 (`docker network ls` lists `Default Switch
 * ics`); maxcoreblog 2020 (the range changes at boot); mytechiethoughts (ICS: DHCP, DNS, NAT).
 */
import { describe, expect, it } from 'vitest';
import { runScript } from '../../src/index.js';
import { run, runOk } from './model-helpers.js';

const PC = 'host pc --os win10-1809 --ip 10.0.0.10/24';

describe('Default Switch (ics)', () => {
  it('docker network ls lists it as Default Switch ics; Get-VMSwitch shows an Internal switch; HNS an ICS network with the fixed ID', () => {
    const r = runOk(`${PC}\ndocker network ls\nGet-VMSwitch\nGet-HnsNetwork | Select-Object Name, Type, ID`);
    expect(r.outcomes[1]!.output).toMatch(/^[0-9a-f]{12}\s+Default Switch\s+ics\s+local$/m);
    expect(r.outcomes[2]!.output).toMatch(/^Default Switch Internal$/m);
    expect(r.last.output).toMatch(/^Default Switch ICS\s+C08CB7B8-9B3C-408E-8E30-5E16A3AEB444$/m);
  });

  it('its range is a /28 of 172.16.0.0/12, gateway at the first address; a container gets an address of it and the gateway as DNS server', () => {
    const r = runOk(`${PC}\ndocker run -d --name a --network "Default Switch" img`);
    const h = r.world.hosts[0]!;
    const net = h.networks.find((n) => n.name === 'Default Switch')!;
    const [base, len] = net.subnets[0]!.prefix.split('/');
    expect(len).toBe('28');
    expect(base).toMatch(/^172\.(1[6-9]|2\d|3[01])\./);
    expect(Number(base!.split('.')[3]) % 16).toBe(0);
    const ep = h.endpoints[0]!;
    expect(ep.prefixLen).toBe(28);
    expect(ep.gateway).toBe(net.subnets[0]!.gateway);
    expect(ep.dnsServers).toEqual([net.subnets[0]!.gateway]);
  });

  it('a container on it reaches the internet through the ICS NAT', async () => {
    const r = await runScript(`${PC}\nclient bing --ip 204.79.197.200 --internet\ndocker run -d --name a --network "Default Switch" img\ndocker exec a curl http://bing/`, { seed: 1 });
    expect(r.steps.at(-1)!.output).toMatch(/<title>IIS Windows Server<\/title>/);
  });

  it('the range changes at a boot', () => {
    const r = runOk(`${PC}\ndocker network ls\nRestart-Computer\nRestart-Computer`);
    const before = runOk(`${PC}\ndocker network ls`).world.hosts[0]!.networks.find((n) => n.name === 'Default Switch')!.subnets[0]!.prefix;
    expect(r.world.hosts[0]!.networks.find((n) => n.name === 'Default Switch')!.subnets[0]!.prefix).not.toBe(before);
  });

  it('only on the Windows 10 profiles after the seed; published ports on it are refused in plain words (not established)', () => {
    for (const os of ['ws2016', 'win10-1703', 'ws2019', 'ws2022']) expect(runOk(`host h --os ${os}\ndocker network ls`).last.output).not.toContain('Default Switch');
    expect(run(`${PC}\ndocker run -d --network "Default Switch" -p 8080:80 img`).last.error).toMatch(/Packet Path does not simulate published ports on the Default Switch \(ics\) network/);
  });
});
