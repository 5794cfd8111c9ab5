/**
 * `--format` of the Docker CLI (src/model/docker-format.ts): Go's text/tabwriter against its own
 * tests (src/text/tabwriter/tabwriter_test.go, the cases with no flags), and the list and inspect
 * commands against docker/cli v20.10.24 (cli/command/formatter, cli/command/inspect/inspector.go).
 */
import { describe, expect, it } from 'vitest';
import { tabwrite } from '../../src/model/docker-format.js';
import { run, runOk } from './model-helpers.js';

describe("Go's text/tabwriter (tabwriter_test.go; '.', '_' and '-' pad characters read as spaces)", () => {
  const sp = (s: string): string => s.replace(/[._-]/g, ' ');
  it('5c, 7e: a trailing tab ends a cell only when a newline follows', () => {
    expect(tabwrite('*\t*\t', 8, 1)).toBe(sp('*.......*'));
    expect(tabwrite('e) foo\tbar\t\n', 8, 1)).toBe(sp('e) foo..bar.....\n'));
  });
  it('11: widths count characters, not bytes', () => {
    expect(tabwrite('本\tb\tc\naa\t本本本\tcccc\tddddd\naaa\tbbbb\n', 8, 1)).toBe(
      sp('本.......b.......c\naa......本本本.....cccc....ddddd\naaa.....bbbb\n'),
    );
  });
  it('12b, 12c: minwidth and padding', () => {
    expect(tabwrite('a\tb\tc\naa\tbbb\tcccc\naaa\tbbbb\n', 2, 0)).toBe('a  b  c\naa bbbcccc\naaabbbb\n');
    expect(tabwrite('a\tb\tc\naa\tbbb\tcccc\naaa\tbbbb\n', 8, 1)).toBe(sp('a_______b_______c\naa______bbb_____cccc\naaa_____bbbb\n'));
  });
  it('13b: column blocks end where a line has fewer cells', () => {
    const src = '4444\t333\t22\t1\t333\n999999999\t22\n7\t22\n\t\t\t88888888\n\n666666\t666666\t666666\t4444\n1\t1\t999999999\t0000000000\n';
    expect(tabwrite(src, 4, 3)).toBe(sp(
      '4444........333...22...1...333\n999999999...22\n7...........22\n....................88888888\n\n666666...666666...666666......4444\n1........1........999999999...0000000000\n',
    ));
  });
});

const setup = 'docker run -d --name web -p 8080:80 microsoft/iis\ndocker run -d --name db microsoft/nanoserver\n';

describe('docker inspect -f (cli/command/inspect/inspector.go)', () => {
  it('one line per object, the fields of the JSON inspect prints', () => {
    const r = runOk(`${setup}docker inspect -f "{{.Name}} {{.NetworkSettings.Networks.nat.IPAddress}}" web db`);
    const ips = ['web', 'db'].map((n) => r.world.hosts[0]!.endpoints.find((e) => e.containerId === r.world.hosts[0]!.containers.find((c) => c.name === n)!.id)!.ip);
    expect(r.last.output).toBe(`/web ${ips[0]}\n/db ${ips[1]}`);
  });
  it('json, range and index over the same object', () => {
    const r = runOk(`${setup}docker inspect -f "{{json .NetworkSettings.Ports}}|{{range $k, $v := .NetworkSettings.Ports}}{{$k}}={{(index $v 0).HostPort}}{{end}}" web`);
    expect(r.last.output).toBe('{"80/tcp":[{"HostIp":"0.0.0.0","HostPort":"8080"}]}|80/tcp=8080');
  });
  it("nil slices and maps of Docker's structs print as Go prints them", () => {
    const r = runOk(`${setup}docker inspect -f "{{.NetworkSettings.Networks.nat.Links}} {{.NetworkSettings.Networks.nat.DriverOpts}}" web`);
    expect(r.last.output).toBe('[] map[]');
  });
  it('a missing key is the raw fallback error (missingkey=error), after the other objects print', () => {
    const r = run(`${setup}docker inspect -f "{{.State.Health.Status}}" web`);
    expect(r.last.ok).toBe(false);
    expect(r.last.error).toBe('template parsing error: template: :1:8: executing "" at <.State.Health.Status>: map has no entry for key "Health"');
  });
  it('a missing object: the others print, then the error', () => {
    const r = run(`${setup}docker inspect -f "{{.Name}}" web nope`);
    expect(r.last.ok).toBe(false);
    expect(r.last.output).toBe('/web');
    expect(r.last.error).toBe('Error: No such object: nope');
  });
  it('network inspect -f', () => {
    const r = runOk(`${setup}docker network inspect -f "{{.Name}} {{.Driver}} {{range .IPAM.Config}}{{.Subnet}}{{end}}" nat`);
    const nat = r.world.hosts[0]!.networks.find((n) => n.name === 'nat')!;
    expect(r.last.output).toBe(`nat nat ${nat.subnets[0]!.prefix}`);
  });
  it('a template that does not parse is refused before anything runs', () => {
    const r = run(`${setup}docker inspect -f "{{.Name" web`);
    expect(r.last.error).toBe('template parsing error: template: :1: unclosed action');
  });
});

