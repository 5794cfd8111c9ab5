import { describe, expect, test } from 'vitest';
import { dockerCommandInfo, dockerFlags, dockerSubcommands, parseScript, type DockerCommand } from '../../src/script/index.js';
import { DOCKER_ROOT, type DockerCommandSpec } from '../../src/script/docker-commands.js';
import { goIntError, type FlagSpec } from '../../src/script/flags.js';

function docker(src: string): DockerCommand {
  const r = parseScript(src);
  expect(r.diagnostics).toEqual([]);
  expect(r.commands).toHaveLength(1);
  const c = r.commands[0]!;
  if (c.kind !== 'docker') throw new Error(`expected docker, got ${c.kind}`);
  return c;
}

function flagPairs(c: DockerCommand): [string, string | true][] {
  return c.flags.map((f) => [f.name, f.value]);
}

function error(src: string) {
  const r = parseScript(src);
  expect(r.commands).toEqual([]);
  expect(r.diagnostics).toHaveLength(1);
  const d = r.diagnostics[0]!;
  expect(d.severity).toBe('error');
  return d;
}

describe('docker flags: the forms pflag accepts', () => {
  test('--flag=value and --flag value give the same flag', () => {
    const a = docker('docker network create --subnet=10.0.0.0/24 --gateway=10.0.0.1 n');
    const b = docker('docker network create --subnet 10.0.0.0/24 --gateway 10.0.0.1 n');
    expect(flagPairs(a)).toEqual([['subnet', '10.0.0.0/24'], ['gateway', '10.0.0.1']]);
    expect(flagPairs(b)).toEqual(flagPairs(a));
    expect(a.args.map((w) => w.value)).toEqual(['n']);
  });

  test('short flags map to the long name: -d, -p 8080:80, -p8080:80, -p=8080:80', () => {
    const c = docker('docker run -d -p 8080:80 -p8081:81 -p=8082:82 img');
    expect(flagPairs(c)).toEqual([['detach', true], ['publish', '8080:80'], ['publish', '8081:81'], ['publish', '8082:82']]);
    expect(c.flags.map((f) => f.written)).toEqual(['-d', '-p', '-p', '-p']);
  });

  test('combined boolean shorthands -dit, and a value flag closing the group', () => {
    expect(flagPairs(docker('docker run -dit img'))).toEqual([['detach', true], ['interactive', true], ['tty', true]]);
    expect(flagPairs(docker('docker run -dp 80:80 img'))).toEqual([['detach', true], ['publish', '80:80']]);
    expect(flagPairs(docker('docker run -dp80:80 img'))).toEqual([['detach', true], ['publish', '80:80']]);
  });

  test('repeated -o / --opt appear once each, in order', () => {
    const c = docker('docker network create -d transparent -o a=b --opt c=d -o=e=f n');
    expect(flagPairs(c)).toEqual([['driver', 'transparent'], ['opt', 'a=b'], ['opt', 'c=d'], ['opt', 'e=f']]);
  });

  test('booleans: bare is true, =false is "false", =true is true', () => {
    expect(flagPairs(docker('docker run --rm img'))).toEqual([['rm', true]]);
    expect(flagPairs(docker('docker run --rm=false img'))).toEqual([['rm', 'false']]);
    expect(flagPairs(docker('docker run --rm=1 -d=false img'))).toEqual([['rm', true], ['detach', 'false']]);
  });

  test('a value flag takes the next word even when it starts with a dash (pflag)', () => {
    expect(flagPairs(docker('docker run --name -x img'))).toEqual([['name', '-x']]);
  });

  test('-- ends the flags', () => {
    const c = docker('docker network rm -f -- -odd');
    expect(flagPairs(c)).toEqual([['force', true]]);
    expect(c.args.map((w) => w.value)).toEqual(['-odd']);
  });

  test('run: the first positional is the image, everything after it is the command (flags too)', () => {
    const c = docker('docker run -d --name web mcr.microsoft.com/windows/servercore:ltsc2019 ping -t --rm 10.0.0.1');
    expect(flagPairs(c)).toEqual([['detach', true], ['name', 'web']]);
    expect(c.args.map((w) => w.value)).toEqual(['mcr.microsoft.com/windows/servercore:ltsc2019']);
    expect(c.command.map((w) => w.value)).toEqual(['ping', '-t', '--rm', '10.0.0.1']);
    expect(c.inner).toBeUndefined();
  });

  test('flags on other commands are interspersed with arguments', () => {
    const c = docker('docker network connect --ip 172.16.1.5 CustomNat1 web --alias w');
    expect(flagPairs(c)).toEqual([['ip', '172.16.1.5'], ['alias', 'w']]);
    expect(c.args.map((w) => w.value)).toEqual(['CustomNat1', 'web']);
  });

  test('run -h is --hostname (run keeps --help without shorthand)', () => {
    expect(flagPairs(docker('docker run -h box img'))).toEqual([['hostname', 'box']]);
    expect(flagPairs(docker('docker run --help'))).toEqual([['help', true]]);
  });

  test('--help and -h skip the argument count check', () => {
    expect(flagPairs(docker('docker network create --help'))).toEqual([['help', true]]);
    expect(flagPairs(docker('docker network create -h'))).toEqual([['help', true]]);
  });

  test('integer flags accept Go integer syntax', () => {
    expect(flagPairs(docker('docker ps -n 3 --last=0x10'))).toEqual([['last', '3'], ['last', '0x10']]);
  });
});

