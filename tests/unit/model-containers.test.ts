import { describe, expect, it } from 'vitest';
import { containers, endpoints, networks } from '../../src/model/index.js';
import { execute } from '../../src/model/index.js';
import { dockerCmd, run, runOk } from './model-helpers.js';

const HELP = "\nSee 'docker run --help'.";

describe('container lifecycle', () => {
  it('run -d prints the 64-hex ID; run without -d prints nothing; names default to adjective_surname', () => {
    const r = runOk('docker run -d --name a img\ndocker run img');
    expect(r.outcomes[0]!.output).toMatch(/^[0-9a-f]{64}$/);
    expect(r.last.output).toBe('');
    expect(containers(r.world, 'host1')[1]!.name).toMatch(/^[a-z]+_[a-z]+$/);
  });

  it('stop deletes the endpoints (state exited 1067), start makes new ones in a new compartment, rm removes', () => {
    const r = runOk('docker run -d --name a img\ndocker stop a');
    expect(r.last.output).toBe('a');
    const c = r.world.hosts[0]!.containers[0]!;
    expect(c).toMatchObject({ state: 'exited', exitCode: 1067 });
    expect(endpoints(r.world, 'host1')).toHaveLength(0);
    const comp = c.compartmentId;
    runOk('docker start a', { world: r.world });
    expect(endpoints(r.world, 'host1')).toHaveLength(1);
    expect(r.world.hosts[0]!.containers[0]!.compartmentId).toBeGreaterThan(comp);
    expect(run('docker rm a', { world: r.world }).last.error).toMatch(/^Error response from daemon: You cannot remove a running container [0-9a-f]{64}\. Stop the container before attempting removal or force remove$/);
    expect(run('docker rm -f a', { world: r.world }).last.output).toBe('a');
    expect(containers(r.world, 'host1')).toHaveLength(0);
  });

  it('Docker\'s errors for unknown containers and networks, name conflicts', () => {
    expect(run('docker stop nope').last.error).toBe('Error response from daemon: No such container: nope');
    expect(run('docker start nope').last.error).toBe('Error response from daemon: No such container: nope\nError: failed to start containers: nope');
    expect(run('docker inspect nope').last.error).toBe('Error: No such object: nope');
    expect(run('docker network inspect nope').last.error).toBe('Error: No such network: nope');
    expect(run('docker run -d --network nope img').last.error).toBe(`docker: Error response from daemon: network nope not found.`);
    expect(run('docker run -d --name a img\ndocker run -d --name a img').last.error).toMatch(/^docker: Error response from daemon: Conflict\. The container name "\/a" is already in use by container "[0-9a-f]{64}"\. You have to remove \(or rename\) that container to be able to reuse that name\.\nSee 'docker run --help'\.$/);
  });

  it('a failing command leaves the world exactly as it was', () => {
    const r = runOk('docker run -d --name a -p 80:80 img');
    const before = JSON.stringify(r.world);
    // A name in use fails at the create (moby daemon/create.go); a start failure keeps the create (model-run-created.test.ts).
    const f = run('docker run -d --name a -p 81:80 img', { world: r.world });
    expect(f.last.ok).toBe(false);
    expect(JSON.stringify(r.world)).toBe(before);
    // A start that fails in HNS (the port held) undoes everything it did.
    expect(run('docker run -d --name b -p 80:80 img', { world: r.world }).last.ok).toBe(false);
    const created = JSON.stringify(r.world);
    expect(run('docker start b', { world: r.world }).last.error).toContain('The object already exists.');
    expect(JSON.stringify(r.world)).toBe(created);
  });

  it('network connect/disconnect on a stopped container take effect at the next start', () => {
    const r = runOk('docker network create -d nat --subnet 192.168.9.0/24 n2\ndocker run -d --name c img\ndocker stop c\ndocker network connect n2 c\ndocker start c');
    expect(endpoints(r.world, 'host1').map((e) => e.network)).toEqual(['nat', 'n2']);
    expect(run('docker network connect n2 c', { world: r.world }).last.error).toBe('Error response from daemon: endpoint with name c already exists in network n2');
    expect(run('docker network disconnect nope c', { world: r.world }).last.error).toBe('Error response from daemon: network nope not found');
  });

  it('--network none gives no endpoint; --network host is not supported', () => {
    expect(endpoints(runOk('docker run -d --network none img').world, 'host1')).toHaveLength(0);
    expect(run('docker run -d --network host img').last.error).toBe(`docker: Error response from daemon: network host not found.${HELP}`);
  });
});

