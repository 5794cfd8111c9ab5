import { describe, expect, it } from 'vitest';
import { aclPolicies, endpoints, networks, publishedPorts } from '../../src/model/index.js';
import { deriveHost } from '../../src/sim/derive.js';
import { formatMac } from '../../src/addr.js';
import { run, runOk } from './model-helpers.js';

const nics = 'host h --nic "Ethernet" --ip 10.0.0.10/24 --nic "Ethernet 2" --mac 00-15-5D-00-02-02\n';
const l2 = `${nics}docker network create -d l2bridge --subnet=10.0.0.0/24 --gateway=10.0.0.1 -o com.docker.network.windowsshim.interface="Ethernet 2" l2\n`;

describe('l2bridge', () => {
  it('HNS assigns static addresses from the subnet; no DHCP (tip 6)', () => {
    const r = runOk(`${l2}docker run -d --name a --network l2 img\ndocker run -d --name b --network l2 --ip 10.0.0.77 img`);
    const eps = endpoints(r.world, 'h');
    expect(eps.map((e) => [e.container, e.ip, e.gateway, e.dhcp])).toEqual([['a', '10.0.0.2', '10.0.0.1', null], ['b', '10.0.0.77', '10.0.0.1', null]]);
    // 10.0.0.10 is the host: HNS skips addresses the LAN already uses
    expect(eps.some((e) => e.ip === '10.0.0.10')).toBe(false);
  });

  it('without --subnet the network is created but endpoint creation fails (tip 6: DHCP is unsupported)', () => {
    const r = run(`${nics}docker network create -d l2bridge -o com.docker.network.windowsshim.interface="Ethernet 2" l2\ndocker run -d --network l2 img`);
    expect(r.outcomes[1]!.ok).toBe(true);
    expect(r.last.error).toMatch(/^docker: Error response from daemon: failed to create endpoint [a-z_]+ on network l2: failed during hnsCallRawResponse: hnsCall failed in Win32: The network does not have a subnet for this endpoint\. \(0x803b0020\)\.$/);
    expect(run(`${nics}docker network create -d l2bridge -o com.docker.network.windowsshim.interface="Ethernet 2" l2\ndocker run -d --network l2 --ip 10.0.0.5 img`).last.error).toContain('user specified IP address is supported only when connecting to networks with user configured subnets');
  });

  it('MAC rewrite data: every endpoint shows the host adapter MAC on the wire; VFP extension enabled', () => {
    const r = runOk(`${l2}docker run -d --name a --network l2 img\ndocker run -d --name b --network l2 img`);
    const [rw] = deriveHost(r.world, r.world.hosts[0]).contents.macRewrite;
    expect(formatMac(rw!.hostMac)).toBe('00-15-5D-00-02-02');
    expect(new Set(rw!.endpoints.map((x) => x.mac)).size).toBe(2);
    const ext = run('Get-VMSwitchExtension -VMSwitchName l2 -Name "Microsoft Azure VFP Switch Extension"', { world: r.world });
    expect(ext.last.output).toMatch(/Enabled\s+: True\nRunning\s+: True/);
  });

  it('default ACL policies: allow in/out at priority 65500', () => {
    const r = runOk(`${l2}docker run -d --name a --network l2 img`);
    expect(aclPolicies(r.world, 'h')[0]!.policies.map((p) => [p.direction, p.action, p.priority])).toEqual([['In', 'Allow', 65500], ['Out', 'Allow', 65500]]);
  });

  it('enable_outboundnat adds OutBoundNAT with the exceptions; refused on hosts before 1709', () => {
    const opt = '-o com.docker.network.windowsshim.enable_outboundnat=true -o com.docker.network.windowsshim.outboundnat_exceptions=10.0.0.0/8,192.168.0.0/16';
    const r = runOk(`${nics}docker network create -d l2bridge --subnet=10.0.0.0/24 --gateway=10.0.0.1 -o com.docker.network.windowsshim.interface="Ethernet 2" ${opt} l2\ndocker run -d --network l2 img`);
    expect(endpoints(r.world, 'h')[0]!.outboundNat).toEqual({ exceptions: ['10.0.0.0/8', '192.168.0.0/16'] });
    expect(run(`host h --os ws2016 --nic "Ethernet" --ip 10.0.0.10/24 --nic "Ethernet 2"\ndocker network create -d l2bridge --subnet=10.0.0.0/24 --gateway=10.0.0.1 ${opt} l2`).last.error).toBe(
      'Error response from daemon: Invalid network option. OutboundNat is not supported on this OS version',
    );
    expect(run(`${nics}docker network create -d l2bridge --subnet=10.0.0.0/24 -o com.docker.network.windowsshim.enable_outboundnat=yes l2`).last.error).toBe(
      'Error response from daemon: strconv.ParseBool: parsing "yes": invalid syntax',
    );
  });

  it('published ports use Docker\'s own allocator and a VFP NAT policy; a taken port is refused', () => {
    const r = runOk(`${l2}docker run -d --name a --network l2 -p 8080:80 img`);
    expect(publishedPorts(r.world, 'h')).toMatchObject([{ hostPort: 8080, targetPort: 80, via: 'vfp' }]);
    const dup = run(`${l2}docker run -d --name a --network l2 -p 8080:80 img\ndocker run -d --name b --network l2 -p 8080:80 img`);
    expect(dup.last.error).toMatch(/Bind for 0\.0\.0\.0:8080 failed: port is already allocated/);
  });

  it('l2tunnel is accepted with a warning and marked hair-pin', () => {
    const r = runOk(`${nics}docker network create -d l2tunnel --subnet=10.0.0.0/24 --gateway=10.0.0.1 -o com.docker.network.windowsshim.interface="Ethernet 2" t\ndocker run -d --network t img`);
    expect(r.outcomes[1]!.warnings[0]).toMatch(/only for the Microsoft cloud stack/);
    // No MAC rewrite on l2tunnel: its frames go to the physical host's switch, which knows the container's MAC.
    expect(deriveHost(r.world, r.world.hosts[0]).contents.macRewrite).toEqual([]);
    expect(networks(r.world, 'h').find((n) => n.name === 't')!.driver).toBe('l2tunnel');
  });
});
