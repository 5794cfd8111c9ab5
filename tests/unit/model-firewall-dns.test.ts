import { describe, expect, it } from 'vitest';
import { aclPolicies, endpoints, firewallRules, resolveName } from '../../src/model/index.js';
import { run, runOk } from './model-helpers.js';

describe('Windows Firewall model', () => {
  it('defaults per profile: ws2016/1703 block all inbound; from 1709 allow TCP/UDP/ICMP/IGMP and block the rest', () => {
    const inbound = (os: string) => firewallRules(runOk(`host h --os ${os}\ndocker ps`).world, 'h').host.filter((r) => r.direction === 'In').map((r) => `${r.action} ${r.protocol}`);
    expect(inbound('ws2016')).toEqual(['Block Any']);
    expect(inbound('win10-1703')).toEqual(['Block Any']);
    for (const os of ['ws1709', 'ws2019', 'ws2022']) expect(inbound(os)).toEqual(['Allow TCP', 'Allow UDP', 'Allow ICMPv4', 'Allow IGMP', 'Block Any']);
    expect(firewallRules(runOk('docker ps').world, 'host1').host.filter((r) => r.direction === 'Out').map((r) => r.action)).toEqual(['Allow']);
  });

  it('netsh advfirewall inside a container adds a rule to that compartment, with its script line; delete removes it', () => {
    const r = runOk('docker run -d --name web img\ndocker run -d --name other img\ndocker exec web netsh advfirewall firewall add rule name="block80" dir=in action=block protocol=TCP localport=80');
    expect(r.last.output).toBe('Ok.\n');
    const fw = firewallRules(r.world, 'host1');
    const web = fw.compartments.find((c) => c.container === 'web')!;
    expect(web.rules.filter((x) => x.origin === 'user')).toMatchObject([{ name: 'block80', direction: 'In', action: 'Block', protocol: 'TCP', localPorts: '80', line: 3 }]);
    expect(fw.compartments.find((c) => c.container === 'other')!.rules.some((x) => x.origin === 'user')).toBe(false);
    expect(fw.host.some((x) => x.origin === 'user')).toBe(false);
    const del = run('docker exec web netsh advfirewall firewall delete rule name=block80', { world: r.world });
    expect(del.last.output).toBe('\nDeleted 1 rule(s).\nOk.\n');
    expect(run('docker exec web netsh advfirewall firewall delete rule name=block80', { world: r.world }).last.error).toBe('\nNo rules match the specified criteria.\n');
  });

  it('netsh validation: ports only with TCP/UDP; dir and action values', () => {
    expect(run('netsh advfirewall firewall add rule name=x dir=in action=allow protocol=icmpv4 localport=80').last.error).toMatch(/Ports can only be specified when protocol=TCP or UDP/);
    expect(run('netsh advfirewall firewall add rule name=x dir=sideways action=allow').last.error).toMatch(/'dir' must be 'in' or 'out'/);
  });

  it('New-NetFirewallRule on the host; Remove-NetFirewallRule', () => {
    const r = runOk('New-NetFirewallRule -DisplayName "Allow 80" -Direction Inbound -Action Allow -Protocol TCP -LocalPort 80');
    expect(r.last.output).toMatch(/DisplayName\s+: Allow 80\n/);
    expect(firewallRules(r.world, 'host1').host.filter((x) => x.origin === 'user')).toMatchObject([{ name: 'Allow 80', protocol: 'TCP', localPorts: '80', line: 1 }]);
    runOk('Remove-NetFirewallRule -DisplayName "Allow 80"', { world: r.world });
    expect(firewallRules(r.world, 'host1').host.some((x) => x.origin === 'user')).toBe(false);
  });

  it('HNS ACL policies exist on VFP/transparent endpoints, not on nat (WinNAT + firewall there)', () => {
    const r = runOk('docker run -d --name n img\ndocker network create -d transparent --subnet 10.0.0.0/24 --gateway 10.0.0.1 t\ndocker run -d --name t --network t --ip 10.0.0.60 img');
    expect(aclPolicies(r.world, 'host1').map((a) => a.container)).toEqual(['t']);
  });
});

