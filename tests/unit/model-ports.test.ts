/**
 * Ports held by something else (issue 9, item 3): the `listen` line declares a host process on a
 * port; HNS then cannot map that port for `docker run -p` on a nat network.
 */
import { describe, expect, it } from 'vitest';
import { runScript } from '../../src/index.js';
import { parseScript } from '../../src/script/parser.js';
import { run, runOk } from './model-helpers.js';

const IIS = 'mcr.microsoft.com/windows/servercore/iis';

describe('listen NAME tcp/PORT', () => {
  it('a published port a host process holds fails in HNS with 0x20 (Azure IoT Edge troubleshooting: "Some other process on the host machine has bound a port")', () => {
    // The failed start leaves web Created (docker/cli v20.10.24 run.go): its name is free again after docker rm.
    const r = run(`host h --os ws2019\nlisten iis tcp/80\ndocker run -d --name web -p 80:80 ${IIS}\ndocker rm web\ndocker run -d --name web -p 8080:80 ${IIS}`);
    expect(r.outcomes[2]!.error).toBe("docker: Error response from daemon: failed to create endpoint web on network nat: failed during hnsCallRawResponse: hnsCall failed in Win32: The process cannot access the file because it is being used by another process. (0x20).");
    expect(r.last.ok).toBe(true);
    // The HNS v1 form of the same error before 1809 (docs/behaviour.md: HNS error form per profile).
    const old = run(`host h --os ws2016\nlisten iis tcp/80\ndocker run -d --name web -p 80:80 ${IIS}`);
    expect(old.last.error).toBe("docker: Error response from daemon: failed to create endpoint web on network nat: HNS failed with error : The process cannot access the file because it is being used by another process.");
  });

  it('a UDP listener does not hold the TCP port', () => {
    expect(runOk(`host h\nlisten dns udp/53\ndocker run -d --name web -p 53:53 ${IIS}`).last.ok).toBe(true);
  });

  it('one owner per port; the parser checks the port', () => {
    expect(run('host h\nlisten iis tcp/80\nlisten other tcp/80').last.error).toBe('listen: tcp/80 on h is already held by iis (line 2)');
    const bad = parseScript('listen iis tcp/99999').diagnostics.filter((d) => d.severity === 'error');
    expect(bad.map((d) => d.message)).toEqual(['invalid port "tcp/99999": expected tcp/PORT or udp/PORT, e.g. tcp/80']);
  });

  it('the host process answers connections to the host, from the LAN and through localhost', async () => {
    const r = await runScript('host h --os ws2019\nlisten iis tcp/80\nclient laptop --ip 10.0.0.50\nclient laptop curl http://10.0.0.10/\ncurl http://localhost/\ncurl http://localhost:81/', { seed: 1 });
    const out = r.steps.slice(-3).map((s) => s.ok);
    expect(out).toEqual([true, true, false]);
    // ws2016's default inbound firewall blocks it from the LAN (SPEC §1 firewall defaults).
    const old = await runScript('host h --os ws2016\nlisten iis tcp/80\nclient laptop --ip 10.0.0.50\nclient laptop curl http://10.0.0.10/', { seed: 1 });
    expect(old.steps.at(-1)!.ok).toBe(false);
  });
});

describe('docker port', () => {
  it('lists the mappings as docker/cli v20.10 prints them, host address 0.0.0.0 as Docker reads it back from HNS (windows.go ParsePortBindingPolicies)', () => {
    const r = run('docker run -d --name web -p 8080:80 -p 5353:53/udp img\ndocker port web\ndocker port web 80\ndocker port web 53/udp\ndocker port web 81\ndocker port web 80 81 82');
    expect(r.outcomes.slice(1).map((o) => o.output || o.error)).toEqual([
      '53/udp -> 0.0.0.0:5353\n80/tcp -> 0.0.0.0:8080',
      '0.0.0.0:8080',
      '0.0.0.0:5353',
      "Error: No public port '81/tcp' published for web",
      `"docker port" requires at least 1 and at most 2 arguments.\nSee 'docker port --help'.\n\nUsage:  docker port CONTAINER [PRIVATE_PORT[/PROTO]]\n\nList port mappings or a specific mapping for the container`,
    ]);
  });
});
