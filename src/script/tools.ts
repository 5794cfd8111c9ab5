/**
 * Windows command-line tools, on the host or inside a container (`docker exec C ping ...`).
 * Their switches are read leniently, as the tools themselves report bad usage at run time: a
 * switch the table does not know is kept as a bare flag, a missing value leaves the flag bare.
 */
import type { Flag, ToolCommand, Word } from './ast.js';
import { type LexWord, type LogicalLine, wordSubSpan } from './lexer.js';
import { joinSpans } from './flags.js';

export type ToolName = ToolCommand['tool'];

export interface ToolOption {
  /** Canonical name (ping `n`, curl `silent`, reg `v`). */
  name: string;
  /** Other spellings after the prefix (curl `-s` for `--silent`). */
  short?: string;
  takesValue: boolean;
  description: string;
}

export interface ToolSpec {
  tool: Exclude<ToolName, 'other'>;
  description: string;
  usage: string;
  /** How the tool's usage writes an option: `-n 4` (ping), `--silent` (curl), `-type=A`
   *  (nslookup), `/all` (ipconfig, reg), `name=x` (netsh). */
  style: '-' | '--' | '-=' | '/' | '=';
  options: readonly ToolOption[];
}

const o = (name: string, takesValue: boolean, description: string, short?: string): ToolOption =>
  ({ name, takesValue, description, ...(short ? { short } : {}) });