describe('docker flags: error texts are pflag\'s and cobra\'s', () => {
  test('unknown long flag', () => {
    const d = error('docker network create --foo n');
    expect(d.message).toBe('unknown flag: --foo');
    expect(d.code).toBe('unknown-flag');
    expect([d.line, d.column, d.length]).toEqual([1, 23, 5]);
  });

  test('unknown long flag with a value names only the flag', () => {
    expect(error('docker network create --foo=bar n').message).toBe('unknown flag: --foo');
  });

  test('unknown shorthand, alone and inside a group (pflag names the rest of the group)', () => {
    const d = error('docker network create -x n');
    expect(d.message).toBe("unknown shorthand flag: 'x' in -x");
    expect([d.column, d.length]).toEqual([23, 2]);
    const g = error('docker run -dxz img');
    expect(g.message).toBe("unknown shorthand flag: 'x' in -xz");
    expect([g.column, g.length]).toEqual([14, 1]);
  });

  test('flag needs an argument, long and short', () => {
    expect(error('docker network create n --subnet').message).toBe('flag needs an argument: --subnet');
    expect(error('docker network create n -o').message).toBe("flag needs an argument: 'o' in -o");
    expect(error('docker network create n -o').code).toBe('missing-value');
  });

  test('bad boolean and integer values', () => {
    expect(error('docker run --rm=maybe img').message).toBe(
      'invalid argument "maybe" for "--rm" flag: strconv.ParseBool: parsing "maybe": invalid syntax');
    expect(error('docker ps -n abc').message).toBe(
      'invalid argument "abc" for "-n, --last" flag: strconv.ParseInt: parsing "abc": invalid syntax');
    expect(error('docker service create --replicas two img').message).toBe(
      'invalid argument "two" for "--replicas" flag: strconv.ParseUint: parsing "two": invalid syntax');
  });

  test('bad flag syntax', () => {
    expect(error('docker ps ---x').message).toBe('bad flag syntax: ---x');
  });

  test('global flags only before the subcommand', () => {
    const c = docker('docker -D --log-level=debug network ls');
    expect(c.globalFlags?.map((f) => [f.name, f.value])).toEqual([['debug', true], ['log-level', 'debug']]);
    expect(c.path).toEqual(['network', 'ls']);
    expect(error('docker network ls -D').message).toBe("unknown shorthand flag: 'D' in -D");
  });

  test('docker --version / -v stop at the root, like the CLI', () => {
    const c = docker('docker --version');
    expect(c.path).toEqual([]);
    expect(c.globalFlags?.map((f) => f.name)).toEqual(['version']);
    expect(docker('docker -v').globalFlags?.map((f) => f.name)).toEqual(['version']);
  });

  test('the executable name is case-insensitive, subcommands are not', () => {
    expect(docker('DOCKER.EXE network ls').path).toEqual(['network', 'ls']);
  });

  test('unknown commands', () => {
    const top = error('docker frobnicate');
    expect(top.message).toBe("docker: 'frobnicate' is not a docker command.");
    expect([top.column, top.length]).toEqual([8, 10]);
    expect(error('docker network frob').message).toBe('unknown command "frob" for "docker network"');
    expect(error('docker Network ls').code).toBe('unknown-command');
  });

  test('argument counts (cobra ExactArgs / RequiresMinArgs / NoArgs)', () => {
    expect(error('docker network create').message).toBe('"docker network create" requires exactly 1 argument.');
    const extra = error('docker network create a b');
    expect(extra.message).toBe('"docker network create" requires exactly 1 argument.');
    expect([extra.column, extra.length]).toEqual([25, 1]);
    expect(error('docker network ls x').message).toBe('"docker network ls" accepts no arguments.');
    expect(error('docker run -d').message).toBe('"docker run" requires at least 1 argument.');
    expect(error('docker exec web').message).toBe('"docker exec" requires at least 2 arguments.');
    expect(error('docker network connect n').message).toBe('"docker network connect" requires exactly 2 arguments.');
    expect(error('docker swarm join').message).toBe('"docker swarm join" requires exactly 1 argument.');
    expect(error('docker container ls x').message).toBe('"docker container ls" accepts no arguments.');
    expect(error('docker info x').code).toBe('arg-count');
  });
});

