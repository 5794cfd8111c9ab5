import { describe, expect, it } from 'vitest';
import { endpoints, firewallRules, networks, publishedPorts, winNats } from '../../src/model/index.js';
import { parseCidr } from '../../src/addr.js';
import { run, runOk } from './model-helpers.js';

describe('default world and the default nat network', () => {
  it('a script without `host` runs on host1 (ws2019, Ethernet 10.0.0.10/24, gateway 10.0.0.1)', () => {
    const { world } = runOk('docker network ls');
    expect(world.hosts.map((h) => h.name)).toEqual(['host1']);
    const h = world.hosts[0]!;
    expect(h.os).toBe('ws2019');
    expect(h.nics).toMatchObject([{ name: 'Ethernet', ip: '10.0.0.10/24', mac: '00-15-5D-00-00-0A' }]);
    expect(h.gateway).toBe('10.0.0.1');
  });

  it('the engine starts on the first docker command with nat (internal vSwitch, vEthernet (nat) at .1, WinNAT) and none', () => {
    const { world } = runOk('docker network ls');
    const nets = networks(world, 'host1');
    expect(nets.map((n) => [n.name, n.driver])).toEqual([['nat', 'nat'], ['none', 'null']]);
    const nat = nets[0]!;
    const p = parseCidr(nat.subnets[0]!.prefix)!.prefix;
    expect(p.len).toBe(20);
    // a /20 inside 172.16.0.0/12
    expect(parseCidr('172.16.0.0/12')!.prefix.base <= p.base && p.base < parseCidr('172.32.0.0/12')!.prefix.base).toBe(true);
    expect(nat.subnets[0]!.gateway).toBe(nat.subnets[0]!.prefix.replace(/0\/20$/, '1'));
    const sw = world.hosts[0]!.vswitches.find((s) => s.name === 'nat')!;
    expect(sw.type).toBe('Internal');
    expect(sw.hostVnic).toMatchObject({ name: 'vEthernet (nat)', ip: `${nat.subnets[0]!.gateway}/20` });
    expect(winNats(world, 'host1')).toMatchObject([{ internalPrefix: `${nat.subnets[0]!.gateway}/20` }]);
  });

  it('the /20 is deterministic for a seed and host name, and differs between hosts', () => {
    const a = runOk('docker network ls', { seed: 7 }).world;
    const b = runOk('docker network ls', { seed: 7 }).world;
    expect(networks(a, 'host1')[0]!.subnets).toEqual(networks(b, 'host1')[0]!.subnets);
    const two = runOk('host a\ndocker network ls\nhost b\ndocker network ls', { seed: 7 }).world;
    expect(networks(two, 'a')[0]!.subnets[0]!.prefix).not.toBe(networks(two, 'b')[0]!.subnets[0]!.prefix);
  });

  it('ws2016 uses the seed prefix 172.16.0.0/16; --fixed-cidr overrides the choice', () => {
    const w16 = runOk('host h --os ws2016\ndocker network ls').world;
    expect(networks(w16, 'h')[0]!.subnets).toEqual([{ prefix: '172.16.0.0/16', gateway: '172.16.0.1' }]);
    const fixed = runOk('host h --fixed-cidr 192.168.50.0/24\ndocker network ls').world;
    expect(networks(fixed, 'h')[0]!.subnets).toEqual([{ prefix: '192.168.50.0/24', gateway: '192.168.50.1' }]);
  });

  it('containers get distinct addresses anywhere in the nat prefix (HNS style), MACs from the network pool, DNS = gateway then host DNS', () => {
    const { world } = runOk('host h --fixed-cidr 172.20.0.0/16\ndocker run -d --name a img\ndocker run -d --name b img');
    const eps = endpoints(world, 'h');
    for (const e of eps) {
      expect(e.ip).toMatch(/^172\.20\.\d+\.\d+$/);
      expect(['172.20.0.0', '172.20.0.1', '172.20.255.255']).not.toContain(e.ip);
      expect(e.prefixLen).toBe(16);
    }
    expect(eps[0]!.ip).not.toBe(eps[1]!.ip);
    const pool = networks(world, 'h')[0]!.macPool;
    expect(pool.start).toMatch(/^00-15-5D-[0-9A-F]{2}-[0-9A-F]0-00$/);
    expect(pool.end).toBe(pool.start.replace(/0-00$/, 'F-FF'));
    for (const e of eps) expect(e.mac.slice(0, 12)).toBe(pool.start.slice(0, 12));
    expect(eps[0]!.mac).not.toBe(eps[1]!.mac);
    expect(eps[0]!.dnsServers).toEqual(['172.20.0.1', '10.0.0.1']);
    expect(eps[0]!.compartmentId).not.toBe(eps[1]!.compartmentId);
  });
});

