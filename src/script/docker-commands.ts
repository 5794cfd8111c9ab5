/**
 * The `docker` commands Packet Path knows, with each one's flags as docker/cli (and docker/compose)
 * define them. Sources, read from the docker/cli repository (names, shorthands, types and help
 * texts copied from the `flags.XxxVar(...)` calls):
 * - root: cli/flags/options.go (`--config`, `-c/--context`, `-D/--debug`, `-H/--host`, ...)
 * - network: cli/command/network/{create,list,inspect,remove,connect,disconnect,prune}.go
 * - run: cli/command/container/run.go (`AddRunFlags`) + opts.go (`addFlags`)
 * - start, stop, rm, ps, exec: cli/command/container/{start,stop,rm,list,exec}.go
 * - inspect: cli/command/system/inspect.go; container inspect: cli/command/container/inspect.go
 * - swarm: cli/command/swarm/{init,join,leave,opts}.go
 * - service: cli/command/service/{create,opts,list,remove,ps,inspect,scale}.go; swarm join-token:
 *   cli/command/swarm/join_token.go; node: cli/command/node/{cmd,list}.go
 * - compose: docker/compose cmd/compose/{compose,up,down}.go
 * - version, info: cli/command/system/{version,info}.go; pull: cli/command/image/pull.go
 * Argument-count rules are the `cli.ExactArgs`/`RequiresMinArgs`/`NoArgs` of each command.
 */
import type { FlagSpec, FlagType } from './flags.js';

export type ArgRule =
  | { kind: 'any' }
  | { kind: 'none' }
  | { kind: 'exact'; n: number }
  | { kind: 'min'; n: number };

export interface DockerCommandSpec {
  /** Name as in cobra's `Use` (`ls`). */
  name: string;
  aliases?: readonly string[];
  /** `DockerCommand.path` for this command when it is not the written path (`container run` → `run`). */
  canonical?: readonly string[];
  usage: string;
  description: string;
  /** What the command does on a Windows container host (the editor's hovers and completions). */
  doc?: string;
  flags?: readonly FlagSpec[];
  /** Flags that also apply to every subcommand (compose's `-f`, `-p`, ...). */
  persistentFlags?: readonly FlagSpec[];
  /** `false` for commands that call `flags.SetInterspersed(false)`. */
  interspersed?: boolean;
  args?: ArgRule;
  /** How positionals split: first is the image (run, service create) or container (exec), the rest the command. */
  positional?: 'image-command' | 'container-command';
  children?: readonly DockerCommandSpec[];
  /** `children` lists every subcommand docker/cli v20.10 has, so the group's usage text (which
   *  docker prints for an unknown subcommand) can be written out. */
  childrenComplete?: boolean;
}

type Row = [name: string, short: string, type: FlagType, description: string, extra?: Partial<FlagSpec>];

function table(rows: Row[]): FlagSpec[] {
  return rows.map(([name, short, type, description, extra]) => ({
    name, type, description, ...(short ? { short } : {}), ...(extra ?? {}),
  }));
}

/**
 * Adds the Windows notes to a flag table: `notes[name] = [placeholder, doc]` (either may be empty).
 * The notes come from the seed document and SPEC §2–3.
 */
function withNotes(flags: FlagSpec[], notes: Record<string, [placeholder: string, doc: string]>): FlagSpec[] {
  return flags.map((f) => {
    const n = notes[f.name];
    if (!n) return f;
    return { ...f, ...(n[0] ? { placeholder: n[0] } : {}), ...(n[1] ? { doc: n[1] } : {}) };
  });
}

/** Root flags (cli/flags/options.go); only valid before the subcommand (the root is not interspersed). */
export const DOCKER_GLOBAL_FLAGS: readonly FlagSpec[] = table([
  ['config', '', 'string', 'Location of client config files'],
  ['context', 'c', 'string', 'Name of the context to use to connect to the daemon (overrides DOCKER_HOST env var and default context set with "docker context use")'],
  ['debug', 'D', 'bool', 'Enable debug mode'],
  ['host', 'H', 'list', 'Daemon socket to connect to'],
  ['log-level', 'l', 'string', 'Set the logging level ("debug", "info", "warn", "error", "fatal")', { values: ['debug', 'info', 'warn', 'error', 'fatal'] }],
  ['tls', '', 'bool', 'Use TLS; implied by --tlsverify'],
  ['tlscacert', '', 'string', 'Trust certs signed only by this CA'],
  ['tlscert', '', 'string', 'Path to TLS certificate file'],
  ['tlskey', '', 'string', 'Path to TLS key file'],
  ['tlsverify', '', 'bool', 'Use TLS and verify the remote'],
  ['version', 'v', 'bool', 'Print version information and quit'],
]);