describe('docker subcommands', () => {
  test.each([
    ['docker network create -d nat n', ['network', 'create']],
    ['docker network ls', ['network', 'ls']],
    ['docker network list', ['network', 'ls']],
    ['docker network inspect nat', ['network', 'inspect']],
    ['docker network rm n', ['network', 'rm']],
    ['docker network remove n', ['network', 'rm']],
    ['docker network connect n c', ['network', 'connect']],
    ['docker network disconnect n c', ['network', 'disconnect']],
    ['docker network prune -f', ['network', 'prune']],
    ['docker run img', ['run']],
    ['docker container run img', ['run']],
    ['docker start web', ['start']],
    ['docker stop web', ['stop']],
    ['docker rm -f web', ['rm']],
    ['docker ps -a', ['ps']],
    ['docker container ls', ['ps']],
    ['docker inspect web', ['inspect']],
    ['docker container inspect web', ['container', 'inspect']],
    ['docker exec web ipconfig', ['exec']],
    ['docker swarm init --advertise-addr 10.0.0.10', ['swarm', 'init']],
    ['docker swarm join --token SWMTKN-1-abc 10.0.0.10:2377', ['swarm', 'join']],
    ['docker swarm leave --force', ['swarm', 'leave']],
    ['docker service create --name s img', ['service', 'create']],
    ['docker service ls', ['service', 'ls']],
    ['docker service rm s', ['service', 'rm']],
    ['docker service ps s', ['service', 'ps']],
    ['docker service inspect --pretty s', ['service', 'inspect']],
    ['docker compose -f app.yml up -d', ['compose', 'up']],
    ['docker compose -f app.yml down', ['compose', 'down']],
    ['docker version', ['version']],
    ['docker info', ['info']],
    ['docker pull mcr.microsoft.com/windows/nanoserver:1809', ['pull']],
    ['docker network', ['network']],
    ['docker', []],
  ])('%s → path %j', (src, path) => {
    expect(docker(src).path).toEqual(path);
  });

  test('pathWords keep the words as written', () => {
    const c = docker('docker network list');
    expect(c.pathWords?.map((w) => w.value)).toEqual(['network', 'list']);
    expect(c.pathWords?.[1]!.span).toEqual({ line: 1, column: 16, length: 4 });
  });

  test('compose: project flags before and after the subcommand land in flags', () => {
    const c = docker('docker compose -f docker-compose.yml -p app up -d --scale web=2');
    expect(flagPairs(c)).toEqual([['file', 'docker-compose.yml'], ['project-name', 'app'], ['detach', true], ['scale', 'web=2']]);
    expect(flagPairs(docker('docker compose up -f x.yml'))).toEqual([['file', 'x.yml']]);
  });

  test('docker-compose (v1) parses as docker compose', () => {
    const c = docker('docker-compose -f app.yml up -d');
    expect(c.path).toEqual(['compose', 'up']);
    expect(flagPairs(c)).toEqual([['file', 'app.yml'], ['detach', true]]);
  });

  test('service create: image then command, flags like docker/cli', () => {
    const c = docker('docker service create --name web --network ov --replicas 2 -p 80:80 --endpoint-mode dnsrr microsoft/iis ping -t x');
    expect(flagPairs(c)).toEqual([['name', 'web'], ['network', 'ov'], ['replicas', '2'], ['publish', '80:80'], ['endpoint-mode', 'dnsrr']]);
    expect(c.args.map((w) => w.value)).toEqual(['microsoft/iis']);
    expect(c.command.map((w) => w.value)).toEqual(['ping', '-t', 'x']);
  });

  test('exec: container, command, and the tool inside', () => {
    const c = docker('docker exec -it web ping -n 4 db');
    expect(flagPairs(c)).toEqual([['interactive', true], ['tty', true]]);
    expect(c.args.map((w) => w.value)).toEqual(['web']);
    expect(c.command.map((w) => w.value)).toEqual(['ping', '-n', '4', 'db']);
    expect(c.inner?.tool).toBe('ping');
    expect(c.inner?.flags.map((f) => [f.name, f.value])).toEqual([['n', '4']]);
    expect(c.inner?.args.map((w) => w.value)).toEqual(['db']);
    expect(c.inner?.text).toBe('ping -n 4 db');
    expect(c.inner?.span).toEqual({ line: 1, column: 21, length: 12 });
  });

  test('exec through cmd /c and powershell -Command reaches the tool', () => {
    expect(docker('docker exec web cmd /c nslookup db').inner?.tool).toBe('nslookup');
    expect(docker('docker exec web powershell -Command curl.exe http://db/').inner?.tool).toBe('curl');
    const other = docker('docker exec web whoami').inner;
    expect(other?.tool).toBe('other');
    expect(other?.name?.value).toBe('whoami');
  });
});