describe('service discovery per driver (SPEC §3 table)', () => {
  it('nat: containers on the same network and host resolve by name, alias and short ID; other networks do not', () => {
    const r = runOk('docker network create -d nat --subnet 192.168.20.0/24 other\ndocker run -d --name web --network-alias www img\ndocker run -d --name db img\ndocker run -d --name far --network other img');
    const eps = endpoints(r.world, 'host1');
    const web = eps.find((e) => e.container === 'web')!;
    const db = eps.find((e) => e.container === 'db')!;
    expect(resolveName(r.world, web.id, 'db')).toEqual({ found: true, ips: [db.ip], kind: 'container', name: 'db', server: web.gateway });
    expect(resolveName(r.world, db.id, 'www')).toMatchObject({ found: true, ips: [web.ip] });
    expect(resolveName(r.world, db.id, r.world.hosts[0]!.containers[0]!.id.slice(0, 12))).toMatchObject({ found: true, ips: [web.ip] });
    expect(resolveName(r.world, web.id, 'far')).toEqual({ found: false, reason: 'not-found', forwardTo: ['10.0.0.1'] });
  });

  it('nat: no discovery across hosts', () => {
    const r = runOk('host a\ndocker run -d --name x img\nhost b\ndocker run -d --name y img');
    const y = endpoints(r.world, 'b')[0]!;
    expect(resolveName(r.world, y.id, 'x').found).toBe(false);
  });

  it('the network DNS suffix is stripped from a query', () => {
    const r = runOk('docker network create -d nat -o com.docker.network.windowsshim.dnssuffix=corp.local n\ndocker run -d --name a --network n img\ndocker run -d --name b --network n img');
    const a = endpoints(r.world, 'host1').find((e) => e.container === 'a')!;
    expect(resolveName(r.world, a.id, 'b.corp.local')).toMatchObject({ found: true, name: 'b' });
  });

  it('transparent and l2bridge: no Docker DNS; queries go to the network DNS servers', () => {
    const r = runOk('host h --nic "Ethernet" --ip 10.0.0.10/24 --nic "Ethernet 2"\ndocker network create -d transparent --subnet 10.0.0.0/24 --gateway 10.0.0.1 -o com.docker.network.windowsshim.dnsservers=10.0.0.53 t\ndocker run -d --name a --network t --ip 10.0.0.60 img\ndocker run -d --name b --network t --ip 10.0.0.61 img\ndocker network create -d l2bridge --subnet 10.0.0.0/24 --gateway 10.0.0.1 -o com.docker.network.windowsshim.interface="Ethernet 2" l2\ndocker run -d --name c --network l2 img\ndocker run -d --name d --network l2 img');
    const a = endpoints(r.world, 'h').find((e) => e.container === 'a')!;
    expect(resolveName(r.world, a.id, 'b')).toEqual({ found: false, reason: 'no-service-discovery', forwardTo: ['10.0.0.53'] });
    const c = endpoints(r.world, 'h').find((e) => e.container === 'c')!;
    expect(resolveName(r.world, c.id, 'd')).toEqual({ found: false, reason: 'no-service-discovery', forwardTo: [] });
  });

  it('an unknown endpoint resolves nothing', () => {
    expect(resolveName(runOk('docker ps').world, 'nope', 'x')).toEqual({ found: false, reason: 'no-endpoint', forwardTo: [] });
  });
});

describe('published ports open their port', () => {
  it('on the host (nat) and in the container compartment (any driver), removed at stop', () => {
    const r = runOk('host h --os ws2016\ndocker run -d --name web -p 8080:80 img');
    const fw = firewallRules(r.world, 'h');
    expect(fw.host.filter((x) => x.origin === 'publish').map((x) => x.localPorts)).toEqual(['8080']);
    expect(fw.compartments[0]!.rules.filter((x) => x.origin === 'publish').map((x) => [x.direction, x.action, x.protocol, x.localPorts, x.line])).toEqual([['In', 'Allow', 'TCP', '80', 2]]);
    runOk('docker stop web', { world: r.world });
    expect(r.world.hosts[0]!.containers[0]!.firewall).toEqual([]);
    expect(r.world.hosts[0]!.firewall).toEqual([]);
  });
});