const CONTAINER_FLAGS: Row[] = [
  // General purpose
  ['attach', 'a', 'list', 'Attach to STDIN, STDOUT or STDERR'],
  ['device-cgroup-rule', '', 'list', 'Add a rule to the cgroup allowed devices list'],
  ['device', '', 'list', 'Add a host device to the container'],
  ['gpus', '', 'list', "GPU devices to add to the container ('all' to pass all GPUs)"],
  ['env', 'e', 'list', 'Set environment variables'],
  ['env-file', '', 'list', 'Read in a file of environment variables'],
  ['entrypoint', '', 'string', 'Overwrite the default ENTRYPOINT of the image'],
  ['group-add', '', 'list', 'Add additional groups to join'],
  ['hostname', 'h', 'string', 'Container host name'],
  ['domainname', '', 'string', 'Container NIS domain name'],
  ['interactive', 'i', 'bool', 'Keep STDIN open even if not attached'],
  ['label', 'l', 'list', 'Set meta data on a container'],
  ['label-file', '', 'list', 'Read in a line delimited file of labels'],
  ['read-only', '', 'bool', "Mount the container's root filesystem as read only"],
  ['restart', '', 'string', 'Restart policy to apply when a container exits'],
  ['stop-signal', '', 'string', 'Signal to stop the container'],
  ['stop-timeout', '', 'int', 'Timeout (in seconds) to stop a container'],
  ['sysctl', '', 'list', 'Sysctl options'],
  ['tty', 't', 'bool', 'Allocate a pseudo-TTY'],
  ['ulimit', '', 'list', 'Ulimit options'],
  ['user', 'u', 'string', 'Username or UID (format: <name|uid>[:<group|gid>])'],
  ['workdir', 'w', 'string', 'Working directory inside the container'],
  ['rm', '', 'bool', 'Automatically remove the container and its associated anonymous volumes when it exits'],
  // Security
  ['cap-add', '', 'list', 'Add Linux capabilities'],
  ['cap-drop', '', 'list', 'Drop Linux capabilities'],
  ['privileged', '', 'bool', 'Give extended privileges to this container'],
  ['security-opt', '', 'list', 'Security Options'],
  ['userns', '', 'string', 'User namespace to use'],
  ['cgroupns', '', 'string', 'Cgroup namespace to use (host|private)'],
  // Network and port publishing
  ['add-host', '', 'list', 'Add a custom host-to-IP mapping (host:ip)'],
  ['dns', '', 'list', 'Set custom DNS servers'],
  ['dns-opt', '', 'list', 'Set DNS options', { hidden: true }],
  ['dns-option', '', 'list', 'Set DNS options'],
  ['dns-search', '', 'list', 'Set custom DNS search domains'],
  ['expose', '', 'list', 'Expose a port or a range of ports'],
  ['ip', '', 'string', 'IPv4 address (e.g., 172.30.100.104)'],
  ['ip6', '', 'string', 'IPv6 address (e.g., 2001:db8::33)'],
  ['link', '', 'list', 'Add link to another container'],
  ['link-local-ip', '', 'list', 'Container IPv4/IPv6 link-local addresses'],
  ['mac-address', '', 'string', 'Container MAC address (e.g., 92:d0:c6:0a:29:33)'],
  ['publish', 'p', 'list', "Publish a container's port(s) to the host"],
  ['publish-all', 'P', 'bool', 'Publish all exposed ports to random ports'],
  ['net', '', 'list', 'Connect a container to a network', { hidden: true }],
  ['network', '', 'list', 'Connect a container to a network'],
  ['net-alias', '', 'list', 'Add network-scoped alias for the container', { hidden: true }],
  ['network-alias', '', 'list', 'Add network-scoped alias for the container'],
  // Logging and storage
  ['log-driver', '', 'string', 'Logging driver for the container'],
  ['volume-driver', '', 'string', 'Optional volume driver for the container'],
  ['log-opt', '', 'list', 'Log driver options'],
  ['storage-opt', '', 'list', 'Storage driver options for the container'],
  ['tmpfs', '', 'list', 'Mount a tmpfs directory'],
  ['volumes-from', '', 'list', 'Mount volumes from the specified container(s)'],
  ['volume', 'v', 'list', 'Bind mount a volume'],
  ['mount', '', 'list', 'Attach a filesystem mount to the container'],
  // Health-checking
  ['health-cmd', '', 'string', 'Command to run to check health'],
  ['health-interval', '', 'string', 'Time between running the check (ms|s|m|h) (default 0s)'],
  ['health-retries', '', 'int', 'Consecutive failures needed to report unhealthy'],
  ['health-timeout', '', 'string', 'Maximum time to allow one check to run (ms|s|m|h) (default 0s)'],
  ['health-start-period', '', 'string', 'Start period for the container to initialize before starting health-retries countdown (ms|s|m|h) (default 0s)'],
  ['health-start-interval', '', 'string', 'Time between running the check during the start period (ms|s|m|h) (default 0s)'],
  ['no-healthcheck', '', 'bool', 'Disable any container-specified HEALTHCHECK'],
  // Resource management
  ['blkio-weight', '', 'uint', 'Block IO (relative weight), between 10 and 1000, or 0 to disable (default 0)', { bits: 16 }],
  ['blkio-weight-device', '', 'list', 'Block IO weight (relative device weight)'],
  ['cidfile', '', 'string', 'Write the container ID to the file'],
  ['cpuset-cpus', '', 'string', 'CPUs in which to allow execution (0-3, 0,1)'],
  ['cpuset-mems', '', 'string', 'MEMs in which to allow execution (0-3, 0,1)'],
  ['cpu-count', '', 'int', 'CPU count (Windows only)'],
  ['cpu-percent', '', 'int', 'CPU percent (Windows only)'],
  ['cpu-period', '', 'int', 'Limit CPU CFS (Completely Fair Scheduler) period'],
  ['cpu-quota', '', 'int', 'Limit CPU CFS (Completely Fair Scheduler) quota'],
  ['cpu-rt-period', '', 'int', 'Limit CPU real-time period in microseconds'],
  ['cpu-rt-runtime', '', 'int', 'Limit CPU real-time runtime in microseconds'],
  ['cpu-shares', 'c', 'int', 'CPU shares (relative weight)'],
  ['cpus', '', 'string', 'Number of CPUs'],
  ['device-read-bps', '', 'list', 'Limit read rate (bytes per second) from a device'],
  ['device-read-iops', '', 'list', 'Limit read rate (IO per second) from a device'],
  ['device-write-bps', '', 'list', 'Limit write rate (bytes per second) to a device'],
  ['device-write-iops', '', 'list', 'Limit write rate (IO per second) to a device'],
  ['io-maxbandwidth', '', 'string', 'Maximum IO bandwidth limit for the system drive (Windows only)'],
  ['io-maxiops', '', 'uint', 'Maximum IOps limit for the system drive (Windows only)'],
  ['memory', 'm', 'string', 'Memory limit'],
  ['memory-reservation', '', 'string', 'Memory soft limit'],
  ['memory-swap', '', 'string', "Swap limit equal to memory plus swap: '-1' to enable unlimited swap"],
  ['memory-swappiness', '', 'int', 'Tune container memory swappiness (0 to 100)'],
  ['oom-kill-disable', '', 'bool', 'Disable OOM Killer'],
  ['oom-score-adj', '', 'int', "Tune host's OOM preferences (-1000 to 1000)"],
  ['pids-limit', '', 'int', 'Tune container pids limit (set -1 for unlimited)'],
  // Low-level execution
  ['cgroup-parent', '', 'string', 'Optional parent cgroup for the container'],
  ['ipc', '', 'string', 'IPC mode to use'],
  ['isolation', '', 'string', 'Container isolation technology', { values: ['default', 'process', 'hyperv'] }],
  ['pid', '', 'string', 'PID namespace to use'],
  ['shm-size', '', 'string', 'Size of /dev/shm'],
  ['uts', '', 'string', 'UTS namespace to use'],
  ['runtime', '', 'string', 'Runtime to use for this container'],
  ['init', '', 'bool', 'Run an init inside the container that forwards signals and reaps processes'],
  ['annotation', '', 'list', 'Add an annotation to the container (passed through to the OCI runtime)'],
  ['kernel-memory', '', 'string', 'Kernel memory limit (deprecated)', { hidden: true }],
];

const RUN_FLAGS: Row[] = [
  ['detach', 'd', 'bool', 'Run container in background and print container ID'],
  ['sig-proxy', '', 'bool', 'Proxy received signals to the process'],
  ['name', '', 'string', 'Assign a name to the container'],
  ['detach-keys', '', 'string', 'Override the key sequence for detaching a container'],
  ['pull', '', 'string', 'Pull image before running ("always", "missing", "never")', { values: ['always', 'missing', 'never'] }],
  ['quiet', 'q', 'bool', 'Suppress the pull output'],
  // An explicit --help without -h, which is --hostname here (run.go).
  ['help', '', 'bool', 'Print usage'],
  ['platform', '', 'string', 'Set platform if server is multi-platform capable'],
  ['disable-content-trust', '', 'bool', 'Skip image verification'],
];