export const TOOLS: readonly ToolSpec[] = [
  {
    tool: 'ping', style: '-', usage: 'ping [-t] [-a] [-n count] [-l size] [-f] [-i TTL] [-w timeout] [-S srcaddr] [-4] [-6] target_name',
    description: 'Sends ICMP echo requests (Windows ping: 4 by default, -n sets the count); names resolve through the network’s DNS (service discovery on nat and overlay).',
    options: [
      o('t', false, 'Ping the specified host until stopped.'),
      o('a', false, 'Resolve addresses to hostnames.'),
      o('n', true, 'Number of echo requests to send.'),
      o('l', true, 'Send buffer size.'),
      o('f', false, 'Set Don\'t Fragment flag in packet (IPv4-only).'),
      o('i', true, 'Time To Live.'),
      o('v', true, 'Type Of Service (IPv4-only).'),
      o('r', true, 'Record route for count hops (IPv4-only).'),
      o('s', true, 'Timestamp for count hops (IPv4-only).'),
      o('j', true, 'Loose source route along host-list (IPv4-only).'),
      o('k', true, 'Strict source route along host-list (IPv4-only).'),
      o('w', true, 'Timeout in milliseconds to wait for each reply.'),
      o('R', false, 'Use routing header to test reverse route also (IPv6-only).'),
      o('S', true, 'Source address to use.'),
      o('c', true, 'Routing compartment identifier.'),
      o('p', false, 'Ping a Hyper-V Network Virtualization provider address.'),
      o('4', false, 'Force using IPv4.'),
      o('6', false, 'Force using IPv6.'),
    ],
  },
  {
    tool: 'tracert', style: '-', usage: 'tracert [-d] [-h maximum_hops] [-j host-list] [-w timeout] [-R] [-S srcaddr] [-4] [-6] target_name',
    description: 'Traces the route to a target: ICMP echo requests with TTL 1, 2, 3, … (three per hop); each router or forwarding host on the way answers with ICMP Time Exceeded.',
    options: [
      o('d', false, 'Do not resolve addresses to hostnames.'),
      o('h', true, 'Maximum number of hops to search for target.'),
      o('j', true, 'Loose source route along host-list (IPv4-only).'),
      o('w', true, 'Wait timeout milliseconds for each reply.'),
      o('R', false, 'Trace round-trip path (IPv6-only).'),
      o('S', true, 'Source address to use (IPv6-only).'),
      o('4', false, 'Force using IPv4.'),
      o('6', false, 'Force using IPv6.'),
    ],
  },
  {
    tool: 'curl', style: '--', usage: 'curl [options...] <url>',
    description: 'Transfers a URL (curl.exe): a TCP connection (SYN through the data plane) and an HTTP GET.',
    options: [
      o('silent', false, 'Silent mode', 's'),
      o('show-error', false, 'Show error even when -s is used', 'S'),
      o('verbose', false, 'Make the operation more talkative', 'v'),
      o('head', false, 'Show document info only', 'I'),
      o('include', false, 'Include protocol response headers in the output', 'i'),
      o('insecure', false, 'Allow insecure server connections when using SSL', 'k'),
      o('location', false, 'Follow redirects', 'L'),
      o('fail', false, 'Fail silently (no output at all) on HTTP errors', 'f'),
      o('ipv4', false, 'Resolve names to IPv4 addresses', '4'),
      o('ipv6', false, 'Resolve names to IPv6 addresses', '6'),
      o('get', false, 'Put the post data in the URL and use GET', 'G'),
      o('output', true, 'Write to file instead of stdout', 'o'),
      o('max-time', true, 'Maximum time allowed for the transfer', 'm'),
      o('connect-timeout', true, 'Maximum time allowed for connection'),
      o('header', true, 'Pass custom header(s) to server', 'H'),
      o('request', true, 'Specify request command to use', 'X'),
      o('data', true, 'HTTP POST data', 'd'),
      o('user', true, 'Server user and password', 'u'),
      o('user-agent', true, 'Send User-Agent <name> to server', 'A'),
      o('write-out', true, 'Use output FORMAT after completion', 'w'),
      o('proxy', true, 'Use this proxy', 'x'),
      o('resolve', true, 'Resolve the host+port to this address'),
      o('interface', true, 'Use network INTERFACE (or address)'),
      o('retry', true, 'Retry request if transient problems occur'),
    ],
  },
  {
    tool: 'nslookup', style: '-=', usage: 'nslookup [-option] [name | -] [server]',
    description: 'Queries DNS (the container’s DNS server: the embedded resolver on the network gateway). Service discovery is local on nat and overlay, global (across hosts) on overlay only, none on transparent and l2bridge.',
    options: [
      o('type', true, 'Query type (A, AAAA, CNAME, MX, NS, PTR, SOA, SRV, TXT, ANY)'),
      o('querytype', true, 'Same as -type', 'q'),
      o('timeout', true, 'Seconds to wait for a reply'),
      o('retry', true, 'Number of retries'),
      o('port', true, 'DNS server port'),
      o('debug', false, 'Print debugging information'),
      o('domain', true, 'Default domain name'),
    ],
  },
  {
    tool: 'ipconfig', style: '/', usage: 'ipconfig [/allcompartments] [/? | /all | /renew [adapter] | /release [adapter] | /displaydns | /flushdns | /registerdns]',
    description: 'Shows the IP configuration of the current compartment (or of all with /allcompartments).',
    options: [
      o('all', false, 'Display full configuration information.'),
      o('allcompartments', false, 'Display information for all compartments.'),
      o('release', false, 'Release the IPv4 address for the specified adapter.'),
      o('renew', false, 'Renew the IPv4 address for the specified adapter.'),
      o('displaydns', false, 'Display the contents of the DNS Resolver Cache.'),
      o('flushdns', false, 'Purges the DNS Resolver cache.'),
      o('registerdns', false, 'Refreshes all DHCP leases and re-registers DNS names.'),
      o('?', false, 'Display this help message.'),
    ],
  },
  {
    tool: 'netsh', style: '=', usage: 'netsh advfirewall firewall add rule name=NAME dir=in|out action=allow|block|bypass [protocol=TCP] [localport=N] ...',
    description: 'Network shell: `advfirewall firewall add|delete rule` manages Windows Firewall rules (key=value arguments).',
    options: [
      o('name', true, 'Rule name'),
      o('dir', true, 'Direction: in | out'),
      o('action', true, 'allow | block | bypass'),
      o('protocol', true, 'any | tcp | udp | icmpv4 | ... | number'),
      o('localport', true, 'Local port(s)'),
      o('remoteport', true, 'Remote port(s)'),
      o('localip', true, 'Local address(es)'),
      o('remoteip', true, 'Remote address(es)'),
      o('enable', true, 'yes | no'),
      o('profile', true, 'public | private | domain | any'),
      o('program', true, 'Program path'),
    ],
  },
  {
    tool: 'reg', style: '/', usage: 'reg delete KeyName [/v ValueName | /ve | /va] [/f]',
    description: 'Registry tool: `reg delete HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Tcpip6\\Parameters /v DisabledComponents /f` re-enables IPv6 (the seed’s HNS fix).',
    options: [
      o('v', true, 'The value name, under the selected Key, to delete.'),
      o('ve', false, 'Delete the value of empty value name (Default).'),
      o('va', false, 'Delete all values under this key.'),
      o('f', false, 'Forcefully deletes the registry value without prompt.'),
      o('t', true, 'RegKey data types.'),
      o('d', true, 'The data to assign to the registry ValueName being added.'),
      o('s', false, 'Queries all subkeys and values recursively.'),
      o('se', true, 'Specifies separator for REG_MULTI_SZ.'),
      o('reg:32', false, 'Specifies the key should be accessed using the 32-bit registry view.'),
      o('reg:64', false, 'Specifies the key should be accessed using the 64-bit registry view.'),
    ],
  },
  {
    tool: 'hostname', style: '-', usage: 'hostname', description: 'Prints the host (or container) name.', options: [],
  },
  {
    tool: 'route', style: '-', usage: 'route [-f] [-p] [-4|-6] print',
    description: 'Prints the routing table of the current compartment (the host stack, or a container with docker exec): the routes HNS programmed, as the data plane holds them.',
    options: [o('4', false, 'Force using IPv4.'), o('6', false, 'Force using IPv6.'), o('f', false, 'Clears the routing tables of all gateway entries.'), o('p', false, 'Makes a route persistent.')],
  },
  {
    tool: 'arp', style: '-', usage: 'arp -a [inet_addr] [-N if_addr]',
    description: 'Displays the ARP cache of the current compartment: the neighbours the data plane learned (dynamic) and the static entries.',
    options: [o('a', false, 'Displays current ARP entries.'), o('g', false, 'Same as -a.'), o('v', false, 'Displays current ARP entries in verbose mode.'), o('N', true, 'Displays the ARP entries for the network interface specified by if_addr.')],
  },
  {
    tool: 'netstat', style: '-', usage: 'netstat [-a] [-n] [-o] [-p proto]',
    description: 'Displays the host\'s listening sockets (processes started with the `listen` line; WinNAT\'s published ports are no sockets and are not listed) with their PIDs (-o).',
    options: [o('a', false, 'Displays all connections and listening ports.'), o('n', false, 'Displays addresses and port numbers in numerical form.'), o('o', false, 'Displays the owning process ID associated with each connection.'), o('p', true, 'Shows connections for the protocol specified by proto.')],
  },
  {
    tool: 'vfpctrl', style: '/', usage: 'vfpctrl /list-vmswitch-port | /port P /list-layer | /port P /layer L /list-group | /port P /layer L /group G /list-rule',
    description: 'Lists the VFP ports of the vSwitches with the VFP extension enabled (l2bridge, overlay, l2tunnel) and the layers, groups and rules Packet Path programs on them, read from the plane the data path runs.',
    options: [
      o('list-vmswitch-port', false, 'Lists the ports of every vSwitch with VFP enabled.'),
      o('port', true, 'The port (its Port name, a GUID) to act on.'),
      o('layer', true, 'The layer to act on.'),
      o('group', true, 'The group to act on.'),
      o('list-layer', false, 'Lists the layers of a port.'),
      o('list-group', false, 'Lists the groups of a layer.'),
      o('list-rule', false, 'Lists the rules of a group.'),
    ],
  },
  {
    tool: 'hnsdiag', style: '-', usage: 'hnsdiag list networks|endpoints|loadbalancers|namespaces|all',
    description: 'HNS\'s diagnostic tool. Packet Path answers that it does not print hnsdiag\'s tables (no public copy of their layout was found) and points to Get-HnsNetwork / Get-HnsEndpoint, which show the same objects.',
    options: [],
  },
];

