import { describe, it, expect } from 'vitest';
import { parseScript } from '../../src/script/parser.js';
import { createWorld, execute } from '../../src/model/index.js';
import { replaySnapshots } from '../../src/worker/snapshot.js';

const script = `host h1 --os ws2019 --ip 10.0.0.10/24
docker network create -d nat --subnet=172.16.1.0/24 --gateway=172.16.1.1 webnat
docker run -d --name web --network webnat -p 8080:80 microsoft/iis
docker network create -d transparent -o com.docker.network.windowsshim.vlanid=11 tnet
docker run -d --name t1 --network tnet microsoft/nanoserver
host h2 --ip 10.0.0.11/24
docker run -d --name other microsoft/nanoserver
`;

function snaps() {
  const parsed = parseScript(script);
  const steps = parsed.commands.map((c) => ({ line: c.line }));
  return { steps, out: replaySnapshots(script, steps, { seed: 1, files: {} }, { parseScript, createWorld, execute })! };
}

describe('worker snapshots from the model', () => {
  it('records one world per step, each as it was after that step', () => {
    const { steps, out } = snaps();
    expect(out).toHaveLength(steps.length);
    expect(out[0].hosts.map((h) => h.name)).toEqual(['h1']);
    expect(out[1].hosts[0].networks.map((n) => n.name)).toEqual(expect.arrayContaining(['nat', 'webnat']));
    expect(out[1].hosts[0].endpoints).toHaveLength(0);
    expect(out[2].hosts[0].endpoints.map((e) => e.container)).toEqual(['web']);
    expect(out[6].hosts.map((h) => h.name)).toEqual(['h1', 'h2']);
    expect(out[6].hosts[1].endpoints.map((e) => e.container)).toEqual(['other']);
  });

  it('carries switches, VLANs, published ports and the WinNAT static mapping with their lines', () => {
    const { out } = snaps();
    const h1 = out[4].hosts[0];
    const web = h1.endpoints.find((e) => e.container === 'web')!;
    expect(web.ports).toEqual([{ protocol: 'tcp', hostPort: 8080, containerPort: 80 }]);
    expect(web.ip).toMatch(/^172\.16\.1\./);
    expect(web.mac).toMatch(/^00-15-5D-/);
    expect(h1.tables.natMappings.some((m) => m.externalPort === 8080 && m.internalPort === 80 && m.sourceLine === 3)).toBe(true);
    const tnet = h1.networks.find((n) => n.name === 'tnet')!;
    expect(tnet.vlan).toBe(11);
    expect(h1.vSwitches.find((s) => s.name === tnet.vSwitch)?.type).toBe('External');
    expect(out[4].lan.vlans).toEqual([11]);
    expect(h1.vSwitches.find((s) => s.name === 'webnat')?.hostVnic?.ip).toBe('172.16.1.1/24');
  });

  it('keeps earlier snapshots unchanged by later commands', () => {
    const { out } = snaps();
    expect(out[2].hosts[0].networks.some((n) => n.name === 'tnet')).toBe(false);
    expect(out[2].hosts).toHaveLength(1);
  });

  it('gives up when the steps do not line up with the script', () => {
    expect(replaySnapshots(script, [{ line: 99 }], { seed: 1, files: {} }, { parseScript, createWorld, execute })).toBeUndefined();
  });
});