const SERVICE_FLAGS: Row[] = [
  // create.go
  ['mode', '', 'string', 'Service mode ("replicated", "global", "replicated-job", "global-job")', { values: ['replicated', 'global', 'replicated-job', 'global-job'] }],
  ['name', '', 'string', 'Service name'],
  // opts.go addServiceFlags
  ['detach', 'd', 'bool', 'Exit immediately instead of waiting for the service to converge'],
  ['quiet', 'q', 'bool', 'Suppress progress output'],
  ['workdir', 'w', 'string', 'Working directory inside the container'],
  ['user', 'u', 'string', 'Username or UID (format: <name|uid>[:<group|gid>])'],
  ['credential-spec', '', 'string', 'Credential spec for managed service account (Windows only)'],
  ['hostname', '', 'string', 'Container hostname'],
  ['entrypoint', '', 'string', 'Overwrite the default ENTRYPOINT of the image'],
  ['cap-add', '', 'list', 'Add Linux capabilities'],
  ['cap-drop', '', 'list', 'Drop Linux capabilities'],
  ['limit-cpu', '', 'string', 'Limit CPUs'],
  ['limit-memory', '', 'string', 'Limit Memory'],
  ['reserve-cpu', '', 'string', 'Reserve CPUs'],
  ['reserve-memory', '', 'string', 'Reserve Memory'],
  ['limit-pids', '', 'int', 'Limit maximum number of processes (default 0 = unlimited)'],
  ['stop-grace-period', '', 'string', 'Time to wait before force killing a container (ns|us|ms|s|m|h) (default 10s)'],
  ['replicas', '', 'uint', 'Number of tasks'],
  ['max-concurrent', '', 'uint', 'Number of job tasks to run concurrently (default equal to --replicas)'],
  ['replicas-max-per-node', '', 'uint', 'Maximum number of tasks per node (default 0 = unlimited)'],
  ['restart-condition', '', 'string', 'Restart when condition is met ("none", "on-failure", "any") (default "any")', { values: ['none', 'on-failure', 'any'] }],
  ['restart-delay', '', 'string', 'Delay between restart attempts (ns|us|ms|s|m|h) (default 5s)'],
  ['restart-max-attempts', '', 'uint', 'Maximum number of restarts before giving up'],
  ['restart-window', '', 'string', 'Window used to evaluate the restart policy (ns|us|ms|s|m|h)'],
  ['update-parallelism', '', 'uint', 'Maximum number of tasks updated simultaneously (0 to update all at once)'],
  ['update-delay', '', 'string', 'Delay between updates (ns|us|ms|s|m|h) (default 0s)'],
  ['update-monitor', '', 'string', 'Duration after each task update to monitor for failure (ns|us|ms|s|m|h) (default 5s)'],
  ['update-failure-action', '', 'string', 'Action on update failure ("pause", "continue", "rollback") (default "pause")'],
  ['update-max-failure-ratio', '', 'string', 'Failure rate to tolerate during an update (default 0)'],
  ['update-order', '', 'string', 'Update order ("start-first", "stop-first") (default "stop-first")'],
  ['rollback-parallelism', '', 'uint', 'Maximum number of tasks rolled back simultaneously (0 to roll back all at once)'],
  ['rollback-delay', '', 'string', 'Delay between task rollbacks (ns|us|ms|s|m|h) (default 0s)'],
  ['rollback-monitor', '', 'string', 'Duration after each task rollback to monitor for failure (ns|us|ms|s|m|h) (default 5s)'],
  ['rollback-failure-action', '', 'string', 'Action on rollback failure ("pause", "continue") (default "pause")'],
  ['rollback-max-failure-ratio', '', 'string', 'Failure rate to tolerate during a rollback (default 0)'],
  ['rollback-order', '', 'string', 'Rollback order ("start-first", "stop-first") (default "stop-first")'],
  ['endpoint-mode', '', 'string', 'Endpoint mode (vip or dnsrr) (default "vip")', { values: ['vip', 'dnsrr'] }],
  ['with-registry-auth', '', 'bool', 'Send registry authentication details to swarm agents'],
  ['no-resolve-image', '', 'bool', 'Do not query the registry to resolve image digest and supported platforms'],
  ['log-driver', '', 'string', 'Logging driver for service'],
  ['log-opt', '', 'list', 'Logging driver options'],
  ['health-cmd', '', 'string', 'Command to run to check health'],
  ['health-interval', '', 'string', 'Time between running the check (ms|s|m|h)'],
  ['health-timeout', '', 'string', 'Maximum time to allow one check to run (ms|s|m|h)'],
  ['health-retries', '', 'int', 'Consecutive failures needed to report unhealthy'],
  ['health-start-period', '', 'string', 'Start period for the container to initialize before counting retries towards unstable (ms|s|m|h)'],
  ['health-start-interval', '', 'string', 'Time between running the check during the start period (ms|s|m|h)'],
  ['no-healthcheck', '', 'bool', 'Disable any container-specified HEALTHCHECK'],
  ['tty', 't', 'bool', 'Allocate a pseudo-TTY'],
  ['read-only', '', 'bool', "Mount the container's root filesystem as read only"],
  ['stop-signal', '', 'string', 'Signal to stop the container'],
  ['isolation', '', 'string', 'Service container isolation mode'],
  // create.go, after addServiceFlags
  ['label', 'l', 'list', 'Service labels'],
  ['container-label', '', 'list', 'Container labels'],
  ['env', 'e', 'list', 'Set environment variables'],
  ['env-file', '', 'list', 'Read in a file of environment variables'],
  ['mount', '', 'list', 'Attach a filesystem mount to the service'],
  ['constraint', '', 'list', 'Placement constraints'],
  ['placement-pref', '', 'list', 'Add a placement preference'],
  ['network', '', 'list', 'Network attachments'],
  ['secret', '', 'list', 'Specify secrets to expose to the service'],
  ['config', '', 'list', 'Specify configurations to expose to the service'],
  ['publish', 'p', 'list', 'Publish a port as a node port'],
  ['group', '', 'list', 'Set one or more supplementary user groups for the container'],
  ['dns', '', 'list', 'Set custom DNS servers'],
  ['dns-option', '', 'list', 'Set DNS options'],
  ['dns-search', '', 'list', 'Set custom DNS search domains'],
  ['host', '', 'list', 'Set one or more custom host-to-IP mappings (host:ip)'],
  ['init', '', 'bool', 'Use an init inside each service container to forward signals and reap processes'],
  ['sysctl', '', 'list', 'Sysctl options'],
  ['ulimit', '', 'list', 'Ulimit options'],
  ['oom-score-adj', '', 'int', "Tune host's OOM preferences (-1000 to 1000) "],
  ['generic-resource', '', 'list', 'User defined resources'],
];

/** docker/cli v20.10.24 cli/command/service/opts.go addServiceFlags: the rows create and update share. */
const ADD_SERVICE_FLAGS: Row[] = SERVICE_FLAGS.slice(SERVICE_FLAGS.findIndex((r) => r[0] === 'detach'), SERVICE_FLAGS.findIndex((r) => r[0] === 'label'));

