import { describe, expect, it } from 'vitest';
import { createWorld, execute, hostViews, underlay } from '../../src/model/index.js';
import { run, runOk } from './model-helpers.js';

const SCRIPT = 'docker network create -d nat --subnet 192.168.5.0/24 n\ndocker run -d --name a --network n -p 80:80 img\ndocker run -d img\ndocker inspect a\nGet-HnsEndpoint\nGet-NetNat';

describe('determinism', () => {
  it('the same seed gives the same IDs, MACs, GUIDs and outputs', () => {
    const a = run(SCRIPT, { seed: 42 });
    const b = run(SCRIPT, { seed: 42 });
    expect(a.outcomes.map((o) => o.output)).toEqual(b.outcomes.map((o) => o.output));
    expect(JSON.stringify(a.world)).toBe(JSON.stringify(b.world));
  });

  it('another seed gives other IDs', () => {
    const a = run(SCRIPT, { seed: 1 });
    const b = run(SCRIPT, { seed: 2 });
    expect(a.outcomes[0]!.output).toMatch(/^[0-9a-f]{64}$/);
    expect(a.outcomes[0]!.output).not.toBe(b.outcomes[0]!.output);
  });

  it('a failed command consumes no IDs: what follows is the same as without it', () => {
    const withFail = run('docker network create foo\ndocker run -d img', { seed: 3 });
    const without = run('docker ps\ndocker run -d img', { seed: 3 });
    expect(withFail.outcomes[0]!.ok).toBe(false);
    expect(withFail.last.output).toBe(without.last.output);
  });

  it('IDs have the real shapes: 64-hex Docker IDs, upper-case HNS GUIDs, 00-15-5D MACs', () => {
    const r = runOk('docker run -d --name a img');
    const h = r.world.hosts[0]!;
    expect(h.networks[0]!.id).toMatch(/^[0-9a-f]{64}$/);
    expect(h.networks[0]!.hnsId).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/);
    expect(h.endpoints[0]!.mac).toMatch(/^00-15-5D-[0-9A-F]{2}-[0-9A-F]{2}-[0-9A-F]{2}$/);
  });
});

describe('hosts and the underlay', () => {
  it('host declarations: OS, NICs (the first --ip applies to Ethernet), flags; switching back with `host NAME`', () => {
    const r = runOk('host a --os ws2016 --ip 192.168.1.20/24 --gateway 192.168.1.1 --virtualized --mac-spoofing on --ipv6 off --no-trunk\nhost b --nic "LAN" --ip 192.168.1.21/24 --mac 02-00-00-00-00-21 --nic "Storage"\nhost a');
    const [a, b] = hostViews(r.world);
    expect(a).toMatchObject({ name: 'a', os: 'ws2016', gateway: '192.168.1.1', virtualized: true, macSpoofing: true, ipv6: false, trunk: false, managementIp: '192.168.1.20' });
    expect(a!.nics).toMatchObject([{ name: 'Ethernet', ip: '192.168.1.20/24', mac: '00-15-5D-A8-01-14' }]);
    expect(b!.nics).toMatchObject([{ name: 'LAN', ip: '192.168.1.21/24', mac: '02-00-00-00-00-21' }, { name: 'Storage', ip: null }]);
    expect(b!.gateway).toBe('192.168.1.1');
    expect(r.world.current).toBe('a');
    expect(underlay(r.world)).toMatchObject({ subnet: '192.168.1.0/24', router: '192.168.1.1' });
  });

  it('hosts without --ip get the next free LAN address', () => {
    const r = runOk('host a\nhost b\nhost c');
    expect(hostViews(r.world).map((h) => h.managementIp)).toEqual(['10.0.0.10', '10.0.0.11', '10.0.0.12']);
  });

  it('bad declarations fail clearly', () => {
    const span = { line: 1, column: 1, length: 1 };
    const bad = execute(createWorld({}), { kind: 'sim', verb: 'host', line: 1, span, text: 'host a --os ws2012', args: [{ value: 'a', span }], flags: [{ name: 'os', value: 'ws2012', written: '--os', span }] });
    expect(bad.error).toBe('host: unknown OS profile "ws2012" (one of ws2016, win10-1703, ws1709, win10-1803, win10-1809, ws2019, ws2022, ws2025)');
    expect(run('host a\nhost a --os ws2016').last.error).toMatch(/already declared/);
    expect(run('host a --ip 10.0.0.5').last.error).toMatch(/needs an address with a prefix length/);
  });

  it('lan dhcp and clients', () => {
    const r = runOk('lan dhcp 10.0.0.100-10.0.0.200 --gateway 10.0.0.1\nclient laptop --ip 10.0.0.50\nclient web --ip 93.184.216.34 --internet');
    const u = underlay(r.world);
    expect(u.dhcp).toMatchObject({ first: '10.0.0.100', last: '10.0.0.200', gateway: '10.0.0.1', line: 1 });
    expect(u.clients.map((c) => [c.name, c.where])).toEqual([['laptop', 'lan'], ['web', 'internet']]);
    expect(run('lan dhcp 10.0.1.5-10.0.1.9').last.error).toMatch(/not inside the LAN/);
  });

  it('createWorld starts empty; the default host appears with the first command', () => {
    const w = createWorld({ seed: 5 });
    expect(w.hosts).toEqual([]);
    expect(w.seed).toBe(5);
    const o = execute(w, { kind: 'tool', tool: 'hostname', words: [], flags: [], args: [], line: 1, span: { line: 1, column: 1, length: 8 }, text: 'hostname' });
    expect(o).toEqual({ ok: true, output: 'HOST1', error: null, warnings: [] });
  });
});
