/** Dispatch of `docker ...` commands to the modules that own them. */
import type { DockerCommand } from '../script/ast.js';
import { composeUp } from './compose.js';
import {
  dockerInspect, dockerPs, dockerRestart, dockerRm, dockerRun, dockerStart, dockerStop, networkConnect, networkDisconnect,
} from './containers.js';
import { ensureEngine } from './docker-engine.js';
import { fail } from './errors.js';
import type { FileSource } from './files.js';
import { dockerNotSimulated } from './answers.js';
import { networkCreate, networkInspect, networkLs, networkPrune, networkRm } from './networks.js';
import { dockerServiceLs, serviceCreate, serviceRm, serviceScale, serviceTasksPs } from './services.js';
import { nodeLs, swarmInit, swarmJoin, swarmLeave } from './swarm.js';
import { dockerExec } from './tools.js';
import type { TrafficRequest } from './traffic.js';
import type { Host, World } from './types.js';
import { osProfile } from './os.js';
import { daemonDown, serviceRunning } from './repair.js';
import { dockerPort } from './ports.js';

/** `docker version` of the profile's engine (18.03 aligns its columns to the longest key; 18.09+ to a fixed width). */
export function dockerVersion(host: Host): string {
  const prof = osProfile(host.os);
  const e = prof.engine;
  const old = !e.product;
  const row = (indent: string, key: string, value: string): string =>
    `${indent}${`${key}:`.padEnd(old ? 14 : indent.length === 1 ? 19 : 18)}${value}`;
  const client = [
    ['Version', e.version], ['API version', e.api], ['Go version', e.client.go], ['Git commit', e.client.commit],
    ['Built', e.client.built], ['OS/Arch', 'windows/amd64'], ...(e.contextLine ? [['Context', 'default']] : []),
    ['Experimental', String(e.experimental.client)], ...(e.orchestratorLine ? [['Orchestrator', 'swarm']] : []),
  ];
  const server = [
    ['Version', e.version], ['API version', `${e.api} (minimum version 1.24)`], ['Go version', e.server.go], ['Git commit', e.server.commit],
    ['Built', e.server.built], ['OS/Arch', 'windows/amd64'], ['Experimental', String(e.experimental.server)],
    ...(e.kernelLine ? [['Kernel Version', `10.0 ${prof.build}`]] : []),
  ];
  return [
    old ? 'Client:' : `Client: ${e.product}`, ...client.map(([k, v]) => row(' ', k!, v!)), '',
    old ? 'Server:' : `Server: ${e.product}`, ' Engine:', ...server.map(([k, v]) => row('  ', k!, v!)),
  ].join('\n');
}

/**
 * `docker info`. Before 19.03 the CLI printed the daemon's fields without the Client/Server split
 * and with its own debug, label and registry lines (real 18.06 output on Windows 10 1803 and 18.09
 * on Windows Server 2016 pasted in public notes, docs/behaviour.md).
 */
function dockerInfo(host: Host): string {
  const prof = osProfile(host.os);
  const running = host.containers.filter((c) => c.state === 'running').length;
  const stopped = host.containers.length - running;
  const swarm = host.engine?.swarmRole
    ? [`Swarm: active`, ` NodeID: ${host.engine.nodeId}`, ` Is Manager: ${host.engine.swarmRole === 'manager'}`, ` Node Address: ${(host.nics.find((n) => n.ip)?.ip ?? '').replace(/\/\d+$/, '')}`]
    : ['Swarm: inactive'];
  const modern = prof.engine.contextLine;
  const kernel = prof.kernel ? `10.0 ${prof.build} (${prof.kernel})` : `10.0 ${prof.build}`;
  const daemon = [
    `Containers: ${host.containers.length}`, ` Running: ${running}`, ' Paused: 0', ` Stopped: ${stopped}`,
    'Images: 1', `Server Version: ${prof.engine.version}`, 'Storage Driver: windowsfilter', ' Windows:', 'Logging Driver: json-file',
    'Plugins:', ' Volume: local',
    modern ? ' Network: ics internal l2bridge l2tunnel nat null overlay private transparent' : ' Network: ics l2bridge l2tunnel nat null overlay transparent',
    modern ? ' Log: awslogs etwlogs fluentd gcplogs gelf json-file local logentries splunk syslog' : ' Log: awslogs etwlogs fluentd gelf json-file local logentries splunk syslog',
    ...swarm,
    `Default Isolation: ${prof.client ? 'hyperv' : 'process'}`, `Kernel Version: ${kernel}`,
    `Operating System: ${prof.caption} Version ${prof.release} (OS Build ${prof.build})`,
    'OSType: windows', 'Architecture: x86_64', 'CPUs: 4', 'Total Memory: 16GiB', `Name: ${host.name.toUpperCase()}`,
    'Docker Root Dir: C:\\ProgramData\\docker',
  ];
  if (!modern) {
    return [
      ...daemon, 'Debug Mode (client): false', 'Debug Mode (server): false', 'Registry: https://index.docker.io/v1/', 'Labels:',
      'Experimental: false', 'Insecure Registries:', ' 127.0.0.0/8', 'Live Restore Enabled: false',
    ].join('\n');
  }
  return [
    'Client:', ' Context:    default', ' Debug Mode: false', '', 'Server:',
    ...[...daemon, 'Debug Mode: false', 'Registry: https://index.docker.io/v1/', 'Live Restore Enabled: false'].map((l) => ` ${l}`),
  ].join('\n');
}