/** docker/cli v20.10.24 cli/command/service/update.go newUpdateCommand. */
const SERVICE_UPDATE_FLAGS: Row[] = [
  ['image', '', 'string', 'Service image tag'],
  ['args', '', 'string', 'Service command args'],
  ['rollback', '', 'bool', 'Rollback to previous specification'],
  ['force', '', 'bool', 'Force update even if no changes require it'],
  ...ADD_SERVICE_FLAGS,
  ['env-rm', '', 'list', 'Remove an environment variable'],
  ['group-rm', '', 'list', 'Remove a previously added supplementary user group from the container'],
  ['label-rm', '', 'list', 'Remove a label by its key'],
  ['container-label-rm', '', 'list', 'Remove a container label by its key'],
  ['mount-rm', '', 'list', 'Remove a mount by its target path'],
  ['publish-rm', '', 'list', 'Remove a published port by its target port'],
  ['constraint-rm', '', 'list', 'Remove a constraint'],
  ['dns-rm', '', 'list', 'Remove a custom DNS server'],
  ['dns-option-rm', '', 'list', 'Remove a DNS option'],
  ['dns-search-rm', '', 'list', 'Remove a DNS search domain'],
  ['host-rm', '', 'list', 'Remove a custom host-to-IP mapping (host:ip)'],
  ['label-add', '', 'list', 'Add or update a service label'],
  ['container-label-add', '', 'list', 'Add or update a container label'],
  ['env-add', '', 'list', 'Add or update an environment variable'],
  ['secret-rm', '', 'list', 'Remove a secret'],
  ['secret-add', '', 'list', 'Add or update a secret on a service'],
  ['config-rm', '', 'list', 'Remove a configuration file'],
  ['config-add', '', 'list', 'Add or update a config file on a service'],
  ['mount-add', '', 'list', 'Add or update a mount on a service'],
  ['constraint-add', '', 'list', 'Add or update a placement constraint'],
  ['placement-pref-add', '', 'list', 'Add a placement preference'],
  ['placement-pref-rm', '', 'list', 'Remove a placement preference'],
  ['network-add', '', 'list', 'Add a network'],
  ['network-rm', '', 'list', 'Remove a network'],
  ['publish-add', '', 'list', 'Add or update a published port'],
  ['group-add', '', 'list', 'Add an additional supplementary user group to the container'],
  ['dns-add', '', 'list', 'Add or update a custom DNS server'],
  ['dns-option-add', '', 'list', 'Add or update a DNS option'],
  ['dns-search-add', '', 'list', 'Add or update a custom DNS search domain'],
  ['host-add', '', 'list', 'Add a custom host-to-IP mapping (host:ip)'],
  ['sysctl-add', '', 'list', 'Add or update a Sysctl option'],
  ['sysctl-rm', '', 'list', 'Remove a Sysctl option'],
  ['ulimit-add', '', 'list', 'Add or update a ulimit option'],
  ['ulimit-rm', '', 'list', 'Remove a ulimit option'],
  ['generic-resource-rm', '', 'list', 'Remove a Generic resource'],
  ['generic-resource-add', '', 'list', 'Add a Generic resource'],
];

const COMPOSE_PROJECT_FLAGS: Row[] = [
  ['profile', '', 'list', 'Specify a profile to enable'],
  ['project-name', 'p', 'string', 'Project name'],
  ['file', 'f', 'list', 'Compose configuration files'],
  ['env-file', '', 'list', 'Specify an alternate environment file'],
  ['project-directory', '', 'string', 'Specify an alternate working directory (default: the path of the, first specified, Compose file)'],
  ['workdir', '', 'string', 'DEPRECATED! USE --project-directory INSTEAD.', { hidden: true }],
  ['compatibility', '', 'bool', 'Run compose in backward compatibility mode'],
  ['progress', '', 'string', 'Set type of progress output (auto, tty, plain, json, quiet)'],
  ['all-resources', '', 'bool', 'Include all resources, even those not used by services'],
  ['parallel', '', 'int', 'Control max parallelism, -1 for unlimited'],
  ['dry-run', '', 'bool', 'Execute command in dry run mode'],
  ['ansi', '', 'string', 'Control when to print ANSI control characters ("never"|"always"|"auto")'],
];

const FORMAT: Row = ['format', 'f', 'string', 'Format output using a custom template'];

const NETWORK: DockerCommandSpec = {
  name: 'network',
  usage: 'docker network COMMAND',
  description: 'Manage networks',
  args: { kind: 'none' },
  childrenComplete: true,
  children: [
    {
      name: 'create', usage: 'docker network create [OPTIONS] NETWORK', description: 'Create a network',
      doc: 'Creates a network through HNS. Drivers on Windows: nat, transparent, overlay, l2bridge, l2tunnel.',
      args: { kind: 'exact', n: 1 },
      flags: withNotes(table([
        ['driver', 'd', 'string', 'Driver to manage the Network', { values: ['nat', 'transparent', 'overlay', 'l2bridge', 'l2tunnel', 'ics'] }],
        ['opt', 'o', 'list', 'Set driver specific options'],
        ['label', '', 'list', 'Set metadata on a network'],
        ['internal', '', 'bool', 'Restrict external access to the network'],
        ['ipv4', '', 'bool', 'Enable or disable IPv4 address assignment'],
        ['ipv6', '', 'bool', 'Enable or disable IPv6 address assignment'],
        ['attachable', '', 'bool', 'Enable manual container attachment'],
        ['ingress', '', 'bool', 'Create swarm routing-mesh network'],
        ['scope', '', 'string', "Control the network's scope"],
        ['config-only', '', 'bool', 'Create a configuration only network'],
        ['config-from', '', 'string', 'The network from which to copy the configuration'],
        ['ipam-driver', '', 'string', 'IP Address Management Driver'],
        ['subnet', '', 'list', 'Subnet in CIDR format that represents a network segment', { csv: true }],
        ['ip-range', '', 'list', 'Allocate container ip from a sub-range', { csv: true }],
        ['gateway', '', 'list', 'IPv4 or IPv6 Gateway for the master subnet', { csv: true }],
        ['aux-address', '', 'list', 'Auxiliary IPv4 or IPv6 addresses used by Network driver'],
        ['ipam-opt', '', 'list', 'Set IPAM driver specific options'],
      ]), {
        driver: ['DRIVER', 'Network driver: nat, transparent, overlay, l2bridge, l2tunnel.'],
        subnet: ['CIDR', 'IP prefix of the network. Static IPs (`docker run --ip`) need `--subnet` and `--gateway` at creation.'],
        gateway: ['IP', 'Gateway of the subnet; it must lie inside `--subnet` (“no matching subnet for gateway” otherwise).'],
        opt: ['KEY=VALUE', 'Driver option, repeatable: `com.docker.network.windowsshim.*`.'],
        attachable: ['', 'Overlay: standalone containers (`docker run --network`) may attach.'],
        scope: ['local|swarm', ''],
        label: ['KEY=VALUE', ''],
        'aux-address': ['NAME=IP', ''],
        'ip-range': ['CIDR', ''],
        'ipam-driver': ['DRIVER', ''],
        'ipam-opt': ['KEY=VALUE', ''],
      }),
    },
    {
      name: 'ls', aliases: ['list'], usage: 'docker network ls [OPTIONS]', description: 'List networks',
      doc: 'Lists the networks: NETWORK ID, NAME, DRIVER, SCOPE (the default `nat` and `none`, and an external vSwitch Docker found as `transparent`).',
      args: { kind: 'none' },
      flags: table([
        ['quiet', 'q', 'bool', 'Only display network IDs'],
        ['no-trunc', '', 'bool', 'Do not truncate the output'],
        ['format', '', 'string', 'Format output using a custom template'],
        ['filter', 'f', 'list', 'Provide filter values (e.g. "driver=bridge")'],
      ]),
    },
    {
      name: 'inspect', usage: 'docker network inspect [OPTIONS] NETWORK [NETWORK...]',
      description: 'Display detailed information on one or more networks', args: { kind: 'min', n: 1 },
      doc: 'Prints the network as JSON (IPAM driver `windows`, options, containers).',
      flags: table([FORMAT, ['verbose', 'v', 'bool', 'Verbose output for diagnostics']]),
    },
    {
      name: 'rm', aliases: ['remove'], usage: 'docker network rm NETWORK [NETWORK...]',
      description: 'Remove one or more networks', args: { kind: 'min', n: 1 },
      doc: 'Removes a network. “nat is a pre-defined network and cannot be removed”.',
      flags: table([['force', 'f', 'bool', 'Do not error if the network does not exist']]),
    },
    {
      name: 'connect', usage: 'docker network connect [OPTIONS] NETWORK CONTAINER',
      description: 'Connect a container to a network', args: { kind: 'exact', n: 2 },
      doc: 'Adds an endpoint to a container. On ws2016 a running container cannot be connected (“hot add” arrived with Windows 10 Creators Update).',
      flags: withNotes(table([
        ['ip', '', 'string', 'IPv4 address (e.g., "172.30.100.104")'],
        ['ip6', '', 'string', 'IPv6 address (e.g., "2001:db8::33")'],
        ['link', '', 'list', 'Add link to another container'],
        ['alias', '', 'list', 'Add network-scoped alias for the container', { csv: true }],
        ['link-local-ip', '', 'list', 'Add a link-local address for the container', { csv: true }],
        ['driver-opt', '', 'list', 'driver options for the network', { csv: true }],
        ['gw-priority', '', 'int', 'Highest gw-priority provides the default gateway. Accepts positive and negative values.'],
      ]), { ip: ['IP', 'Static address on that network (it needs `--subnet` and `--gateway`).'], ip6: ['IPv6', ''] }),
    },
    {
      name: 'disconnect', usage: 'docker network disconnect [OPTIONS] NETWORK CONTAINER',
      description: 'Disconnect a container from a network', args: { kind: 'exact', n: 2 },
      doc: 'Removes the container’s endpoint on the network (refused for a running container on ws2016).',
      flags: table([['force', 'f', 'bool', 'Force the container to disconnect from a network']]),
    },
    {
      name: 'prune', usage: 'docker network prune [OPTIONS]', description: 'Remove all unused networks',
      doc: 'Removes unused networks (a script cannot answer the prompt: it runs as with `-f`).',
      args: { kind: 'none' },
      flags: table([
        ['force', 'f', 'bool', 'Do not prompt for confirmation'],
        ['filter', '', 'list', 'Provide filter values (e.g. "until=<timestamp>")'],
      ]),
    },
  ],
};