describe('a host whose own address lies in the default nat prefix', () => {
  // OneGet/MicrosoftDockerProvider #8 (Microsoft, 2016): on Windows Server 2016 the engine's first run
  // creates the default nat with 172.16.0.0/12's prefix, and "a problem arises when your container host
  // is in the same IP prefix": Docker does not start. moby #25097: from then on HNS picks a prefix that
  // does not overlap the host's interfaces when none is asked for.
  it('ws2016: the engine does not start, and says why at the docker command (was an internal error at the first curl)', () => {
    const r = run('host old --os ws2016 --ip 172.16.5.5/12\ndocker run -d --name web -p 8080:80 microsoft/iis');
    expect(r.last.ok).toBe(false);
    expect(r.last.error).toMatch(/172\.16\.0\.0\/16 .*172\.16\.5\.5\/12/);
    expect(r.last.error).toMatch(/fixed-cidr/);
    expect(r.world.hosts[0]!.engine).toBeFalsy();
    // The engine is not running: the next docker command fails alike.
    expect(run('docker network ls', { world: r.world }).last.error).toBe(r.last.error);
    // With another prefix given, it starts.
    expect(run('host old --os ws2016 --ip 172.16.5.5/12 --fixed-cidr 10.99.0.0/16\ndocker run -d --name web -p 8080:80 microsoft/iis').last.ok).toBe(true);
  });
  it('later versions: HNS picks a prefix beside the host\'s', () => {
    const r = runOk('host h --os ws2019 --ip 172.16.5.5/16\ndocker network ls');
    const nat = networks(r.world, 'h').find((n) => n.name === 'nat')!;
    expect(parseCidr(nat.subnets[0]!.prefix)!.prefix.base >>> 16).not.toBe(0xac10);
  });
});

describe('docker network create -d nat', () => {
  it('creates a nat network with its own vSwitch, vNIC and WinNAT (multiple NAT from win10-1703)', () => {
    const r = runOk('docker network create -d nat --subnet=192.168.10.0/24 --gateway=192.168.10.1 mynat');
    expect(r.last.output).toMatch(/^[0-9a-f]{64}$/);
    const h = r.world.hosts[0]!;
    expect(h.vswitches.map((s) => s.name)).toEqual(['nat', 'mynat']);
    expect(winNats(r.world, 'host1').map((w) => w.internalPrefix)).toContain('192.168.10.1/24');
    expect(h.winnats).toHaveLength(2);
  });

  it('a nat network without --subnet gets a free /20 on multi-NAT hosts', () => {
    const r = runOk('docker network create -d nat second');
    const subs = networks(r.world, 'host1').filter((n) => n.driver === 'nat').map((n) => n.subnets[0]!.prefix);
    expect(subs).toHaveLength(2);
    expect(subs[0]).not.toBe(subs[1]);
    expect(subs[1]).toMatch(/\/20$/);
  });

  it('the default driver of the Docker CLI is bridge, which Windows does not have', () => {
    const r = run('docker network create foo');
    expect(r.last.ok).toBe(false);
    expect(r.last.error).toBe('Error response from daemon: plugin "bridge" not found');
    expect(run('docker network create -d macvlan foo').last.error).toBe('Error response from daemon: plugin "macvlan" not found');
  });

  it('refuses a name in use and predefined names, and removing nat', () => {
    expect(run('docker network create -d nat x\ndocker network create -d nat x').last.error).toBe('Error response from daemon: network with name x already exists');
    expect(run('docker network rm nat').last.error).toBe('Error response from daemon: nat is a pre-defined network and cannot be removed');
    expect(run('docker network rm none').last.error).toBe('Error response from daemon: none is a pre-defined network and cannot be removed');
    expect(run('docker network create -d nat nat').last.error).toBe('Error response from daemon: operation is not permitted on predefined nat network ');
  });

  it('overlapping nat prefixes and prefixes over the host address are refused by HNS', () => {
    const r = run('docker network create -d nat --subnet 192.168.1.0/24 a\ndocker network create -d nat --subnet 192.168.0.0/16 b');
    expect(r.last.error).toBe('Error response from daemon: failed during hnsCallRawResponse: hnsCall failed in Win32: The object already exists. (0x1392)');
    expect(run('docker network create -d nat --subnet 10.0.0.0/24 c').last.error).toBe('Error response from daemon: failed during hnsCallRawResponse: hnsCall failed in Win32: The parameter is incorrect. (0x57)');
  });

  it('IPAM errors are the Docker CLI\'s, before any request (gateway outside the subnet, gateway without subnet)', () => {
    expect(run('docker network create -d nat --subnet=172.16.2.0/24 --gateway=172.16.1.1 n').last.error).toBe('no matching subnet for gateway 172.16.1.1');
    expect(run('docker network create -d nat --gateway=172.16.1.1 n').last.error).toBe('every ip-range or gateway must have a corresponding subnet');
    expect(run('docker network create -d nat --subnet=300.1.1.0/24 n').last.error).toBe('invalid CIDR address: 300.1.1.0/24');
  });

  it('network rm prints the name, refuses a network with endpoints, and frees the switch and WinNAT', () => {
    const busy = run('docker network create -d nat --subnet 192.168.7.0/24 n\ndocker run -d --network n --name c img\ndocker network rm n');
    expect(busy.last.error).toMatch(/^Error response from daemon: error while removing network: network n id [0-9a-f]{64} has active endpoints$/);
    const r = runOk('docker network create -d nat --subnet 192.168.7.0/24 n\ndocker network rm n');
    expect(r.last.output).toBe('n');
    expect(r.world.hosts[0]!.vswitches.map((s) => s.name)).toEqual(['nat']);
    expect(r.world.hosts[0]!.winnats).toHaveLength(1);
  });

  it('network prune removes unused user networks only', () => {
    const r = runOk('docker network create -d nat --subnet 192.168.7.0/24 a\ndocker network create -d nat --subnet 192.168.8.0/24 b\ndocker run -d --network b img\ndocker network prune -f');
    expect(r.last.output).toBe('Deleted Networks:\na\n');
    expect(networks(r.world, 'host1').map((n) => n.name)).toEqual(['nat', 'none', 'b']);
  });
});

