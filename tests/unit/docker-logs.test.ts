/**
 * docker logs (issue 9 item 6), Docker 20.10:
 * - docker/cli v20.10.24 cli/command/container/logs.go (flags; a missing container is the client's
 *   objectNotFoundError: "Error: No such container: X", moby client/errors.go);
 * - moby v20.10.24 daemon/logs.go (a container that is not running reads its json-file log, which is
 *   empty for one that never started; --tail through strconv.Atoi, a failure meaning all);
 * - what the IIS/ASP.NET entrypoint prints: microsoft/IIS.ServiceMonitor src/ServiceMonitor
 *   (StopServiceByName "\n Service '%s' has been stopped \n", StartServiceByName "\n Service '%s'
 *   started \n") and pasted runs (IIS.ServiceMonitor #75; dotnet-framework-docker samples README).
 */
import { describe, expect, it } from 'vitest';
import { runScript } from '../../src/index.js';
import { dockerLogs } from '../../src/model/logs.js';
import { parseScript } from '../../src/script/parser.js';
import type { DockerCommand } from '../../src/script/ast.js';
import type { Container, Host } from '../../src/model/types.js';

async function run(lines: string[]) {
  const r = await runScript(['host h --os ws2019', ...lines].join('\n') + '\n', { seed: 1 });
  const at = (i: number) => r.steps.find((x) => x.line === i + 2)!;
  return { out: (i: number) => at(i).output, err: (i: number) => at(i).error, warn: (i: number) => at(i).warnings };
}

const IIS = 'docker run -d --name web mcr.microsoft.com/windows/servercore/iis';

describe('docker logs', () => {
  it('an IIS container: what ServiceMonitor.exe w3svc prints at its start, nothing more', async () => {
    const r = await run([IIS, 'docker logs web', 'docker container logs --tail 1 web', 'docker logs -n 0 web', 'docker logs --tail all web']);
    expect(r.out(1)).toBe("\n Service 'w3svc' has been stopped \n\n Service 'w3svc' started ");
    expect(r.warn(1)).toEqual([]);
    expect(r.out(2)).toBe(" Service 'w3svc' started ");
    expect(r.out(3)).toBe('');
    expect(r.out(4)).toBe(r.out(1));
  });

  it('-t prefixes each line with its time (RFC 3339 with nanoseconds, as the json-file log keeps it)', async () => {
    const r = await run([IIS, 'docker logs -t --tail 1 web']);
    expect(r.out(1)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z  Service 'w3svc' started $/);
  });

  it('an image whose output Packet Path does not know: says so instead of printing nothing in silence', async () => {
    const r = await run(['docker run -d --name n mcr.microsoft.com/windows/nanoserver ping -t localhost', 'docker logs n']);
    expect(r.out(1)).toBe('');
    expect(r.warn(1)[0]).toMatch(/^Packet Path does not know what mcr\.microsoft\.com\/windows\/nanoserver running "ping -t localhost" prints/);
  });

  it('a stopped IIS container: the start lines, and a statement that the stop\'s lines are not simulated', async () => {
    const r = await run([IIS, 'docker stop web', 'docker logs web']);
    expect(r.out(2)).toContain(" Service 'w3svc' started ");
    expect(r.warn(2)[0]).toMatch(/printed when web stopped is not simulated/);
  });

  it('a missing container, --follow, --since: Docker\'s error and plain statements', async () => {
    const r = await run(['docker logs -f nosuch', IIS, 'docker logs -f web', 'docker logs --since 5m web']);
    expect(r.err(0)).toBe('Error: No such container: nosuch');
    expect(r.err(2)).toMatch(/^packet-path: docker logs --follow streams until the container stops/);
    expect(r.err(3)).toMatch(/^packet-path: docker logs --since/);
  });

  it('a container that never started has an empty log', () => {
    const script = parseScript('docker logs c\n');
    const cmd = script.commands[0] as DockerCommand;
    const c = { name: 'c', id: 'a'.repeat(64), image: 'mcr.microsoft.com/windows/servercore/iis', command: '', state: 'created', startedAt: 0 } as unknown as Container;
    const host = { name: 'h', containers: [c] } as unknown as Host;
    expect(dockerLogs(host, cmd)).toEqual({ output: '', warnings: [] });
  });
});