describe('docker flag spans', () => {
  test('--flag=value: the flag spans the word, the value its part', () => {
    const f = docker('docker network create --subnet=10.0.0.0/24 n').flags[0]!;
    expect(f.span).toEqual({ line: 1, column: 23, length: 20 });
    expect(f.valueSpan).toEqual({ line: 1, column: 32, length: 11 });
  });

  test('--flag value: the flag spans both words', () => {
    const f = docker('docker network create --subnet 10.0.0.0/24 n').flags[0]!;
    expect(f.span).toEqual({ line: 1, column: 23, length: 20 });
    expect(f.valueSpan).toEqual({ line: 1, column: 32, length: 11 });
  });

  test('quoted value: the value span is inside the quotes', () => {
    const f = docker('docker network create -o x="Ethernet 2" n').flags[0]!;
    expect(f.value).toBe('x=Ethernet 2');
    expect(f.valueSpan).toEqual({ line: 1, column: 26, length: 14 });
  });

  test('value on a continuation line points at that line', () => {
    const c = docker('docker network create --subnet `\n   10.1.0.0/16 n');
    expect(c.line).toBe(1);
    expect(c.flags[0]!.valueSpan).toEqual({ line: 2, column: 4, length: 11 });
    expect(c.flags[0]!.span).toEqual({ line: 1, column: 23, length: 8 });
  });
});

