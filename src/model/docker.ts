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

function dockerVersion(host: Host): string {
  const build = osProfile(host.os).build;
  return [
    'Client: Mirantis Container Runtime', ' Version:           20.10.24', ' API version:       1.41', ' Go version:        go1.19.7',
    ' Git commit:        5d6db84', ' Built:             Tue Apr  4 18:24:57 2023', ' OS/Arch:           windows/amd64', ' Context:           default',
    ' Experimental:      true', '', 'Server: Mirantis Container Runtime', ' Engine:', '  Version:          20.10.24', '  API version:      1.41 (minimum version 1.24)',
    '  Go version:       go1.19.7', '  Git commit:       5fd4c5e', `  Built:            Tue Apr  4 18:23:43 2023`, '  OS/Arch:          windows/amd64',
    '  Experimental:     false', `  Kernel Version:   10.0 ${build}`,
  ].join('\n');
}

function dockerInfo(host: Host): string {
  const prof = osProfile(host.os);
  const running = host.containers.filter((c) => c.state === 'running').length;
  const stopped = host.containers.length - running;
  const swarm = host.engine?.swarmRole
    ? [` Swarm: active`, `  NodeID: ${host.engine.nodeId}`, `  Is Manager: ${host.engine.swarmRole === 'manager'}`, `  Node Address: ${(host.nics.find((n) => n.ip)?.ip ?? '').replace(/\/\d+$/, '')}`]
    : [' Swarm: inactive'];
  return [
    'Client:', ' Context:    default', ' Debug Mode: false', '', 'Server:',
    ` Containers: ${host.containers.length}`, `  Running: ${running}`, '  Paused: 0', `  Stopped: ${stopped}`,
    ' Images: 1', ' Server Version: 20.10.24', ' Storage Driver: windowsfilter', '  Windows:', ' Logging Driver: json-file',
    ' Plugins:', '  Volume: local', '  Network: ics internal l2bridge l2tunnel nat null overlay private transparent',
    '  Log: awslogs etwlogs fluentd gcplogs gelf json-file local logentries splunk syslog', ...swarm,
    ` Default Isolation: ${prof.client ? 'hyperv' : 'process'}`, ` Kernel Version: 10.0 ${prof.build}`,
    ` Operating System: ${prof.caption} Version ${host.os === 'ws2016' ? '1607' : host.os === 'win10-1703' ? '1703' : host.os === 'ws1709' ? '1709' : host.os === 'ws2019' ? '1809' : '21H2'} (OS Build ${prof.build})`,
    ' OSType: windows', ' Architecture: x86_64', ' CPUs: 4', ' Total Memory: 16GiB', ` Name: ${host.name.toUpperCase()}`,
    ' Docker Root Dir: C:\\ProgramData\\docker', ' Debug Mode: false', ' Registry: https://index.docker.io/v1/', ' Live Restore Enabled: false',
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