describe('ws2016: one WinNAT, extra nat networks must partition its prefix (tip 10)', () => {
  const ws16 = 'host h --os ws2016\n';

  it('the seed\'s first example works: 172.16.1.0/24 inside 172.16.0.0/16 shares the single WinNAT', () => {
    const r = runOk(`${ws16}docker network create -d nat --subnet=172.16.1.0/24 --gateway=172.16.1.1 CustomNat1`);
    expect(r.last.ok).toBe(true);
    expect(winNats(r.world, 'h')).toHaveLength(1);
    expect(winNats(r.world, 'h')[0]!.internalPrefix).toBe('172.16.0.1/16');
    expect(winNats(r.world, 'h')[0]!.networks).toHaveLength(2);
  });

  it('the seed\'s second example gives a gateway outside its subnet: Docker\'s IPAM error, nothing created', () => {
    const r = run(`${ws16}docker network create -d nat --subnet=172.16.1.0/24 --gateway=172.16.1.1 CustomNat1\ndocker network create -d nat --subnet=172.16.2.0/24 --gateway=172.16.1.1 CustomNat2`);
    expect(r.last.ok).toBe(false);
    expect(r.last.error).toBe('no matching subnet for gateway 172.16.1.1');
    expect(networks(r.world, 'h').map((n) => n.name)).toEqual(['nat', 'none', 'CustomNat1']);
    // the corrected command works
    const fixed = run('docker network create -d nat --subnet=172.16.2.0/24 --gateway=172.16.2.1 CustomNat2', { world: r.world });
    expect(fixed.last.ok).toBe(true);
  });

  it('a prefix outside the internal prefix fails in HNS (moby #29207), as does a nat network without --subnet', () => {
    expect(run(`${ws16}docker network create -d nat --subnet=192.168.1.0/24 n`).last.error).toBe('Error response from daemon: HNS failed with error : Unspecified error');
    expect(run(`${ws16}docker network create -d nat n`).last.error).toBe('Error response from daemon: HNS failed with error : Unspecified error');
  });

  it('containers on the default nat avoid addresses of the partitions', () => {
    const r = runOk(`${ws16}docker network create -d nat --subnet=172.16.0.0/24 --gateway=172.16.0.1 p\ndocker run -d --name a img`);
    const a = endpoints(r.world, 'h').find((e) => e.container === 'a')!;
    expect(parseCidr(`${a.ip}/32`)!.ip >= parseCidr('172.16.1.0/32')!.ip).toBe(true);
  });
});