const RUN: DockerCommandSpec = {
  name: 'run', usage: 'docker run [OPTIONS] IMAGE [COMMAND] [ARG...]',
  description: 'Create and run a new container from an image', interspersed: false,
  doc: 'Creates and starts a container with an endpoint on the network (default `nat`), in its own network compartment.',
  args: { kind: 'min', n: 1 }, positional: 'image-command',
  flags: withNotes(table([...RUN_FLAGS, ...CONTAINER_FLAGS]), {
    name: ['NAME', 'Container name (service discovery finds it by this name on nat and overlay networks).'],
    network: ['NET', 'Network to connect to (default `nat`).'],
    ip: ['IP', 'Static IPv4 address; the network needs `--subnet` and `--gateway`. On ws2016 only on a stopped container.'],
    publish: ['HOST:CONTAINER[/PROTO]', 'Publish a port: a WinNAT static mapping on nat networks. Windows rejects host IPs (“Windows does not support host IP addresses in NAT settings”) and host port ranges.'],
    expose: ['PORT', ''],
    dns: ['IP', 'DNS server of the container.'],
    'dns-search': ['DOMAIN', 'DNS search domain; Windows supports one.'],
    'dns-option': ['OPT', ''],
    link: ['NAME', ''],
    ip6: ['IPv6', ''],
  }),
};
const START: DockerCommandSpec = {
  name: 'start', usage: 'docker start [OPTIONS] CONTAINER [CONTAINER...]',
  description: 'Start one or more stopped containers', args: { kind: 'min', n: 1 },
  doc: 'Starts a stopped container (its endpoints are created again; connects recorded while it was stopped apply now).',
  flags: table([
    ['attach', 'a', 'bool', 'Attach STDOUT/STDERR and forward signals'],
    ['interactive', 'i', 'bool', "Attach container's STDIN"],
    ['detach-keys', '', 'string', 'Override the key sequence for detaching a container'],
    ['checkpoint', '', 'string', 'Restore from this checkpoint'],
    ['checkpoint-dir', '', 'string', 'Use a custom checkpoint storage directory'],
  ]),
};
const STOP: DockerCommandSpec = {
  name: 'stop', usage: 'docker stop [OPTIONS] CONTAINER [CONTAINER...]',
  description: 'Stop one or more running containers', args: { kind: 'min', n: 1 },
  doc: 'Stops a container (static IPs can be set only on stopped containers on ws2016).',
  flags: table([
    ['signal', 's', 'string', 'Signal to send to the container'],
    ['time', 't', 'int', 'Seconds to wait before killing the container'],
  ]),
};
const RESTART: DockerCommandSpec = {
  name: 'restart', usage: 'docker restart [OPTIONS] CONTAINER [CONTAINER...]',
  description: 'Restart one or more containers', args: { kind: 'min', n: 1 },
  flags: table([
    ['signal', 's', 'string', 'Signal to send to the container'],
    ['time', 't', 'int', 'Seconds to wait before killing the container'],
  ]),
};
const RM: DockerCommandSpec = {
  name: 'rm', aliases: ['remove'], usage: 'docker rm [OPTIONS] CONTAINER [CONTAINER...]',
  description: 'Remove one or more containers', args: { kind: 'min', n: 1 },
  doc: 'Removes a container and its endpoints.',
  flags: table([
    ['volumes', 'v', 'bool', 'Remove anonymous volumes associated with the container'],
    ['link', 'l', 'bool', 'Remove the specified link'],
    ['force', 'f', 'bool', 'Force the removal of a running container (uses SIGKILL)'],
  ]),
};
const PS: DockerCommandSpec = {
  name: 'ps', aliases: ['ls', 'list'], usage: 'docker ps [OPTIONS]', description: 'List containers',
  doc: 'Lists the containers of the current host.',
  args: { kind: 'none' },
  flags: table([
    ['quiet', 'q', 'bool', 'Only display container IDs'],
    ['size', 's', 'bool', 'Display total file sizes'],
    ['all', 'a', 'bool', 'Show all containers (default shows just running)'],
    ['no-trunc', '', 'bool', "Don't truncate output"],
    ['latest', 'l', 'bool', 'Show the latest created container (includes all states)'],
    ['last', 'n', 'int', 'Show n last created containers (includes all states)'],
    ['format', '', 'string', 'Format output using a custom template'],
    ['filter', 'f', 'list', 'Filter output based on conditions provided'],
  ]),
};
const EXEC: DockerCommandSpec = {
  name: 'exec', usage: 'docker exec [OPTIONS] CONTAINER COMMAND [ARG...]',
  description: 'Execute a command in a running container', interspersed: false,
  doc: 'Runs a tool inside the container’s compartment (ping, curl, nslookup, ipconfig, netsh, hostname, Test-NetConnection): traffic commands produce hop-by-hop traces.',
  args: { kind: 'min', n: 2 }, positional: 'container-command',
  flags: table([
    ['detach-keys', '', 'string', 'Override the key sequence for detaching a container'],
    ['interactive', 'i', 'bool', 'Keep STDIN open even if not attached'],
    ['tty', 't', 'bool', 'Allocate a pseudo-TTY'],
    ['detach', 'd', 'bool', 'Detached mode: run command in the background'],
    ['user', 'u', 'string', 'Username or UID (format: "<name|uid>[:<group|gid>]")'],
    ['privileged', '', 'bool', 'Give extended privileges to the command'],
    ['env', 'e', 'list', 'Set environment variables'],
    ['env-file', '', 'list', 'Read in a file of environment variables'],
    ['workdir', 'w', 'string', 'Working directory inside the container'],
  ]),
};
const INSPECT: DockerCommandSpec = {
  name: 'inspect', usage: 'docker inspect [OPTIONS] NAME|ID [NAME|ID...]',
  description: 'Return low-level information on Docker objects', args: { kind: 'min', n: 1 },
  doc: 'Prints the container (or network) as JSON (NetworkSettings).',
  flags: table([
    FORMAT,
    ['type', '', 'string', 'Only inspect objects of the given type', { values: ['container', 'image', 'network', 'node', 'plugin', 'secret', 'service', 'task', 'volume'] }],
    ['size', 's', 'bool', 'Display total file sizes if the type is container'],
  ]),
};
const PULL: DockerCommandSpec = {
  name: 'pull', usage: 'docker pull [OPTIONS] NAME[:TAG|@DIGEST]',
  description: 'Download an image from a registry', args: { kind: 'exact', n: 1 },
  flags: table([
    ['all-tags', 'a', 'bool', 'Download all tagged images in the repository'],
    ['disable-content-trust', '', 'bool', 'Skip image verification'],
    ['platform', '', 'string', 'Set platform if server is multi-platform capable'],
    ['quiet', 'q', 'bool', 'Suppress verbose output'],
  ]),
};

