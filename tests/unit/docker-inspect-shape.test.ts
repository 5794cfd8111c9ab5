/**
 * The shapes of Docker's objects as a Windows daemon prints them. Field order is Go's struct order at
 * moby v20.10.24: api/types/types.go (ContainerJSONBase, ContainerJSON, ContainerState,
 * NetworkSettingsBase + DefaultNetworkSettings, NetworkResource), api/types/container/host_config.go
 * (HostConfig with Resources embedded) and config.go (Config), api/types/network/network.go
 * (EndpointSettings). Windows values: real outputs pasted from Windows hosts — docker/for-win #1835
 * (2018), a Windows Server 2019 nanoserver:1809 `docker inspect` (2019, Docker 19.03: the same
 * Windows values, with 19.03's `Capabilities` where 20.10 has `CgroupnsMode`), a servercore:ltsc2019
 * one of 2023 (`ConsoleSize`, `CgroupnsMode`); the values the client sends from docker/cli
 * v20.10.24 cli/command/container/opts.go and run.go.
 */
import { describe, expect, it } from 'vitest';
import { endpoints, networks } from '../../src/model/index.js';
import { run, runOk } from './model-helpers.js';

const fixed = 'host h1 --fixed-cidr 172.24.240.0/20\n';

// api/types/types.go ContainerJSONBase then ContainerJSON (Node, SizeRw, SizeRootFs are omitempty).
const CONTAINER_KEYS = [
  'Id', 'Created', 'Path', 'Args', 'State', 'Image', 'ResolvConfPath', 'HostnamePath', 'HostsPath', 'LogPath', 'Name',
  'RestartCount', 'Driver', 'Platform', 'MountLabel', 'ProcessLabel', 'AppArmorProfile', 'ExecIDs', 'HostConfig',
  'GraphDriver', 'Mounts', 'Config', 'NetworkSettings',
];
// api/types/container/host_config.go HostConfig, Resources flattened where it is embedded;
// StorageOpt, Tmpfs, Sysctls, Runtime, Mounts, Init are omitempty and unset by `docker run` here.
const HOSTCONFIG_KEYS = [
  'Binds', 'ContainerIDFile', 'LogConfig', 'NetworkMode', 'PortBindings', 'RestartPolicy', 'AutoRemove', 'VolumeDriver',
  'VolumesFrom', 'CapAdd', 'CapDrop', 'CgroupnsMode', 'Dns', 'DnsOptions', 'DnsSearch', 'ExtraHosts', 'GroupAdd', 'IpcMode',
  'Cgroup', 'Links', 'OomScoreAdj', 'PidMode', 'Privileged', 'PublishAllPorts', 'ReadonlyRootfs', 'SecurityOpt', 'UTSMode',
  'UsernsMode', 'ShmSize', 'ConsoleSize', 'Isolation',
  'CpuShares', 'Memory', 'NanoCpus', 'CgroupParent', 'BlkioWeight', 'BlkioWeightDevice', 'BlkioDeviceReadBps',
  'BlkioDeviceWriteBps', 'BlkioDeviceReadIOps', 'BlkioDeviceWriteIOps', 'CpuPeriod', 'CpuQuota', 'CpuRealtimePeriod',
  'CpuRealtimeRuntime', 'CpusetCpus', 'CpusetMems', 'Devices', 'DeviceCgroupRules', 'DeviceRequests', 'KernelMemory',
  'KernelMemoryTCP', 'MemoryReservation', 'MemorySwap', 'MemorySwappiness', 'OomKillDisable', 'PidsLimit', 'Ulimits',
  'CpuCount', 'CpuPercent', 'IOMaximumIOps', 'IOMaximumBandwidth',
  'MaskedPaths', 'ReadonlyPaths',
];
// types.go NetworkSettingsBase, DefaultNetworkSettings, then Networks.
const NETWORK_SETTINGS_KEYS = [
  'Bridge', 'SandboxID', 'HairpinMode', 'LinkLocalIPv6Address', 'LinkLocalIPv6PrefixLen', 'Ports', 'SandboxKey',
  'SecondaryIPAddresses', 'SecondaryIPv6Addresses',
  'EndpointID', 'Gateway', 'GlobalIPv6Address', 'GlobalIPv6PrefixLen', 'IPAddress', 'IPPrefixLen', 'IPv6Gateway', 'MacAddress',
  'Networks',
];
// api/types/network/network.go EndpointSettings.
const ENDPOINT_KEYS = [
  'IPAMConfig', 'Links', 'Aliases', 'NetworkID', 'EndpointID', 'Gateway', 'IPAddress', 'IPPrefixLen', 'IPv6Gateway',
  'GlobalIPv6Address', 'GlobalIPv6PrefixLen', 'MacAddress', 'DriverOpts',
];