describe('unsupported options (SPEC §3): refused with the daemon\'s text, or accepted with a warning naming the option', () => {
  it('docker run: --link warns, --ip6 is refused, --dns-option warns, a second --dns-search warns and only the first is used', () => {
    const link = runOk('docker run -d --name a img\ndocker run -d --link a:db img');
    expect(link.last.warnings[0]).toMatch(/^--link has no effect on Windows/);
    expect(run('docker run -d --ip6 fd00::5 img').last.error).toBe(`docker: Error response from daemon: user specified IP address is supported only when connecting to networks with user configured subnets.${HELP}`);
    expect(runOk('docker run -d --dns-option ndots:2 img').last.warnings[0]).toMatch(/^--dns-option has no effect on Windows/);
    const ds = runOk('docker run -d --dns-search a.com --dns-search b.com img');
    expect(ds.last.warnings[0]).toMatch(/^--dns-search: Windows supports one DNS search domain; only "a\.com" is used/);
    expect(endpoints(ds.world, 'host1')[0]!.dnsSearch).toEqual(['a.com']);
  });

  it('docker network create: --internal, --aux-address, --ipam-opt and --ipam-driver default warn; --ip-range, --ipv6 and a v6 subnet are refused', () => {
    const w = (cmd: string) => runOk(cmd).last.warnings;
    expect(w('docker network create -d nat --internal n')[0]).toMatch(/^--internal has no effect on Windows/);
    expect(w('docker network create -d nat --subnet 192.168.3.0/24 --aux-address a=192.168.3.5 n')[0]).toMatch(/^--aux-address has no effect on Windows/);
    expect(w('docker network create -d nat --ipam-opt x=y n')[0]).toMatch(/^--ipam-opt has no effect on Windows/);
    expect(w('docker network create -d nat --ipam-driver default n')[0]).toMatch(/^--ipam-driver has no effect on Windows/);
    expect(run('docker network create -d nat --ipam-driver foo n').last.error).toBe('Error response from daemon: plugin "foo" not found');
    const ipam = "Error response from daemon: this request is not supported by the 'windows' ipam driver";
    expect(run('docker network create -d nat --subnet 192.168.3.0/24 --ip-range 192.168.3.128/25 n').last.error).toBe(ipam);
    expect(run('docker network create -d nat --ipv6 n').last.error).toBe(ipam);
    expect(run('docker network create -d nat --subnet fd00::/64 n').last.error).toBe(ipam);
    // nothing was created by the refused commands
    const r = run('docker network create -d nat --ipv6 n');
    expect(networks(r.world, 'host1').map((n) => n.name)).toEqual(['nat', 'none']);
  });

  it('--internal is accepted and recorded, but the network keeps connectivity (the shim never reads it)', () => {
    const r = runOk('docker network create -d nat --internal n\ndocker network inspect n');
    expect(JSON.parse(r.last.output)[0].Internal).toBe(true);
  });
});