describe('published ports on nat: WinNAT static mappings and firewall rules', () => {
  it('-p HOST:CONT creates a static mapping to the container and an allow rule', () => {
    const r = runOk('docker run -d --name web -p 8080:80 -p 5353:53/udp img');
    const m = winNats(r.world, 'host1')[0]!.staticMappings;
    const ip = endpoints(r.world, 'host1')[0]!.ip;
    expect(m.map((x) => [x.protocol, x.externalPort, x.internalIp, x.internalPort])).toEqual([['TCP', 8080, ip, 80], ['UDP', 5353, ip, 53]]);
    expect(m[0]!.line).toBe(1);
    const rules = firewallRules(r.world, 'host1').host.filter((x) => x.origin === 'publish');
    expect(rules.map((x) => [x.protocol, x.localPorts, x.action])).toEqual([['TCP', '8080', 'Allow'], ['UDP', '5353', 'Allow']]);
    expect(publishedPorts(r.world, 'host1').map((p) => [p.hostPort, p.via])).toEqual([[8080, 'winnat'], [5353, 'winnat']]);
  });

  it('-p CONT alone gets a port chosen by HNS', () => {
    const r = runOk('docker run -d -p 80 img');
    expect(winNats(r.world, 'host1')[0]!.staticMappings[0]!.externalPort).toBeGreaterThan(49151);
  });

  it('refuses a host IP and a host port range when it creates the endpoint, at the start (the Windows shim\'s texts)', () => {
    // libnetwork v20.10.24 drivers/windows/windows.go CreateEndpoint → ConvertPortBindings: the range
    // check first, then the host IP; network.go wraps it as "failed to create endpoint NAME on network NET"
    // (pasted in dotnet/runtime #96954: `docker run -p 127.0.0.1:3000:3000 webdckq`).
    const ip = run('docker run -d --name a -p 10.0.0.10:80:80 img\ndocker ps -a --format "{{.Names}} {{.Status}}"\ndocker inspect -f "{{json .HostConfig.PortBindings}}" a');
    expect(ip.outcomes[0]!.error).toBe('docker: Error response from daemon: failed to create endpoint a on network nat: Windows does not support host IP addresses in NAT settings.');
    expect(ip.outcomes[0]!.output).toMatch(/^[0-9a-f]{64}$/);
    expect(ip.outcomes[1]!.output).toBe('a Created');
    expect(ip.last.output).toBe('{"80/tcp":[{"HostIp":"10.0.0.10","HostPort":"80"}]}');
    expect(ip.world.hosts[0]!.winnats[0]!.staticMappings).toHaveLength(0);
    const range = run('docker run -d --name b -p 8080-8081:80 img\ndocker inspect -f "{{json .HostConfig.PortBindings}}" b');
    expect(range.outcomes[0]!.error).toBe('docker: Error response from daemon: failed to create endpoint b on network nat: Windows does not support more than one host port in NAT settings.');
    expect(range.last.output).toBe('{"80/tcp":[{"HostIp":"","HostPort":"8080-8081"}]}');
    // 0.0.0.0 is the unspecified address: accepted. Both wrong: the range is reported.
    expect(run('docker run -d -p 0.0.0.0:80:80 img').last.ok).toBe(true);
    expect(run('docker run -d --name c -p 10.0.0.10:8080-8081:80 img').last.error).toContain('more than one host port');
    // Every Windows driver converts the bindings: a transparent network refuses them too; --rm leaves nothing.
    const t = run('docker network create -d transparent t\ndocker run -d --rm --name d --network t -p 10.0.0.10:80:80 img\ndocker ps -a -q');
    expect(t.outcomes[1]!.error).toBe('docker: Error response from daemon: failed to create endpoint d on network t: Windows does not support host IP addresses in NAT settings.');
    expect(t.last.output).toBe('');
  });

  it('one external port maps to one endpoint; stop releases it', () => {
    const dup = run('docker run -d --name a -p 8080:80 img\ndocker run -d --name b -p 8080:80 img');
    expect(dup.last.ok).toBe(false);
    expect(dup.last.error).toContain('The object already exists.');
    const r = runOk('docker run -d --name a -p 8080:80 img\ndocker stop a\ndocker run -d --name b -p 8080:80 img');
    expect(winNats(r.world, 'host1')[0]!.staticMappings).toHaveLength(1);
    expect(r.world.hosts[0]!.firewall.filter((x) => x.origin === 'publish')).toHaveLength(1);
  });

  it('ws2016 has no NAT loopback; later profiles do', async () => {
    const { hostViews } = await import('../../src/model/index.js');
    expect(hostViews(runOk('host h --os ws2016\ndocker ps').world)[0]!.natLoopback).toBe(false);
    expect(hostViews(runOk('docker ps').world)[0]!.natLoopback).toBe(true);
  });
});