function inspect(text: string): Record<string, any>[] {
  return JSON.parse(runOk(text).last.output);
}

describe('docker inspect CONTAINER: the whole ContainerJSON of Docker 20.10 on Windows', () => {
  it('every field in Go struct order, with the values a Windows daemon gives', () => {
    const [o] = inspect(`${fixed}docker run -d --name web mcr.microsoft.com/windows/servercore:ltsc2019\ndocker inspect web`);
    expect(Object.keys(o)).toEqual(CONTAINER_KEYS);
    expect(Object.keys(o.HostConfig)).toEqual(HOSTCONFIG_KEYS);
    expect(Object.keys(o.NetworkSettings)).toEqual(NETWORK_SETTINGS_KEYS);
    expect(Object.keys(o.NetworkSettings.Networks.nat)).toEqual(ENDPOINT_KEYS);
    expect(Object.keys(o.State)).toEqual(['Status', 'Running', 'Paused', 'Restarting', 'OOMKilled', 'Dead', 'Pid', 'ExitCode', 'Error', 'StartedAt', 'FinishedAt']);
    // container/config.go Config; ExposedPorts and MacAddress are omitempty.
    expect(Object.keys(o.Config)).toEqual([
      'Hostname', 'Domainname', 'User', 'AttachStdin', 'AttachStdout', 'AttachStderr', 'Tty', 'OpenStdin', 'StdinOnce', 'Env',
      'Cmd', 'Image', 'Volumes', 'WorkingDir', 'Entrypoint', 'OnBuild', 'Labels',
    ]);
    const id = o.Id;
    // The pasted Windows outputs: empty Linux paths, the json-file log under the data root, windowsfilter.
    expect(o).toMatchObject({
      Path: 'c:\\windows\\system32\\cmd.exe', Args: [], ResolvConfPath: '', HostnamePath: '', HostsPath: '',
      LogPath: `C:\\ProgramData\\docker\\containers\\${id}\\${id}-json.log`, Name: '/web', RestartCount: 0,
      Driver: 'windowsfilter', Platform: 'windows', MountLabel: '', ProcessLabel: '', AppArmorProfile: '', ExecIDs: null,
      GraphDriver: { Data: { dir: `C:\\ProgramData\\docker\\windowsfilter\\${id}` }, Name: 'windowsfilter' },
      Mounts: [],
    });
    expect(o.HostConfig).toMatchObject({
      Binds: null, LogConfig: { Type: 'json-file', Config: {} }, NetworkMode: 'default', PortBindings: {},
      RestartPolicy: { Name: 'no', MaximumRetryCount: 0 }, CgroupnsMode: '', Dns: [], DnsOptions: [], DnsSearch: [],
      ConsoleSize: [30, 120], Isolation: 'process', BlkioWeightDevice: [], BlkioDeviceReadBps: null, Devices: [],
      DeviceCgroupRules: null, MemorySwappiness: null, OomKillDisable: false, PidsLimit: null, MaskedPaths: null,
    });
    expect(o.Config).toMatchObject({
      Hostname: id.slice(0, 12), User: '', AttachStdin: false, AttachStdout: false, AttachStderr: false, Env: null,
      Cmd: ['c:\\windows\\system32\\cmd.exe'], Image: 'mcr.microsoft.com/windows/servercore:ltsc2019', Volumes: null,
      Entrypoint: null, OnBuild: null, Labels: {},
    });
    // SandboxID/SandboxKey are the container ID on Windows; nothing on the deprecated "bridge" fields.
    expect(o.NetworkSettings).toMatchObject({ SandboxID: id, SandboxKey: id, Ports: {}, SecondaryIPAddresses: null, IPAddress: '', EndpointID: '' });
    // On `nat` (not user-defined for Windows: hostconfig_windows.go IsBridge) no short-ID alias is added.
    expect(o.NetworkSettings.Networks.nat.Aliases).toBeNull();
  });

  it('the command line shows back: -it, -e, --label (sorted as Go writes maps), --restart, --entrypoint, -w, -u, --network', () => {
    const text = `${fixed}docker network create -d nat back\n` +
      'docker run -it --name a --network back --network-alias db -e A=1 -e B=2 --label z=1 --label a=2 --restart on-failure:3 ' +
      '--entrypoint powershell -w C:\\app -u ContainerAdministrator img -Command Get-Date\ndocker inspect a';
    const [o] = inspect(text);
    expect(o.Path).toBe('powershell');
    expect(o.Args).toEqual(['-Command', 'Get-Date']);
    expect(o.HostConfig.NetworkMode).toBe('back');
    expect(o.HostConfig.RestartPolicy).toEqual({ Name: 'on-failure', MaximumRetryCount: 3 });
    expect(o.Config).toMatchObject({
      User: 'ContainerAdministrator', AttachStdin: true, AttachStdout: true, AttachStderr: true, Tty: true, OpenStdin: true,
      StdinOnce: true, Env: ['A=1', 'B=2'], Cmd: ['-Command', 'Get-Date'], WorkingDir: 'C:\\app', Entrypoint: ['powershell'],
    });
    expect(JSON.stringify(o.Config.Labels)).toBe('{"a":"2","z":"1"}');
    // updateNetworkConfig: a user-defined network gets the given aliases and then the short ID.
    expect(o.NetworkSettings.Networks.back.Aliases).toEqual(['db', o.Id.slice(0, 12)]);
  });

  it('Nano Server 1809 runs as ContainerUser (the pasted nanoserver:1809 output)', () => {
    const [o] = inspect(`${fixed}docker run -d --name n mcr.microsoft.com/windows/nanoserver:1809 cmd\ndocker inspect n`);
    expect(o.Config.User).toBe('ContainerUser');
    expect(o.Config.Cmd).toEqual(['cmd']);
  });

  it('ports: -p goes to PortBindings as typed, -P sets PublishAllPorts, ExposedPorts and Ports are sorted maps', () => {
    const [o] = inspect(`${fixed}docker run -d --name web -p 8080:80 -p 0.0.0.0:9090:90/udp --expose 443 img\ndocker inspect web`);
    expect(o.HostConfig.PortBindings).toEqual({ '80/tcp': [{ HostIp: '', HostPort: '8080' }], '90/udp': [{ HostIp: '0.0.0.0', HostPort: '9090' }] });
    expect(Object.keys(o.Config.ExposedPorts)).toEqual(['443/tcp', '80/tcp', '90/udp']);
    expect(o.NetworkSettings.Ports).toEqual({ '443/tcp': null, '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '8080' }], '90/udp': [{ HostIp: '0.0.0.0', HostPort: '9090' }] });
    const [p] = inspect(`${fixed}docker run -d --name web -P --expose 80 img\ndocker inspect web`);
    expect(p.HostConfig.PublishAllPorts).toBe(true);
    expect(p.HostConfig.PortBindings).toEqual({});
    expect(p.NetworkSettings.Ports['80/tcp']).toEqual([{ HostIp: '0.0.0.0', HostPort: expect.stringMatching(/^\d+$/) }]);
  });

  it('a stopped container: exit code and FinishedAt kept, Ports emptied, operational data cleared (daemon releaseNetwork)', () => {
    const r = runOk(`${fixed}docker run -d --name web -p 8080:80 img\ndocker stop web\ndocker inspect web`);
    const o = JSON.parse(r.last.output)[0];
    expect(o.State).toMatchObject({ Status: 'exited', Running: false, Pid: 0, ExitCode: 1067 });
    expect(o.State.FinishedAt).not.toBe('0001-01-01T00:00:00Z');
    expect(o.NetworkSettings.Ports).toEqual({});
    expect(o.NetworkSettings.SandboxID).toBe(o.Id);
    expect(o.NetworkSettings.Networks.nat).toMatchObject({ NetworkID: networks(r.world, 'h1')[0]!.id, EndpointID: '', IPAddress: '', IPPrefixLen: 0, Gateway: '', MacAddress: '' });
    expect(o.HostConfig.PortBindings).toEqual({ '80/tcp': [{ HostIp: '', HostPort: '8080' }] });
    // Started again: running, and FinishedAt still the last stop (the 2019 paste shows one).
    const again = JSON.parse(run('docker start web\ndocker inspect web', { world: r.world }).last.output)[0];
    expect(again.State.Running).toBe(true);
    expect(again.State.FinishedAt).toBe(o.State.FinishedAt);
    expect(again.NetworkSettings.Networks.nat.IPAddress).toBe(endpoints(r.world, 'h1')[0]!.ip);
  });

  it('--restart and --rm are checked as the client (opts.go, parse.go) and the daemon (container.go) check them', () => {
    expect(run('docker run -d --rm --restart always img').last.error).toBe("docker: Conflicting options: --restart and --rm.\nSee 'docker run --help'.");
    expect(run('docker run -d --restart sometimes img').last.error).toBe("docker: Error response from daemon: invalid restart policy 'sometimes'.\nSee 'docker run --help'.");
    expect(run('docker run -d --restart always:3 img').last.error).toBe("docker: Error response from daemon: maximum retry count cannot be used with restart policy 'always'.\nSee 'docker run --help'.");
    expect(run('docker run -d --restart on-failure:x img').last.error).toBe("docker: maximum retry count must be an integer.\nSee 'docker run --help'.");
    const [o] = inspect('docker run -d --rm --name t img\ndocker inspect t');
    expect(o.HostConfig.AutoRemove).toBe(true);
  });

  it('-f templates read the fuller object', () => {
    const r = runOk(`${fixed}docker run -d --name web --label tier=front img\ndocker inspect -f '{{.Driver}} {{.HostConfig.Isolation}} {{index .Config.Labels "tier"}} {{.GraphDriver.Name}} {{json .HostConfig.ConsoleSize}}' web`);
    expect(r.last.output).toBe('windowsfilter process front windowsfilter [30,120]');
  });
});

describe('docker network inspect: NetworkResource with Go-sorted maps', () => {
  it('Containers, Options and Labels are written with sorted keys (encoding/json), fields in NetworkResource order', () => {
    const r = runOk(`${fixed}docker network create -d nat --subnet 192.168.9.0/24 --label z=1 --label a=2 back\n` +
      'docker run -d --name w2 --network back img\ndocker run -d --name w1 --network back img\ndocker network inspect back');
    const o = JSON.parse(r.last.output)[0];
    // api/types/types.go NetworkResource (Peers, Services omitempty); the pasted 2021 Windows nat inspect.
    expect(Object.keys(o)).toEqual(['Name', 'Id', 'Created', 'Scope', 'Driver', 'EnableIPv6', 'IPAM', 'Internal', 'Attachable', 'Ingress', 'ConfigFrom', 'ConfigOnly', 'Containers', 'Options', 'Labels']);
    const ids = Object.keys(o.Containers);
    expect(ids).toHaveLength(2);
    expect(ids).toEqual([...ids].sort());
    expect(Object.keys(o.Labels)).toEqual(['a', 'z']);
    expect(Object.keys(o.Options)).toEqual(['com.docker.network.windowsshim.hnsid', 'com.docker.network.windowsshim.networkname']);
  });
});

describe('docker ps: the list API and docker/cli v20.10.24 formatter', () => {
  const two = `${fixed}docker run -d --name web -p 8080:80 -p 81:81 -p 82:82 --expose 443 --label tier=front -v C:\\data:C:\\data img\n` +
    'docker run -d --name db -v logs:C:\\logs mcr.microsoft.com/windows/nanoserver cmd /c ping -t localhost\ndocker stop db\n';

  it('PORTS as DisplayablePorts: same-numbered runs grouped, then mappings to other host ports; nothing for a stopped container', () => {
    const r = runOk(`${two}docker ps -a --format "{{.Names}}|{{.Ports}}"`);
    expect(r.last.output).toBe('db|\nweb|0.0.0.0:81-82->81-82/tcp, 443/tcp, 0.0.0.0:8080->80/tcp');
  });

  it('-s adds SIZE (0B on Windows, moby #28702); .Mounts (bind source or volume name), .LocalVolumes, .Labels, .Label', () => {
    const r = runOk(`${two}docker ps -a -s`);
    expect(r.last.output.split('\n')[0]).toMatch(/ {3}NAMES {5}SIZE$/);
    expect(r.last.output.split('\n')[1]).toMatch(/db {8}0B$/);
    const f = runOk(`${two}docker ps -a --format '{{.Names}} {{.Mounts}} {{.LocalVolumes}} {{.Labels}} {{.Label "tier"}}'`);
    expect(f.last.output).toBe('db logs 1  \nweb C:\\data 0 tier=front front');
  });

  it('-n and -l count every state, newest first; --filter keys of daemon/list.go', () => {
    expect(runOk(`${two}docker ps -n 1 --format "{{.Names}}"`).last.output).toBe('db');
    expect(runOk(`${two}docker ps -l --format "{{.Names}}"`).last.output).toBe('db');
    expect(runOk(`${two}docker ps --filter status=exited --format "{{.Names}}"`).last.output).toBe('db');
    expect(runOk(`${two}docker ps -a -f exited=1067 --format "{{.Names}}"`).last.output).toBe('db');
    expect(runOk(`${two}docker ps -a -f label=tier=front --format "{{.Names}}"`).last.output).toBe('web');
    expect(runOk(`${two}docker ps -a -f name=^d --format "{{.Names}}"`).last.output).toBe('db');
    expect(runOk(`${two}docker ps -a -f network=nat -f publish=8080 --format "{{.Names}}"`).last.output).toBe('web');
    expect(runOk(`${two}docker ps -a -f expose=440-450 --format "{{.Names}}"`).last.output).toBe('web');
    expect(runOk(`${two}docker ps -a -f volume=logs --format "{{.Names}}"`).last.output).toBe('db');
    expect(runOk(`${two}docker ps -a -f before=db --format "{{.Names}}"`).last.output).toBe('web');
    expect(runOk(`${two}docker ps -a -f since=web --format "{{.Names}}"`).last.output).toBe('db');
    expect(runOk(`${two}docker ps -a -f isolation=hyperv --format "{{.Names}}"`).last.output).toBe('');
    expect(runOk(`${two}docker ps -a -f ancestor=img --format "{{.Names}}"`).last.output).toBe('web');
  });

  it('filter errors: the client (opts.go FilterOpt) and the daemon (filters.Validate, foldFilter)', () => {
    expect(run(`${two}docker ps -f foo=bar`).last.error).toBe("Error response from daemon: Invalid filter 'foo'");
    expect(run(`${two}docker ps -f status`).last.error).toBe('invalid argument "status" for "-f, --filter" flag: bad format of filter (expected name=value)');
    expect(run(`${two}docker ps -f status=up`).last.error).toBe("Error response from daemon: Invalid filter 'status=up'");
    expect(run(`${two}docker ps -f exited=x`).last.error).toBe('Error response from daemon: strconv.Atoi: parsing "x": invalid syntax');
    expect(run(`${two}docker ps -f publish=0.0.0.0:80`).last.error).toBe("Error response from daemon: filter for 'publish' should not contain ':': 0.0.0.0:80");
  });

  it('docker inspect shows the -v mounts: a bind as the pasted Windows output has it, a named volume of the local driver', () => {
    const [web, db] = inspect(`${two}docker inspect web db`);
    expect(web.HostConfig.Binds).toEqual(['C:\\data:C:\\data']);
    expect(web.Mounts).toEqual([{ Type: 'bind', Source: 'C:\\data', Destination: 'C:\\data', Mode: '', RW: true, Propagation: '' }]);
    expect(db.Mounts).toEqual([{ Type: 'volume', Name: 'logs', Source: 'C:\\ProgramData\\docker\\volumes\\logs\\_data', Destination: 'C:\\logs', Driver: 'local', Mode: '', RW: true, Propagation: '' }]);
  });
});

describe('docker network ls: NaturalLess order and filters (daemon/network/filter.go)', () => {
  const nets = `${fixed}docker network create -d nat --subnet 192.168.9.0/24 --label env=prod PooledNat\n` +
    'docker network create -d nat --subnet 192.168.10.0/24 net10\ndocker network create -d nat --subnet 192.168.11.0/24 net9\n' +
    'docker run -d --network net9 img\n';

  it('names sorted by sortorder.NaturalLess: bytes (upper case first), digit runs as numbers', () => {
    expect(runOk(`${nets}docker network ls --format "{{.Name}}"`).last.output).toBe('PooledNat\nnat\nnet9\nnet10\nnone');
  });

  it('driver, name, id, label, scope, type, dangling', () => {
    const names = (f: string): string => runOk(`${nets}docker network ls ${f} --format "{{.Name}}"`).last.output;
    expect(names('-f driver=null')).toBe('none');
    expect(names('-f name=net')).toBe('net9\nnet10');
    expect(names('-f label=env=prod')).toBe('PooledNat');
    expect(names('-f scope=local -f type=builtin')).toBe('nat\nnone');
    expect(names('-f type=custom')).toBe('PooledNat\nnet9\nnet10');
    expect(names('-f dangling=true')).toBe('PooledNat\nnet10');
    expect(names('-f dangling=false')).toBe('nat\nnet9\nnone');
    expect(run(`${nets}docker network ls -f type=mine`).last.error).toBe("Error response from daemon: invalid filter: 'type'='mine'");
    expect(run(`${nets}docker network ls -f until=1h`).last.error).toBe("Error response from daemon: Invalid filter 'until'");
  });
});

describe('docker port (docker/cli v20.10.24 cli/command/container/port.go over NetworkSettings.Ports)', () => {
  const web = `${fixed}docker run -d --name web -p 8080:80 img\n`;
  it('PORT[/PROTO] goes through nat.NewPort: normalized number, its errors, the raw text in "No public port"', () => {
    expect(runOk(`${web}docker port web 080`).last.output).toBe('0.0.0.0:8080');
    expect(run(`${web}docker port web 80/udp`).last.error).toBe("Error: No public port '80/udp' published for web");
    expect(run(`${web}docker port web http`).last.error).toBe('strconv.ParseUint: parsing "http": invalid syntax');
    expect(run(`${web}docker port web 80/`).last.error).toBe('strconv.ParseUint: parsing "80/": invalid syntax');
    expect(run(`${web}docker port web 70000`).last.error).toBe('strconv.ParseUint: parsing "70000": value out of range');
    expect(run(`${web}docker port web 90-80`).last.error).toBe('Invalid range specified for the Port: 90-80');
  });
});

describe('docker inspect --type / -s and docker container inspect (docker/cli v20.10.24 system/inspect.go, container/inspect.go)', () => {
  const web = `${fixed}docker run -d --name web img\n`;
  it('--type takes the types runInspect lists; the ones Packet Path has no objects for say so', () => {
    expect(run(`${web}docker inspect --type foo web`).last.error).toBe('"foo" is not a valid value for --type');
    expect(run(`${web}docker inspect --type image web`).last.error).toMatch(/^Packet Path does not simulate docker inspect --type image/);
    expect(run(`${web}docker inspect --type network web`).last.error).toBe('Error: No such network: web');
    expect(run(`${web}docker container inspect nope`).last.error).toBe('Error: No such container: nope');
    expect(run(`${web}docker inspect nope`).last.error).toBe('Error: No such object: nope');
  });
  it('a swarm manager finds services too (inspectAll: container, ..., network, ..., service)', () => {
    const r = runOk('docker swarm init --advertise-addr 10.0.0.10\ndocker service create --name websvc microsoft/iis\ndocker inspect -f "{{.Spec.Name}}" websvc');
    expect(r.last.output).toBe('websvc');
  });
  it('-s adds SizeRw and SizeRootFs after GraphDriver (0 on Windows, moby #28702) and warns for other objects', () => {
    const [o] = JSON.parse(runOk(`${web}docker inspect -s web`).last.output);
    const keys = Object.keys(o);
    expect(keys.slice(keys.indexOf('GraphDriver'), keys.indexOf('GraphDriver') + 4)).toEqual(['GraphDriver', 'SizeRw', 'SizeRootFs', 'Mounts']);
    expect([o.SizeRw, o.SizeRootFs]).toEqual([0, 0]);
    expect(runOk(`${web}docker inspect -s nat -f "{{.Name}}"`).last.warnings).toEqual(['--size ignored for network']);
  });
});

describe('docker info (docker/cli v20.10.24 cli/command/system/info.go prettyPrintServerInfo)', () => {
  it('after Name: ID, Docker Root Dir, Debug Mode, Registry, Experimental, Insecure Registries (127.0.0.0/8 by default), Live Restore', () => {
    const out = runOk('host h1 --os ws2019\ndocker info').last.output.split('\n');
    // Name is Go's os.Hostname (the DNS host name, as set), the node's Hostname too (daemon/info.go hostName).
    const at = out.indexOf(' Name: h1');
    expect(at).toBeGreaterThan(0);
    expect(out.slice(at + 1)).toEqual([
      expect.stringMatching(/^ ID: [A-Z2-7]{4}(:[A-Z2-7]{4}){11}$/),
      ' Docker Root Dir: C:\\ProgramData\\docker', ' Debug Mode: false', ' Registry: https://index.docker.io/v1/',
      ' Experimental: false', ' Insecure Registries:', '  127.0.0.0/8', ' Live Restore Enabled: false',
    ]);
    const id = out[at + 1]!.slice(' ID: '.length);
    expect(runOk('host h1 --os ws2019\ndocker info --format "{{.ID}} {{.ServerVersion}}"').last.output).toBe(`${id} 20.10.24`);
  });
});

describe('inspect times keep their order (Created ≤ StartedAt ≤ FinishedAt), as a real daemon records them', () => {
  it('the made-up fractions of events in the same simulated second never reverse them', () => {
    const n = 12;
    const lines = Array.from({ length: n }, (_, i) => `docker run -d --name c${i} img\ndocker stop c${i}`).join('\n');
    const objs = inspect(`${fixed}${lines}\ndocker inspect ${Array.from({ length: n }, (_, i) => `c${i}`).join(' ')}`);
    // RFC3339Nano with up to 7 fraction digits: compare as (seconds, fraction) pairs.
    const key = (t: string): [number, number] => {
      const m = /^(.*?)(?:\.(\d+))?Z$/.exec(t)!;
      return [Date.parse(`${m[1]}Z`), Number((m[2] ?? '').padEnd(7, '0'))];
    };
    const le = (a: string, b: string): boolean => {
      const [x, y] = [key(a), key(b)];
      return x[0] < y[0] || (x[0] === y[0] && x[1] <= y[1]);
    };
    for (const o of objs) {
      expect(le(o.Created, o.State.StartedAt), `${o.Name} ${o.Created} ${o.State.StartedAt}`).toBe(true);
      expect(le(o.State.StartedAt, o.State.FinishedAt), `${o.Name} ${o.State.StartedAt} ${o.State.FinishedAt}`).toBe(true);
    }
  });
});

describe('docker network inspect --verbose (moby v20.10.24 daemon/network.go, vendored libnetwork agent.go Services)', () => {
  it('a swarm network lists its services: VIP, "Target: T, Publish: P", LocalLBIndex from 256, tasks (Info null from the Windows overlay driver)', () => {
    const r = runOk('docker swarm init --advertise-addr 10.0.0.10\ndocker network create -d overlay ov\n' +
      'docker service create --name web --network ov --replicas 2 -p 8080:80 microsoft/iis\ndocker network inspect -v ov');
    const o = JSON.parse(r.last.output)[0];
    expect(Object.keys(o).slice(-2)).toEqual(['Peers', 'Services']);
    const web = o.Services.web;
    expect(Object.keys(web)).toEqual(['VIP', 'Ports', 'LocalLBIndex', 'Tasks']);
    expect(web.Ports).toEqual(['Target: 80, Publish: 8080']);
    expect(web.LocalLBIndex).toBe(256);
    expect(web.VIP).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(web.Tasks).toHaveLength(2);
    expect(web.Tasks[0]).toEqual({ Name: expect.stringMatching(/^web\.1\./), EndpointID: expect.stringMatching(/^[0-9a-f]{64}$/), EndpointIP: expect.any(String), Info: null });
    // Without --verbose, or on a local network, no Services (an empty map is omitted).
    expect(JSON.parse(run('docker network inspect ov', { world: r.world }).last.output)[0].Services).toBeUndefined();
    expect(JSON.parse(run('docker network inspect -v nat', { world: r.world }).last.output)[0].Services).toBeUndefined();
  });
});

describe('a swarm task container (daemon/cluster/executor/container/container.go)', () => {
  it('com.docker.swarm.* labels, NetworkMode "default" (daemon/create.go SetDefaultNetModeIfBlank), no console size', () => {
    const r = runOk('docker swarm init --advertise-addr 10.0.0.10\ndocker service create --name web microsoft/iis');
    const c = r.world.hosts[0]!.containers[0]!;
    const [o] = JSON.parse(run(`docker inspect ${c.name}`, { world: r.world }).last.output);
    expect(Object.keys(o.Config.Labels)).toEqual([
      'com.docker.swarm.node.id', 'com.docker.swarm.service.id', 'com.docker.swarm.service.name', 'com.docker.swarm.task',
      'com.docker.swarm.task.id', 'com.docker.swarm.task.name',
    ]);
    expect(o.Config.Labels).toMatchObject({ 'com.docker.swarm.service.name': 'web', 'com.docker.swarm.task': '', 'com.docker.swarm.task.name': c.name, 'com.docker.swarm.task.id': c.service!.taskId });
    expect(o.Config.Labels['com.docker.swarm.node.id']).toBe(r.world.swarm!.nodes[0]!.id);
    expect(o.HostConfig.NetworkMode).toBe('default');
    expect(o.HostConfig.ConsoleSize).toEqual([0, 0]);
    // hostConfig() sets DNS only from a DNSConfig: nil lists.
    expect([o.HostConfig.Dns, o.HostConfig.DnsOptions, o.HostConfig.DnsSearch]).toEqual([null, null, null]);
    expect(run('docker ps -f is-task=true -q', { world: r.world }).last.output).toBe(c.id.slice(0, 12));
    expect(run('docker ps -f is-task=false -q', { world: r.world }).last.output).toBe('');
  });
});