describe('docker ps / network ls / service ls --format (cli/command/formatter, v20.10.24)', () => {
  it('ps: a custom template, one line per container, newest first', () => {
    const r = runOk(`${setup}docker ps --format "{{.Names}}: {{.Ports}} ({{.State}}, {{.Networks}})"`);
    expect(r.last.output).toBe('db:  (running, nat)\nweb: 0.0.0.0:8080->80/tcp (running, nat)');
  });
  it('ps: table with the header of each field, through tabwriter', () => {
    const r = runOk(`${setup}docker ps --format "table {{.Names}}\\t{{.Image}}"`);
    expect(r.last.output).toBe('NAMES     IMAGE\ndb        microsoft/nanoserver\nweb       microsoft/iis');
  });
  it('ps: the default is the same table as no --format; -q with table is the IDs', () => {
    const plain = runOk(`${setup}docker ps`).last.output;
    expect(runOk(`${setup}docker ps --format table`).last.output).toBe(plain);
    expect(plain.split('\n')[0]).toMatch(/^CONTAINER ID   IMAGE +COMMAND +CREATED +STATUS +PORTS +NAMES$/);
    const ids = runOk(`${setup}docker ps -q --format table`);
    expect(ids.last.output.split('\n')).toEqual(ids.world.hosts[0]!.containers.slice().reverse().map((c) => c.id.slice(0, 12)));
  });
  it('ps: an unknown field is the error of the Go struct', () => {
    const r = run(`${setup}docker ps --format "{{.Nope}}"`);
    expect(r.last.error).toBe('template parsing error: template: :1:2: executing "" at <.Nope>: can\'t evaluate field Nope in type *formatter.ContainerContext');
  });
  it('ps: .Size is 0B on Windows (moby #28702: no layer sizes; go-units prints 0 as "0B"), .Mounts/.LocalVolumes/.Labels from the run line', () => {
    expect(runOk(`${setup}docker ps --format "{{.Names}} {{.Size}} [{{.Mounts}}] {{.LocalVolumes}} [{{.Labels}}]"`).last.output).toBe('db 0B [] 0 []\nweb 0B [] 0 []');
  });
  it('network ls: fields and table', () => {
    const r = runOk(`${setup}docker network ls --format "table {{.Name}}\\t{{.Driver}}\\t{{.Internal}}"`);
    expect(r.last.output).toBe('NAME      DRIVER    INTERNAL\nnat       nat       false\nnone      null      false');
  });
  it('service ps and node ls --format (cli/command/task/formatter.go, cli/command/node/formatter.go)', () => {
    const swarm = 'docker swarm init --advertise-addr 10.0.0.10\ndocker service create --name web --replicas 2 microsoft/iis\n';
    expect(runOk(`${swarm}docker service ps web --format "{{.Name}} {{.DesiredState}} on {{.Node}}"`).last.output).toBe('web.1 Running on host1\nweb.2 Running on host1');
    const nodes = runOk(`${swarm}docker node ls --format "{{.Hostname}} {{.Self}} {{.ManagerStatus}}"`);
    expect(nodes.last.output).toBe('host1 true Leader');
    expect(run(`${swarm}docker node ls --format "{{.TLSStatus}}"`).last.error).toMatch(/\{\{\.TLSStatus\}\} is not simulated by Packet Path/);
  });
  it('service ls --format', () => {
    const r = runOk('docker swarm init --advertise-addr 10.0.0.10\ndocker service create --name web --replicas 2 microsoft/iis\ndocker service ls --format "{{.Name}} {{.Mode}} {{.Replicas}}"');
    expect(r.last.output).toBe('web replicated 2/2');
  });
});

describe('docker version (docker/cli v20.10.24 cli/command/system/version.go)', () => {
  it('is its template through tabwriter: the lines of real 20.10 outputs, no kernel version', () => {
    // Real `docker version` of Mirantis Container Runtime 20.10.9 pasted in public install guides:
    // "Client: Mirantis Container Runtime / Version: ... / Experimental: true / (blank) /
    // Server: Mirantis Container Runtime / Engine: / Version: ... / Experimental: false".
    const out = runOk('docker version').last.output.split('\n');
    expect(out.map((l) => l.replace(/:\s.*$/, ':'))).toEqual([
      'Client:', ' Version:', ' API version:', ' Go version:', ' Git commit:', ' Built:', ' OS/Arch:', ' Context:', ' Experimental:', '',
      'Server:', ' Engine:', '  Version:', '  API version:', '  Go version:', '  Git commit:', '  Built:', '  OS/Arch:', '  Experimental:',
    ]);
    expect(out[1]).toBe(' Version:           20.10.24');
    expect(out[13]).toBe('  API version:      1.41 (minimum version 1.24)');
  });
  it('--format over the version structs, with the template named "version" in errors', () => {
    expect(runOk('docker version --format "{{.Server.Os}}/{{.Server.Arch}} {{.Client.Version}}"').last.output).toBe('windows/amd64 20.10.24');
    expect(runOk('docker version -f "{{json .Server.Platform}}"').last.output).toBe('{"Name":"Mirantis Container Runtime"}');
    expect(run('docker version -f "{{.Server.Nope}}"').last.error).toBe(
      'template: version:1:9: executing "version" at <.Server.Nope>: can\'t evaluate field Nope in type *types.Version',
    );
  });
  it('info --format over types.Info (moby v20.10.24 api/types/types.go, cli/command/system/info.go)', () => {
    expect(runOk('host h --os ws2019\ndocker info --format "{{.OSType}} {{.ServerVersion}} {{.Isolation}} {{.Swarm.LocalNodeState}}"').last.output).toBe('windows 20.10.24 process inactive');
    expect(runOk('docker info -f "{{.ContainersRunning}}/{{.Containers}} {{.ClientInfo.Context}}"').last.output).toBe('0/0 default');
    // A real field the simulation has no data for says so; a name that is no field is Go's error.
    expect(run('docker info -f "{{.CgroupDriver}}"').last.error).toMatch(/^docker info --format: \{\{\.CgroupDriver\}\} is not simulated by Packet Path/);
    expect(run('docker info -f "{{.Nope}}"').last.error).toBe('template: :1:2: executing "" at <.Nope>: can\'t evaluate field Nope in type system.info');
  });
});
