/**
 * `docker port`: a container's published ports as docker/cli v20.10 prints them from
 * NetworkSettings.Ports, which on Windows carry the host address 0.0.0.0 that Docker reads back
 * from HNS (libnetwork windows.go ParsePortBindingPolicies).
 */
import type { DockerCommand } from '../script/ast.js';
import { findContainer } from './containers.js';
import { fail } from './errors.js';
import type { Host } from './types.js';

export function dockerPort(host: Host, cmd: DockerCommand): string {
  const usage = 'docker port CONTAINER [PRIVATE_PORT[/PROTO]]';
  if (cmd.args.length > 2)
    fail(`"docker port" requires at least 1 and at most 2 arguments.\nSee 'docker port --help'.\n\nUsage:  ${usage}\n\nList port mappings or a specific mapping for the container`);
  const ref = cmd.args[0]!.value;
  const c = findContainer(host, ref);
  if (!c) fail(`Error: No such container: ${ref}`);
  const bindings = host.endpoints
    .filter((e) => e.containerId === c.id)
    .flatMap((e) => e.portMappings.map((m) => ({ key: `${m.containerPort}/${m.protocol}`, host: `0.0.0.0:${m.hostPort}` })));
  const want = cmd.args[1]?.value;
  if (want !== undefined) {
    // port.go: "P/PROTO" splits only when PROTO is not empty ("80/" stays one word, and fails below).
    const slash = want.indexOf('/');
    const split = slash >= 0 && slash < want.length - 1;
    const port = split ? want.slice(0, slash) : want;
    const proto = split ? want.slice(slash + 1) : 'tcp';
    // nat.NewPort checks the port (ParsePortRange: strconv.ParseUint of each end, 16 bits).
    if (port === '') fail('Empty string specified for ports.');
    const ends = (port.includes('-') ? port.split('-', 2) : [port]).map((end) => {
      if (!/^\d+$/.test(end)) fail(`strconv.ParseUint: parsing ${JSON.stringify(end)}: invalid syntax`);
      if (Number(end) > 65535) fail(`strconv.ParseUint: parsing ${JSON.stringify(end)}: value out of range`);
      return Number(end);
    });
    if (ends[1] !== undefined && ends[1] < ends[0]!) fail(`Invalid range specified for the Port: ${port}`);
    const key = `${port}/${proto}`;
    const natPort = `${ends[0]}${ends[1] !== undefined && ends[1] !== ends[0] ? `-${ends[1]}` : ''}/${proto}`;
    const hits = bindings.filter((b) => b.key === natPort);
    if (!hits.length) fail(`Error: No public port '${key}' published for ${ref}`);
    return hits.map((b) => b.host).join('\n');
  }
  // The CLI walks a Go map (random order); sorted here so transcripts are reproducible.
  return bindings.map((b) => `${b.key} -> ${b.host}`).sort().join('\n');
}