const PORT: DockerCommandSpec = {
  name: 'port', usage: 'docker port CONTAINER [PRIVATE_PORT[/PROTO]]',
  description: 'List port mappings or a specific mapping for the container',
  doc: 'Lists the published ports of a container as Docker reads them back from HNS (host address 0.0.0.0).',
  args: { kind: 'min', n: 1 },
  flags: [],
};

/** docker/cli v20.10.24 cli/command/container/logs.go. */
const LOGS: DockerCommandSpec = {
  name: 'logs', usage: 'docker logs [OPTIONS] CONTAINER', description: 'Fetch the logs of a container',
  doc: 'What the container’s process printed: ServiceMonitor’s lines for IIS and ASP.NET images, nothing for a container that never started; for other images Packet Path says it does not know.',
  args: { kind: 'exact', n: 1 },
  flags: table([
    ['details', '', 'bool', 'Show extra details provided to logs'],
    ['follow', 'f', 'bool', 'Follow log output'],
    ['since', '', 'string', 'Show logs since timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. 42m for 42 minutes)'],
    ['tail', 'n', 'string', 'Number of lines to show from the end of the logs'],
    ['timestamps', 't', 'bool', 'Show timestamps'],
    ['until', '', 'string', 'Show logs before a timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. 42m for 42 minutes)'],
  ]),
};

const CONTAINER: DockerCommandSpec = {
  name: 'container', usage: 'docker container COMMAND', description: 'Manage containers', args: { kind: 'none' },
  children: [
    { ...RUN, canonical: ['run'], usage: RUN.usage.replace('docker run', 'docker container run') },
    { ...START, canonical: ['start'] },
    { ...STOP, canonical: ['stop'] },
    { ...RESTART, canonical: ['restart'] },
    { ...RM, canonical: ['rm'] },
    { ...PS, name: 'ls', aliases: ['ps', 'list'], canonical: ['ps'] },
    { ...EXEC, canonical: ['exec'] },
    { ...PORT, canonical: ['port'], usage: PORT.usage.replace('docker port', 'docker container port') },
    { ...LOGS, canonical: ['logs'], usage: LOGS.usage.replace('docker logs', 'docker container logs') },
    {
      name: 'inspect', usage: 'docker container inspect [OPTIONS] CONTAINER [CONTAINER...]',
      description: 'Display detailed information on one or more containers', args: { kind: 'min', n: 1 },
      flags: table([FORMAT, ['size', 's', 'bool', 'Display total file sizes']]),
    },
  ],
};

const SWARM: DockerCommandSpec = {
  name: 'swarm', usage: 'docker swarm COMMAND', description: 'Manage Swarm', args: { kind: 'none' },
  children: [
    {
      name: 'init', usage: 'docker swarm init [OPTIONS]', description: 'Initialize a swarm', args: { kind: 'none' },
      doc: 'Starts swarm mode on this host (manager). Overlay networks need it.',
      flags: withNotes(table([
        ['listen-addr', '', 'string', 'Listen address (format: "<ip|interface>[:port]") (default 0.0.0.0:2377)'],
        ['advertise-addr', '', 'string', 'Advertised address (format: "<ip|interface>[:port]")'],
        ['data-path-addr', '', 'string', 'Address or interface to use for data path traffic (format: "<ip|interface>")'],
        ['data-path-port', '', 'uint', 'Port number to use for data path traffic (1024 - 49151). If no value is set or is set to 0, the default port (4789) is used.', { bits: 32 }],
        ['force-new-cluster', '', 'bool', 'Force create a new cluster from current state'],
        ['autolock', '', 'bool', 'Enable manager autolocking (requiring an unlock key to start a stopped manager)'],
        ['availability', '', 'string', 'Availability of the node ("active", "pause", "drain") (default "active")', { values: ['active', 'pause', 'drain'] }],
        ['default-addr-pool', '', 'list', 'default address pool in CIDR format', { csv: true }],
        ['default-addr-pool-mask-length', '', 'uint', 'default address pool subnet mask length (default 24)', { bits: 32 }],
        ['task-history-limit', '', 'int', 'Task history retention limit (default 5)'],
        ['dispatcher-heartbeat', '', 'string', 'Dispatcher heartbeat period (ns|us|ms|s|m|h) (default 5s)'],
        ['max-snapshots', '', 'uint', 'Number of additional Raft snapshots to retain'],
        ['snapshot-interval', '', 'uint', 'Number of log entries between Raft snapshots (default 10000)'],
        ['cert-expiry', '', 'string', 'Validity period for node certificates (ns|us|ms|s|m|h) (default 2160h0m0s)'],
        ['external-ca', '', 'list', 'Specifications of one or more certificate signing endpoints'],
      ]), { 'advertise-addr': ['IP', 'Address other nodes use to reach this manager.'] }),
    },
    {
      name: 'join', usage: 'docker swarm join [OPTIONS] HOST:PORT', description: 'Join a swarm as a node and/or manager',
      doc: 'Joins the swarm whose manager has that address.',
      args: { kind: 'exact', n: 1 },
      flags: withNotes(table([
        ['listen-addr', '', 'string', 'Listen address (format: "<ip|interface>[:port]") (default 0.0.0.0:2377)'],
        ['advertise-addr', '', 'string', 'Advertised address (format: "<ip|interface>[:port]")'],
        ['data-path-addr', '', 'string', 'Address or interface to use for data path traffic (format: "<ip|interface>")'],
        ['token', '', 'string', 'Token for entry into the swarm'],
        ['availability', '', 'string', 'Availability of the node ("active", "pause", "drain") (default "active")', { values: ['active', 'pause', 'drain'] }],
      ]), { token: ['TOKEN', 'Join token (a well-formed token that is not the swarm’s is accepted with a warning, so scripts need not copy it).'] }),
    },
    {
      name: 'join-token', usage: 'docker swarm join-token [OPTIONS] (worker|manager)', description: 'Manage join tokens',
      doc: 'Prints the `docker swarm join` line for a worker or a manager (on a manager).',
      args: { kind: 'exact', n: 1 },
      flags: table([
        ['rotate', '', 'bool', 'Rotate join token'],
        ['quiet', 'q', 'bool', 'Only display token'],
      ]),
    },
    {
      name: 'leave', usage: 'docker swarm leave [OPTIONS]', description: 'Leave the swarm', args: { kind: 'none' },
      doc: 'Leaves the swarm (`--force` for the last manager).',
      flags: table([['force', 'f', 'bool', 'Force this node to leave the swarm, ignoring warnings']]),
    },
  ],
};

