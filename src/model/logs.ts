/**
 * `docker logs [-n N] [-t] CONTAINER` (docker/cli v20.10.24 cli/command/container/logs.go): what the
 * container's process wrote to stdout/stderr, where Packet Path knows it.
 *
 * - A container that never started (its `docker run` failed at the port, HNS or network step, or
 *   `docker create`): nothing — moby v20.10.24 daemon/logs.go opens the json-file log of a container
 *   that is not running (getLogger → StartLogger), which holds nothing.
 * - IIS and ASP.NET images run ServiceMonitor.exe w3svc (microsoft/IIS.ServiceMonitor src/Service
 *   Monitor: StopServiceByName prints "\n Service 'w3svc' has been stopped \n", StartServiceByName
 *   "\n Service '%s' started \n"; pasted runs in microsoft/dotnet-framework-docker's samples and
 *   IIS.ServiceMonitor #75). Nothing else: IIS writes its own logs to files and ETW, not stdout
 *   (IIS.ServiceMonitor #68).
 * - Any other image: Packet Path does not know what its process prints, and says so.
 */
import type { DockerCommand } from '../script/ast.js';
import { boolFlag, flagValue } from './args.js';
import { E, fail } from './errors.js';
import { DEFAULT_CMD, findContainer } from './containers.js';
import { isoTime } from './format.js';
import type { Container, Host } from './types.js';

/** Images whose entrypoint is `C:\ServiceMonitor.exe w3svc` (IIS, and ASP.NET built on it). */
const SERVICE_MONITOR_IMAGE = /(^|\/)(iis|aspnet)([:@]|$)|\/iis:|windows\/servercore\/iis|framework\/aspnet/i;

/** What ServiceMonitor.exe w3svc prints when the container starts: the service stopped, configured, started. */
const SERVICE_MONITOR_START = ['', " Service 'w3svc' has been stopped ", '', " Service 'w3svc' started "];

export interface LogsResult {
  output: string;
  warnings: string[];
}

/** The lines the container's process printed, or null when Packet Path does not know them. */
function printedLines(c: Container): string[] | null {
  if (c.state === 'created') return [];
  // A command given to docker run becomes ServiceMonitor's arguments (the image's ENTRYPOINT): unknown.
  if (SERVICE_MONITOR_IMAGE.test(c.image) && (!c.command || c.command === DEFAULT_CMD)) return SERVICE_MONITOR_START;
  return null;
}

export function dockerLogs(host: Host, cmd: DockerCommand): LogsResult {
  const ref = cmd.args[0]?.value;
  if (!ref) fail(`"docker logs" requires exactly 1 argument.\nSee 'docker logs --help'.\n\nUsage:  docker logs [OPTIONS] CONTAINER\n\nFetch the logs of a container`);
  // logs.go inspects the container first: a missing one is the error whatever the flags.
  const c = findContainer(host, ref);
  if (!c) fail(E.noSuchContainer(ref));
  if (boolFlag(cmd.flags, 'follow', 'f')) fail('packet-path: docker logs --follow streams until the container stops; a script line cannot wait for it (drop --follow)');
  for (const f of ['since', 'until']) if (flagValue(cmd.flags, f) !== undefined) fail(`packet-path: docker logs --${f}: the lines Packet Path knows carry no time of their own; use --tail`);
  const tail = flagValue(cmd.flags, 'tail', 'n') ?? 'all';
  const lines = printedLines(c);
  if (lines === null) {
    const what = c.command && c.command !== DEFAULT_CMD ? `${c.image} running "${c.command}"` : c.image;
    return { output: '', warnings: [`Packet Path does not know what ${what} prints to its console, so docker logs shows nothing for ${c.name} (it knows the output of IIS and ASP.NET images, whose ServiceMonitor.exe prints the w3svc service starting)`] };
  }
  const warnings = c.state === 'exited' && lines.length ? [`what ServiceMonitor.exe printed when ${c.name} stopped is not simulated; these are the lines it printed at its start`] : [];
  // --tail: the last N lines (0: none); "all", a negative number or anything strconv.Atoi refuses is all
  // (moby v20.10.24 daemon/logs.go: a failed Atoi is -1; the json-file reader tails only from 0 up).
  const n = /^\d+$/.test(tail) ? Number(tail) : lines.length;
  let shown = n === 0 ? [] : lines.slice(-n);
  if (boolFlag(cmd.flags, 'timestamps', 't')) {
    const at = isoTime(c.startedAt, `${c.id}/start`);
    shown = shown.map((l) => `${at} ${l}`);
  }
  return { output: shown.join('\n'), warnings };
}