const BY_TOOL = new Map<string, ToolSpec>(TOOLS.map((t) => [t.tool, t]));

/** The tool a command word names (`ping`, `PING.EXE`, `curl.exe`), or undefined. */
export function toolFor(word: string): Exclude<ToolName, 'other'> | undefined {
  const w = word.toLowerCase().replace(/\.exe$/, '');
  return BY_TOOL.has(w) ? (w as Exclude<ToolName, 'other'>) : undefined;
}

function word(ll: LogicalLine, w: LexWord): Word {
  return { value: w.value, span: wordSubSpan(ll, w, 0, w.value.length) };
}

/**
 * Reads a tool's words into flags and arguments. `words[0]` is the tool name. The caller fills in
 * the command's line/span/text.
 */
export function parseToolWords(
  ll: LogicalLine,
  words: LexWord[],
): Pick<ToolCommand, 'tool' | 'words' | 'flags' | 'args'> {
  const tool: ToolName = toolFor(words[0]!.value) ?? 'other';
  const rest = words.slice(1);
  const out = { tool, words: rest.map((w) => word(ll, w)), flags: [] as Flag[], args: [] as Word[] };
  const spec = tool === 'other' ? undefined : BY_TOOL.get(tool);
  if (!spec) {
    out.args = out.words;
    return out;
  }
  for (let i = 0; i < rest.length; i++) {
    const w = rest[i]!;
    const v = w.value;
    const full = wordSubSpan(ll, w, 0, v.length);
    const push = (name: string, value: string | true, written: string, valueWord?: LexWord, valueFrom?: number) => {
      const f: Flag = { name, value, written, span: full };
      if (valueWord) {
        f.valueSpan = wordSubSpan(ll, valueWord, 0, valueWord.value.length);
        f.span = joinSpans(full, f.valueSpan);
      } else if (valueFrom !== undefined) {
        f.valueSpan = wordSubSpan(ll, w, valueFrom, v.length);
      }
      out.flags.push(f);
    };
    const takeNext = (): LexWord | undefined => {
      const n = rest[i + 1];
      if (n && !(n.value.startsWith('-') && n.value.length > 1) && !(tool !== 'curl' && n.value.startsWith('/'))) {
        i++;
        return n;
      }
      return undefined;
    };

    if (tool === 'netsh') {
      const eq = v.indexOf('=');
      if (eq > 0) push(v.slice(0, eq).toLowerCase(), v.slice(eq + 1), v.slice(0, eq + 1), undefined, eq + 1);
      else out.args.push(word(ll, w));
      continue;
    }
    if (tool === 'curl') {
      if (v.startsWith('--') && v.length > 2) {
        const name = v.slice(2);
        const opt = spec.options.find((x) => x.name === name);
        if (opt?.takesValue) {
          const n = rest[i + 1];
          if (n) { i++; push(opt.name, n.value, v, n); } else push(opt.name, true, v);
        } else push(opt?.name ?? name, true, v);
        continue;
      }
      if (v.startsWith('-') && v.length > 1) {
        // Combined shorthands: `-sS`, `-sSo file`, `-ofile`.
        for (let k = 1; k < v.length; k++) {
          const c = v[k]!;
          const opt = spec.options.find((x) => x.short === c);
          if (opt?.takesValue) {
            if (k + 1 < v.length) push(opt.name, v.slice(k + 1), '-' + c, undefined, k + 1);
            else {
              const n = rest[i + 1];
              if (n) { i++; push(opt.name, n.value, '-' + c, n); } else push(opt.name, true, '-' + c);
            }
            break;
          }
          push(opt?.name ?? c, true, '-' + c);
        }
        continue;
      }
      out.args.push(word(ll, w));
      continue;
    }
    if (tool === 'nslookup') {
      if (v.startsWith('-') && v.length > 1) {
        const eq = v.indexOf('=');
        const name = (eq < 0 ? v.slice(1) : v.slice(1, eq)).toLowerCase();
        const opt = spec.options.find((x) => x.name === name || x.short === name);
        push(opt?.name ?? name, eq < 0 ? true : v.slice(eq + 1), eq < 0 ? v : v.slice(0, eq + 1), undefined, eq < 0 ? undefined : eq + 1);
      } else out.args.push(word(ll, w));
      continue;
    }
    // ping, ipconfig, reg, hostname: `-x` or `/x` switches, some followed by a value.
    if ((v.startsWith('-') || v.startsWith('/')) && v.length > 1) {
      const body = v.slice(1);
      const caseSensitive = tool === 'ping';
      const opt = spec.options.find((x) => (caseSensitive ? x.name === body : x.name.toLowerCase() === body.toLowerCase()));
      const name = opt?.name ?? (caseSensitive ? body : body.toLowerCase());
      if (opt?.takesValue) {
        const n = takeNext();
        if (n) push(name, n.value, v, n); else push(name, true, v);
      } else push(name, true, v);
      continue;
    }
    out.args.push(word(ll, w));
  }
  return out;
}