const SERVICE: DockerCommandSpec = {
  name: 'service', usage: 'docker service COMMAND', description: 'Manage Swarm services', args: { kind: 'none' },
  children: [
    {
      name: 'create', usage: 'docker service create [OPTIONS] IMAGE [COMMAND] [ARG...]', description: 'Create a new service',
      doc: 'Creates a swarm service; its tasks are spread over the nodes and found by name (global service discovery on overlay).',
      interspersed: false, args: { kind: 'min', n: 1 }, positional: 'image-command',
      flags: withNotes(table(SERVICE_FLAGS), {
        name: ['NAME', ''], network: ['NET', 'Overlay network of the tasks.'], replicas: ['K', ''],
        publish: ['PUB:TARGET', 'Published port (routing mesh from ws1709; host-mode publishing before).'], 'endpoint-mode': ['vip|dnsrr', ''],
      }),
    },
    {
      name: 'ls', aliases: ['list'], usage: 'docker service ls [OPTIONS]', description: 'List services', args: { kind: 'none' },
      flags: table([
        ['quiet', 'q', 'bool', 'Only display IDs'],
        ['format', '', 'string', 'Format output using a custom template'],
        ['filter', 'f', 'list', 'Filter output based on conditions provided'],
      ]),
    },
    {
      name: 'rm', aliases: ['remove'], usage: 'docker service rm SERVICE [SERVICE...]',
      description: 'Remove one or more services', args: { kind: 'min', n: 1 }, flags: [],
    },
    {
      name: 'ps', usage: 'docker service ps [OPTIONS] SERVICE [SERVICE...]', description: 'List the tasks of one or more services',
      args: { kind: 'min', n: 1 },
      flags: table([
        ['quiet', 'q', 'bool', 'Only display task IDs'],
        ['no-trunc', '', 'bool', 'Do not truncate output'],
        ['no-resolve', '', 'bool', 'Do not map IDs to Names'],
        ['format', '', 'string', 'Pretty-print tasks using a Go template'],
        ['filter', 'f', 'list', 'Filter output based on conditions provided'],
      ]),
    },
    {
      name: 'scale', usage: 'docker service scale SERVICE=REPLICAS [SERVICE=REPLICAS...]', description: 'Scale one or multiple replicated services',
      doc: 'Changes the number of tasks of a replicated service; new tasks are spread over the nodes.',
      args: { kind: 'min', n: 1 },
      flags: table([['detach', 'd', 'bool', 'Exit immediately instead of waiting for the service to converge']]),
    },
    {
      name: 'update', usage: 'docker service update [OPTIONS] SERVICE', description: 'Update a service',
      doc: 'Changes a service: `--replicas`, `--publish-add`/`--publish-rm`, `--endpoint-mode`, `--image`; a changed spec replaces the tasks.',
      args: { kind: 'exact', n: 1 },
      flags: withNotes(table(SERVICE_UPDATE_FLAGS), {
        replicas: ['K', ''], 'publish-add': ['PUB:TARGET', 'Published port to add (ingress mode unless mode=host).'],
        'publish-rm': ['PUB:TARGET', 'Published port to remove (by target port, protocol and mode).'], 'endpoint-mode': ['vip|dnsrr', ''],
      }),
    },
    {
      name: 'inspect', usage: 'docker service inspect [OPTIONS] SERVICE [SERVICE...]',
      description: 'Display detailed information on one or more services', args: { kind: 'min', n: 1 },
      doc: 'The service as the manager holds it (JSON as Docker 20.10 prints it: spec, ports, one VIP per network), or `--pretty`.',
      flags: table([FORMAT, ['pretty', '', 'bool', 'Print the information in a human friendly format']]),
    },
  ],
};

const NODE: DockerCommandSpec = {
  name: 'node', usage: 'docker node COMMAND', description: 'Manage Swarm nodes', args: { kind: 'none' },
  children: [
    {
      name: 'ls', aliases: ['list'], usage: 'docker node ls [OPTIONS]', description: 'List nodes in the swarm', args: { kind: 'none' },
      doc: 'Lists the swarm’s nodes (on a manager): the hosts that ran `docker swarm init` or `join`.',
      flags: table([
        ['quiet', 'q', 'bool', 'Only display IDs'],
        ['format', '', 'string', 'Pretty-print nodes using a Go template'],
        ['filter', 'f', 'list', 'Filter output based on conditions provided'],
      ]),
    },
    {
      name: 'inspect', usage: 'docker node inspect [OPTIONS] self|NODE [NODE...]', description: 'Display detailed information on one or more nodes', args: { kind: 'min', n: 1 },
      doc: 'The node as the manager holds it (JSON as Docker 20.10 prints it: spec, what the engine describes of itself, status, manager status), or `--pretty`.',
      flags: table([['format', 'f', 'string', 'Format the output using the given Go template'], ['pretty', '', 'bool', 'Print the information in a human friendly format']]),
    },
    {
      name: 'update', usage: 'docker node update [OPTIONS] NODE', description: 'Update a node', args: { kind: 'exact', n: 1 },
      doc: 'Sets a node’s availability (`drain` moves its tasks to the other nodes, `pause` takes no new ones) or labels.',
      flags: table([
        ['role', '', 'string', 'Role of the node ("worker"|"manager")', { values: ['worker', 'manager'] }],
        ['availability', '', 'string', 'Availability of the node ("active"|"pause"|"drain")', { values: ['active', 'pause', 'drain'] }],
        ['label-add', '', 'list', 'Add or update a node label (key=value)'],
        ['label-rm', '', 'list', 'Remove a node label if exists'],
      ]),
    },
  ],
};