describe('driver options (-o com.docker.network.windowsshim.*)', () => {
  it('dnssuffix and dnsservers reach the endpoints and ipconfig /all', () => {
    const r = runOk('docker network create -d nat -o com.docker.network.windowsshim.dnssuffix=abc.com -o com.docker.network.windowsshim.dnsservers=4.4.4.4,8.8.8.8 n\ndocker run -d --name c --network n img\ndocker exec c ipconfig /all');
    const ep = endpoints(r.world, 'host1')[0]!;
    expect(ep.dnsSuffix).toBe('abc.com');
    expect(ep.dnsServers).toEqual([ep.gateway, '4.4.4.4', '8.8.8.8']);
    expect(r.last.output).toContain('   Connection-specific DNS Suffix  . : abc.com');
    expect(r.last.output).toContain('   DNS Suffix Search List. . . . . . : abc.com');
    expect(r.last.output).toContain(`   DNS Servers . . . . . . . . . . . : ${ep.gateway}\n                                       4.4.4.4\n                                       8.8.8.8`);
  });

  it('disable_gatewaydns removes Docker\'s DNS from the endpoint', () => {
    const r = runOk('docker network create -d nat -o com.docker.network.windowsshim.disable_gatewaydns=true n\ndocker run -d --network n img');
    expect(endpoints(r.world, 'host1')[0]!.dnsServers).toEqual(['10.0.0.1']);
    expect(run('docker network create -d nat -o com.docker.network.windowsshim.disable_gatewaydns=maybe n').last.error).toBe('Error response from daemon: strconv.ParseBool: parsing "maybe": invalid syntax');
  });

  it('macpool: a start and an end, or the 20.10 error text', () => {
    const r = runOk('docker network create -d nat -o com.docker.network.windowsshim.macpool=00-15-5D-AA-00-00,00-15-5D-AA-00-FF n\ndocker run -d --network n img');
    expect(endpoints(r.world, 'host1')[0]!.mac).toMatch(/^00-15-5D-AA-00-[0-9A-F]{2}$/);
    expect(endpoints(r.world, 'host1')[0]!.mac).not.toBe('00-15-5D-AA-00-00');
    expect(run('docker network create -d nat -o com.docker.network.windowsshim.macpool=00-15-5D-AA-00-00 n').last.error).toBe(
      'Error response from daemon: Invalid mac pool. You must specify both a start range and an end range',
    );
  });

  it('vlanid must parse as an unsigned integer; vsid is recorded', () => {
    expect(run('docker network create -d transparent -o com.docker.network.windowsshim.vlanid=abc t').last.error).toBe('Error response from daemon: strconv.ParseUint: parsing "abc": invalid syntax');
    const r = runOk('docker network create -d transparent -o com.docker.network.windowsshim.vsid=5001 t');
    expect(networks(r.world, 'host1').find((n) => n.name === 't')!.vsid).toBe(5001);
  });

  it('options that do not apply to a driver are accepted with a warning naming them', () => {
    expect(runOk('docker network create -d nat -o com.docker.network.windowsshim.interface=Ethernet n').last.warnings[0]).toMatch(/interface has no effect on a nat network/);
    expect(runOk('docker network create -d nat -o com.docker.network.windowsshim.vlanid=5 n').last.warnings[0]).toMatch(/vlanid has no effect on a nat network/);
  });
});

describe('traffic commands become TrafficRequests after validation', () => {
  it('docker exec C ping/curl/nslookup/Test-NetConnection', () => {
    const r = runOk('docker run -d --name web img\ndocker exec web ping -n 2 -l 100 db\ndocker exec web curl http://db:8080/x\ndocker exec web nslookup db 8.8.8.8\ndocker exec web Test-NetConnection db -Port 80');
    const src = { kind: 'container', host: 'host1', container: 'web' };
    expect(r.outcomes[1]!.traffic).toMatchObject({ tool: 'ping', source: src, target: 'db', protocol: 'icmp', count: 2, size: 100, line: 2 });
    expect(r.outcomes[2]!.traffic).toMatchObject({ tool: 'curl', target: 'db', port: 8080, protocol: 'tcp', url: 'http://db:8080/x', http: { path: '/x' } });
    expect(r.outcomes[3]!.traffic).toMatchObject({ tool: 'nslookup', target: 'db', server: '8.8.8.8', protocol: 'udp', port: 53 });
    expect(r.outcomes[4]!.traffic).toMatchObject({ tool: 'test-netconnection', target: 'db', port: 80, protocol: 'tcp' });
    const ep = endpoints(r.world, 'host1')[0]!;
    expect(r.outcomes[1]!.traffic!.source).toMatchObject({ endpointIds: [ep.id], compartmentId: ep.compartmentId });
  });

  it('validation: unknown container, stopped container, undeclared client', () => {
    expect(run('docker exec nope ping x').last.error).toBe('Error: No such container: nope');
    expect(run('docker run -d --name a img\ndocker stop a\ndocker exec a ping x').last.error).toMatch(/^Error response from daemon: Container [0-9a-f]{64} is not running$/);
    expect(run('client laptop curl http://10.0.0.10/').last.error).toMatch(/client laptop is not declared/);
  });

  it('clients, host-side tools and flood', () => {
    const r = runOk('client laptop --ip 10.0.0.50\nclient remote --ip 203.0.113.9 --internet\nclient laptop curl http://10.0.0.10:8080/\nping -n 1 10.0.0.1\nTest-NetConnection 10.0.0.1 -Port 443\ndocker run -d --name web img\nflood web remote udp/53 --packets 1000 --flows 8');
    expect(r.outcomes[2]!.traffic).toMatchObject({ tool: 'curl', source: { kind: 'client', client: 'laptop', ip: '10.0.0.50', where: 'lan' }, port: 8080 });
    expect(r.outcomes[3]!.traffic).toMatchObject({ tool: 'ping', source: { kind: 'host', host: 'host1' }, count: 1 });
    expect(r.outcomes[4]!.traffic).toMatchObject({ tool: 'test-netconnection', source: { kind: 'host' }, port: 443 });
    expect(r.last.traffic).toMatchObject({ tool: 'flood', protocol: 'udp', port: 53, flood: { packets: 1000, flows: 8, size: 64, destination: { kind: 'client', client: 'remote' } } });
    expect(run('flood nobody x tcp/80').last.error).toMatch(/no running container, client or host named nobody/);
    expect(run('docker run -d --name web img\nflood web x tcp').last.error).toMatch(/tcp needs a port/);
  });

  it('clients must be on the LAN unless --internet', () => {
    expect(run('client c --ip 192.168.99.5').last.error).toMatch(/not on the LAN 10\.0\.0\.0\/24/);
    expect(run('docker ps\nclient c --ip 10.0.0.10').last.error).toMatch(/already used by host host1/);
  });
});

