/**
 * docker node inspect (issue 9 item 2), Docker 20.10:
 * - the JSON: docker/cli v20.10.24 docs/reference/commandline/node_inspect.md and a pasted 18.09
 *   `docker node inspect` (docker-archive/classicswarm #2915: `"Labels": {}` in Spec), field by field
 *   from moby v20.10.24 api/types/swarm/node.go (omitempty: no ManagerStatus on a worker, no Leader on
 *   a manager that does not lead); Description from daemon/cluster/executor/container/executor.go
 *   Describe() (the engine's plugins plus overlay, deduplicated, sorted by type then name).
 * - --pretty: cli/command/node/formatter.go nodeInspectPrettyTemplate and nodeInspectContext;
 *   inspect.go (--pretty replaces --format; "Cannot supply extra formatting options to the pretty
 *   template"; `self` is the node the engine runs).
 * - a worker: moby v20.10.24 daemon/cluster/errors.go errSwarmNotManager.
 */
import { describe, expect, it } from 'vitest';
import { runScript } from '../../src/index.js';

const TOKEN = 'SWMTKN-1-3pu6hszjas19xyp7ghgosyx9k8atbfcr8p2is99znpy26u2lkl-1awxwuwd3z9j1z3puu7rcgdbx';
const SWARM = [
  'host m1 --os ws2019 --ip 10.0.0.11/24', 'docker swarm init --advertise-addr 10.0.0.11',
  'host w1 --os ws2019 --ip 10.0.0.12/24', `docker swarm join --token ${TOKEN} 10.0.0.11:2377`,
  'host m1', 'docker node update --label-add zone=a w1',
];

async function run(lines: string[]) {
  const r = await runScript([...SWARM, ...lines].join('\n') + '\n', { seed: 1 });
  const at = (i: number) => {
    const s = r.steps.find((x) => x.line === SWARM.length + i + 1);
    if (!s) throw new Error(`no step at line ${SWARM.length + i + 1}`);
    return s;
  };
  return { out: (i: number) => at(i).output, err: (i: number) => at(i).error, ok: (i: number) => at(i).ok };
}

describe('docker node inspect', () => {
  it('prints the leader as Docker 20.10 does: spec, what the engine describes, status, manager status', async () => {
    const r = await run(['docker node inspect self']);
    const [node] = JSON.parse(r.out(0));
    expect(Object.keys(node)).toEqual(['ID', 'Version', 'CreatedAt', 'UpdatedAt', 'Spec', 'Description', 'Status', 'ManagerStatus']);
    expect(node.Spec).toEqual({ Labels: {}, Role: 'manager', Availability: 'active' });
    expect(node.Description.Platform).toEqual({ Architecture: 'x86_64', OS: 'windows' });
    expect(node.Description.Resources).toEqual({ NanoCPUs: 4000000000, MemoryBytes: 17179869184 });
    expect(node.Description.Engine.EngineVersion).toBe('20.10.24');
    const plugins = node.Description.Engine.Plugins.map((p: { Type: string; Name: string }) => `${p.Type}/${p.Name}`);
    expect(plugins.slice(10, 19)).toEqual(['ics', 'internal', 'l2bridge', 'l2tunnel', 'nat', 'null', 'overlay', 'private', 'transparent'].map((n) => `Network/${n}`));
    expect(plugins[0]).toBe('Log/awslogs');
    expect(plugins.at(-1)).toBe('Volume/local');
    expect(node.Status).toEqual({ State: 'ready', Addr: '10.0.0.11' });
    expect(node.ManagerStatus).toEqual({ Leader: true, Reachability: 'reachable', Addr: '10.0.0.11:2377' });
    expect(node.CreatedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
  });

  it('a worker has no ManagerStatus; its labels are in Spec.Labels', async () => {
    const r = await run(['docker node inspect w1']);
    const [node] = JSON.parse(r.out(0));
    expect(node.ManagerStatus).toBeUndefined();
    expect(node.Spec).toEqual({ Labels: { zone: 'a' }, Role: 'worker', Availability: 'active' });
    expect(node.Status.Addr).toBe('10.0.0.12');
  });

  it('--pretty prints formatter.go\'s template (tabs as written there)', async () => {
    const r = await run(['docker node inspect --pretty w1']);
    const lines = r.out(0).split('\n');
    expect(lines[0]).toMatch(/^ID:\t\t\t[0-9a-z]{25}$/);
    expect(lines.slice(1)).toEqual([
      'Labels:',
      ' - zone=a',
      'Hostname:              \tw1',
      expect.stringMatching(/^Joined at: {13}\t\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? \+0000 UTC$/),
      'Status:',
      ' State:\t\t\tReady',
      ' Availability:         \tActive',
      ' Address:\t\t10.0.0.12',
      'Platform:',
      ' Operating System:\twindows',
      ' Architecture:\t\tx86_64',
      'Resources:',
      ' CPUs:\t\t\t4',
      ' Memory:\t\t16GiB',
      'Plugins:',
      ' Log:\t\tawslogs, etwlogs, fluentd, gcplogs, gelf, json-file, local, logentries, splunk, syslog',
      ' Network:\t\tics, internal, l2bridge, l2tunnel, nat, null, overlay, private, transparent',
      ' Volume:\t\tlocal',
      'Engine Version:\t\t20.10.24',
    ]);
  });

  it('--pretty on the leader has its Manager Status; --pretty wins over --format', async () => {
    const r = await run(['docker node inspect --pretty -f "{{.ID}}" self']);
    expect(r.out(0)).toContain('Manager Status:\n Address:\t\t10.0.0.11:2377\n Raft Status:\t\tReachable\n Leader:\t\tYes\n');
  });

  it('-f runs Docker\'s template over the node; a missing node and a pretty variant are Docker\'s errors', async () => {
    const r = await run([
      "docker node inspect -f '{{ .ManagerStatus.Leader }} {{ .Description.Platform.OS }}' self",
      'docker node inspect w1 nosuch',
      'docker node inspect --format prettyx self',
    ]);
    expect(r.out(0)).toBe('true windows');
    expect(r.ok(1)).toBe(false);
    expect(r.err(1)).toBe('Error response from daemon: node nosuch not found');
    expect(JSON.parse(r.out(1))).toHaveLength(1);
    expect(r.err(2)).toBe('Cannot supply extra formatting options to the pretty template');
  });

  it('on a worker: errSwarmNotManager', async () => {
    const r = await run(['host w1', 'docker node inspect self']);
    expect(r.err(1)).toBe("Error response from daemon: This node is not a swarm manager. Worker nodes can't be used to view or modify cluster state. Please run this command on a manager node or promote the current node to a manager.");
  });
});