/** docker/cli v20.10.24 cli/command/stack/{cmd,deploy,list,ps,remove}.go. */
const STACK: DockerCommandSpec = {
  name: 'stack', usage: 'docker stack [OPTIONS] COMMAND', description: 'Manage Docker stacks', args: { kind: 'none' },
  persistentFlags: table([
    ['orchestrator', '', 'string', 'Orchestrator to use (swarm|kubernetes|all)'],
    ['kubeconfig', '', 'string', 'Kubernetes config file'],
  ]),
  children: [
    {
      name: 'deploy', aliases: ['up'], usage: 'docker stack deploy [OPTIONS] STACK', description: 'Deploy a new stack or update an existing stack',
      doc: 'Deploys a compose v3 file as swarm services (`STACK_SVC`) on overlay networks (`STACK_NET`); reads `deploy: replicas, mode, endpoint_mode` and ports with `mode: host|ingress`.',
      args: { kind: 'exact', n: 1 },
      flags: withNotes(table([
        ['compose-file', 'c', 'list', 'Path to a Compose file, or "-" to read from stdin'],
        ['with-registry-auth', '', 'bool', 'Send registry authentication details to Swarm agents'],
        ['prune', '', 'bool', 'Prune services that are no longer referenced'],
        ['resolve-image', '', 'string', 'Query the registry to resolve image digest and supported platforms ("always"|"changed"|"never")', { values: ['always', 'changed', 'never'] }],
      ]), { 'compose-file': ['FILE', 'The compose file: a second editor tab, or a file beside the script.'] }),
    },
    {
      name: 'ls', aliases: ['list'], usage: 'docker stack ls [OPTIONS]', description: 'List stacks', args: { kind: 'none' },
      flags: table([['format', '', 'string', 'Pretty-print stacks using a Go template'], ['all-namespaces', '', 'bool', 'List stacks from all Kubernetes namespaces']]),
    },
    {
      name: 'ps', usage: 'docker stack ps [OPTIONS] STACK', description: 'List the tasks in the stack', args: { kind: 'exact', n: 1 },
      flags: table([
        ['filter', 'f', 'list', 'Filter output based on conditions provided'],
        ['format', '', 'string', 'Pretty-print tasks using a Go template'],
        ['no-resolve', '', 'bool', 'Do not map IDs to Names'],
        ['no-trunc', '', 'bool', 'Do not truncate output'],
        ['quiet', 'q', 'bool', 'Only display task IDs'],
      ]),
    },
    {
      name: 'rm', aliases: ['remove', 'down'], usage: 'docker stack rm [OPTIONS] STACK [STACK...]', description: 'Remove one or more stacks',
      args: { kind: 'min', n: 1 }, flags: [],
    },
  ],
};

const COMPOSE: DockerCommandSpec = {
  name: 'compose', usage: 'docker compose [OPTIONS] COMMAND', description: 'Docker Compose', args: { kind: 'none' },
  persistentFlags: withNotes(table(COMPOSE_PROJECT_FLAGS), { file: ['FILE', 'The compose file: a second editor tab, or a file beside the script.'] }),
  children: [
    {
      name: 'up', usage: 'docker compose up [OPTIONS] [SERVICE...]', description: 'Create and start containers',
      doc: 'Brings up the compose file given with `-f` (a second editor tab or file): its networks (`external: {name: nat}`, or `driver: nat` with `ipam.config.subnet`) and services.',
      args: { kind: 'any' },
      flags: table([
        ['detach', 'd', 'bool', 'Detached mode: Run containers in the background'],
        ['build', '', 'bool', 'Build images before starting containers'],
        ['no-build', '', 'bool', "Don't build an image, even if it's policy"],
        ['pull', '', 'string', 'Pull image before running ("always"|"missing"|"never") (default "policy")'],
        ['remove-orphans', '', 'bool', 'Remove containers for services not defined in the Compose file'],
        ['scale', '', 'list', 'Scale SERVICE to NUM instances. Overrides the `scale` setting in the Compose file if present.'],
        ['no-color', '', 'bool', 'Produce monochrome output'],
        ['no-log-prefix', '', 'bool', "Don't print prefix in logs"],
        ['force-recreate', '', 'bool', "Recreate containers even if their configuration and image haven't changed"],
        ['no-recreate', '', 'bool', "If containers already exist, don't recreate them. Incompatible with --force-recreate."],
        ['no-start', '', 'bool', "Don't start the services after creating them"],
        ['abort-on-container-exit', '', 'bool', 'Stops all containers if any container was stopped. Incompatible with -d'],
        ['abort-on-container-failure', '', 'bool', 'Stops all containers if any container exited with failure. Incompatible with -d'],
        ['exit-code-from', '', 'string', 'Return the exit code of the selected service container. Implies --abort-on-container-exit'],
        ['timeout', 't', 'int', 'Use this timeout in seconds for container shutdown when attached or when containers are already running'],
        ['timestamps', '', 'bool', 'Show timestamps'],
        ['no-deps', '', 'bool', "Don't start linked services"],
        ['always-recreate-deps', '', 'bool', 'Recreate dependent containers. Incompatible with --no-recreate.'],
        ['renew-anon-volumes', 'V', 'bool', 'Recreate anonymous volumes instead of retrieving data from the previous containers'],
        ['quiet-pull', '', 'bool', 'Pull without printing progress information'],
        ['attach', '', 'list', 'Restrict attaching to the specified services. Incompatible with --attach-dependencies.'],
        ['no-attach', '', 'list', 'Do not attach (stream logs) to the specified services'],
        ['attach-dependencies', '', 'bool', 'Automatically attach to log output of dependent services'],
        ['wait', '', 'bool', 'Wait for services to be running|healthy. Implies detached mode.'],
        ['wait-timeout', '', 'int', 'Maximum duration in seconds to wait for the project to be running|healthy'],
        ['watch', 'w', 'bool', 'Watch source code and rebuild/refresh containers when files are updated.'],
        ['menu', '', 'bool', 'Enable interactive shortcuts when running attached. Incompatible with --detach.'],
      ]),
    },
    {
      name: 'down', usage: 'docker compose down [OPTIONS] [SERVICES]', description: 'Stop and remove containers, networks',
      args: { kind: 'any' },
      flags: table([
        ['remove-orphans', '', 'bool', 'Remove containers for services not defined in the Compose file'],
        ['timeout', 't', 'int', 'Specify a shutdown timeout in seconds'],
        ['volumes', 'v', 'bool', 'Remove named volumes declared in the "volumes" section of the Compose file and anonymous volumes attached to containers'],
        ['rmi', '', 'string', 'Remove images used by services. "local" remove only images that don\'t have a custom tag ("local"|"all")', { values: ['local', 'all'] }],
      ]),
    },
  ],
};

/** The root `docker` command and every subcommand Packet Path parses. */
export const DOCKER_ROOT: DockerCommandSpec = {
  name: 'docker',
  usage: 'docker [OPTIONS] COMMAND',
  description: 'A self-sufficient runtime for containers',
  interspersed: false,
  flags: DOCKER_GLOBAL_FLAGS,
  children: [
    NETWORK, CONTAINER, SWARM, SERVICE, NODE, STACK, COMPOSE,
    RUN, START, STOP, RESTART, RM, PS, EXEC, INSPECT, PULL, PORT, LOGS,
    { name: 'version', usage: 'docker version [OPTIONS]', description: 'Show the Docker version information', args: { kind: 'none' }, flags: table([FORMAT]) },
    { name: 'info', usage: 'docker info [OPTIONS]', description: 'Display system-wide information', args: { kind: 'none' }, flags: table([FORMAT]) },
  ],
};

/** Finds a child by name or alias (cobra matches names case-sensitively). */
export function findChild(spec: DockerCommandSpec, word: string): DockerCommandSpec | undefined {
  return spec.children?.find((c) => c.name === word || c.aliases?.includes(word));
}

/** Resolves a written path (aliases allowed) to its specs, or undefined when a word is unknown. */
export function resolveDockerPath(path: readonly string[]): DockerCommandSpec[] | undefined {
  const out: DockerCommandSpec[] = [];
  let node = DOCKER_ROOT;
  for (const w of path) {
    const next = findChild(node, w);
    if (!next) return undefined;
    out.push(next);
    node = next;
  }
  return out;
}