describe('docker flag tables', () => {
  function walk(s: DockerCommandSpec, path: string[], inherited: FlagSpec[], out: [string[], FlagSpec[]][]) {
    const persistent = [...inherited, ...(s.persistentFlags ?? [])];
    out.push([path, [...(s.flags ?? []), ...persistent]]);
    for (const c of s.children ?? []) walk(c, [...path, c.name], path.length === 0 ? [] : persistent, out);
    return out;
  }

  test('no command has two flags with one name or one shorthand (inherited flags included)', () => {
    const all = walk(DOCKER_ROOT, [], [], []);
    expect(all.length).toBeGreaterThan(30);
    for (const [path, flags] of all) {
      const names = flags.map((f) => f.name);
      const shorts = flags.filter((f) => f.short).map((f) => f.short);
      expect(new Set(names).size, `names of ${path.join(' ')}`).toBe(names.length);
      expect(new Set(shorts).size, `shorthands of ${path.join(' ')}`).toBe(shorts.length);
    }
  });

  test('dockerFlags gives name, shorthand, type and description', () => {
    const create = dockerFlags(['network', 'create']);
    expect(create.find((f) => f.name === 'driver')).toMatchObject({ short: 'd', type: 'string', description: 'Driver to manage the Network' });
    expect(create.find((f) => f.name === 'subnet')).toMatchObject({ type: 'list' });
    expect(create.find((f) => f.name === 'internal')).toMatchObject({ type: 'bool' });
    expect(create.find((f) => f.name === 'help')).toMatchObject({ short: 'h', type: 'bool' });
    expect(dockerFlags(['network', 'list']).map((f) => f.name)).toEqual(dockerFlags(['network', 'ls']).map((f) => f.name));
  });

  test('dockerFlags: run keeps -h for --hostname and hides --net', () => {
    const run = dockerFlags(['run']);
    expect(run.find((f) => f.short === 'h')?.name).toBe('hostname');
    expect(run.find((f) => f.name === 'help')?.short).toBeUndefined();
    expect(run.some((f) => f.name === 'net')).toBe(false);
    expect(run.find((f) => f.name === 'publish')).toMatchObject({ short: 'p', type: 'list' });
  });

  test('dockerFlags: compose subcommands include the project flags; unknown paths give nothing', () => {
    expect(dockerFlags(['compose', 'up']).find((f) => f.name === 'file')?.short).toBe('f');
    expect(dockerFlags(['nope'])).toEqual([]);
    expect(dockerFlags([]).find((f) => f.name === 'debug')?.short).toBe('D');
  });

  test('dockerSubcommands and dockerCommandInfo', () => {
    expect(dockerSubcommands(['network']).map((c) => c.name)).toEqual(['create', 'ls', 'inspect', 'rm', 'connect', 'disconnect', 'prune']);
    expect(dockerSubcommands([]).map((c) => c.name)).toContain('swarm');
    expect(dockerCommandInfo(['network', 'create'])?.usage).toBe('docker network create [OPTIONS] NETWORK');
    expect(dockerCommandInfo(['x'])).toBeUndefined();
  });

  test('Go integer parsing rules', () => {
    expect(goIntError('42', true, 64)).toBeUndefined();
    expect(goIntError('-0x1F', true, 64)).toBeUndefined();
    expect(goIntError('010', true, 64)).toBeUndefined();
    expect(goIntError('08', true, 64)).toBe('strconv.ParseInt: parsing "08": invalid syntax');
    expect(goIntError('-1', false, 64)).toBe('strconv.ParseUint: parsing "-1": invalid syntax');
    expect(goIntError('65536', false, 16)).toBe('strconv.ParseUint: parsing "65536": value out of range');
    expect(goIntError('9223372036854775808', true, 64)).toBe('strconv.ParseInt: parsing "9223372036854775808": value out of range');
    expect(goIntError('-9223372036854775808', true, 64)).toBeUndefined();
  });
});