export interface DockerResult {
  output: string;
  warnings: string[];
  traffic?: TrafficRequest;
}

export function docker(world: World, host: Host, cmd: DockerCommand, files: FileSource): DockerResult {
  const path = cmd.path.join(' ');
  const plain = (output: string): DockerResult => ({ output, warnings: [] });
  if (!serviceRunning(host, 'docker')) fail(daemonDown(cmd));
  ensureEngine(world, host, cmd.line);
  switch (path) {
    case 'network create':
      return networkCreate(world, host, cmd);
    case 'network ls':
    case 'network list':
      return plain(networkLs(world, host, cmd));
    case 'network inspect':
      return plain(networkInspect(world, host, cmd));
    case 'network rm':
    case 'network remove':
      return plain(networkRm(world, host, cmd));
    case 'network prune':
      return plain(networkPrune(world, host, cmd));
    case 'network connect':
      return networkConnect(world, host, cmd);
    case 'network disconnect':
      return plain(networkDisconnect(world, host, cmd));
    case 'run':
    case 'container run':
      return dockerRun(world, host, cmd);
    case 'start':
    case 'container start':
      return dockerStart(world, host, cmd);
    case 'stop':
    case 'container stop':
      return plain(dockerStop(world, host, cmd));
    case 'restart':
    case 'container restart':
      return dockerRestart(world, host, cmd);
    case 'rm':
    case 'container rm':
      return plain(dockerRm(world, host, cmd));
    case 'ps':
    case 'container ls':
    case 'container list':
      return plain(dockerPs(world, host, cmd));
    case 'port':
    case 'container port':
      return plain(dockerPort(host, cmd));
    case 'inspect':
    case 'container inspect':
      return plain(dockerInspect(world, host, cmd));
    case 'exec':
    case 'container exec':
      return dockerExec(world, host, cmd);
    case 'swarm init':
      return plain(swarmInit(world, host, cmd));
    case 'swarm join':
      return swarmJoin(world, host, cmd);
    case 'swarm leave':
      return plain(swarmLeave(world, host, cmd));
    case 'swarm join-token': {
      const s = world.swarm;
      if (!s || host.engine?.swarmRole !== 'manager')
        fail('Error response from daemon: This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.');
      const role = cmd.args[0]?.value === 'manager' ? 'manager' : 'worker';
      return plain(`To add a ${role} to this swarm, run the following command:\n\n    docker swarm join --token ${s.tokens[role]} ${s.managerAddr}:2377\n`);
    }
    case 'service create':
      return serviceCreate(world, host, cmd);
    case 'service ls':
    case 'service list':
      return plain(dockerServiceLs(world, host, cmd));
    case 'service ps':
      return plain(serviceTasksPs(world, host, cmd));
    case 'service rm':
    case 'service remove':
      return plain(serviceRm(world, host, cmd));
    case 'service scale':
      return serviceScale(world, host, cmd);
    case 'node ls':
    case 'node list':
      return plain(nodeLs(world, host));
    case 'compose up':
      return composeUp(world, host, cmd, files);
    case 'pull':
    case 'image pull': {
      const image = cmd.args[0]?.value ?? '';
      const tagged = /:[^/]+$/.test(image) ? image : `${image}:latest`;
      const tag = tagged.slice(tagged.lastIndexOf(':') + 1);
      return plain(`${tagged === image ? '' : 'Using default tag: latest\n'}${tag}: Pulling from ${image.replace(/:[^/]+$/, '')}\nDigest: sha256:${'0'.repeat(64)}\nStatus: Image is up to date for ${tagged}`);
    }
    case 'version':
      return plain(dockerVersion(host));
    case 'info':
      return plain(dockerInfo(host));
    default:
      return fail(dockerNotSimulated(path));
  }
}