describe('docker compose', () => {
  it('the seed\'s external nat network as default', () => {
    const yml = 'services:\n  web:\n    image: iis\n    ports:\n      - "8080:80"\nnetworks:\n  default:\n    external:\n      name: "nat"\n';
    const r = runOk('docker compose -f app.yml up -d', { files: { 'app.yml': yml } });
    expect(r.last.output).toBe('[+] Running 1/1\n ✔ Container app-web-1  Started');
    expect(endpoints(r.world, 'host1')[0]!.network).toBe('nat');
  });

  it('the seed\'s custom nat network (a partition on ws2016)', () => {
    const yml = 'services:\n  web:\n    image: iis\nnetworks:\n  default:\n    driver: nat\n    ipam:\n      driver: default\n      config:\n      - subnet: 172.16.3.0/24\n';
    const r = runOk('host h --os ws2016\ndocker compose -f app.yml up', { files: { 'app.yml': yml } });
    expect(r.last.warnings).toEqual([]);
    expect(endpoints(r.world, 'h')[0]!).toMatchObject({ network: 'app_default', prefixLen: 24 });
    expect(endpoints(r.world, 'h')[0]!.ip).toMatch(/^172\.16\.3\.\d+$/);
    expect(run('docker compose -f missing.yml up').last.error).toBe('open missing.yml: The system cannot find the file specified.');
  });
});

describe('more daemon and shim error texts (windows-facts §2.5, §3)', () => {
  it('invalid protocol for a published port', () => {
    expect(run('docker run -d -p 80:80/sctp img').last.error).toBe(`docker: Error response from daemon: invalid protocol sctp.${HELP}`);
  });

  it('a v6 subnet with the default IPAM driver is refused by the shim', () => {
    expect(run('docker network create -d nat --ipam-driver default --subnet fd00::/64 n').last.error).toBe("Error response from daemon: windowsshim driver doesn't support v6 subnets");
  });

  it('--ipv4=false is refused', () => {
    const r = run('docker ps');
    const o = execute(r.world, dockerCmd(['network', 'create'], ['n'], [['driver', 'nat'], ['ipv4', 'false']]));
    expect(o.error).toBe('Error response from daemon: IPv4 cannot be disabled on Windows');
  });

  it('sharing another container\'s network stack with Hyper-V isolation', () => {
    expect(run('docker run -d --name a img\ndocker run -d --isolation hyperv --network container:a img').last.error).toBe(
      `docker: Error response from daemon: invalid network-mode: using the network stack of another container is not supported while using Hyper-V Containers.${HELP}`,
    );
  });
});

describe('--mac-address', () => {
  it('the endpoint takes the given MAC (Windows form), kept across a restart; a bad MAC is refused', () => {
    const r = runOk('docker run -d --name a --mac-address 92:d0:c6:0a:29:33 img\ndocker restart a');
    expect(endpoints(r.world, 'host1')[0]!.mac).toBe('92-D0-C6-0A-29-33');
    expect(run('docker run -d --mac-address zz img').last.error).toBe('invalid argument "zz" for "--mac-address" flag: zz is not a valid mac address');
  });
});
