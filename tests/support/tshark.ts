/**
 * tshark as an independent judge of our frames: `ensureTshark()` finds (or, as root, installs)
 * it; `tsharkCheck(pcap)` decodes a capture with IP/UDP/TCP checksum validation on and returns,
 * per frame, the decoded fields and Wireshark's expert notes, plus the notes that mean the frame
 * is wrong (malformed, bad checksum). ICMP checksums are always validated by Wireshark.
 *
 * Debian's package is `tshark` (Wireshark 4.0 on Debian 12). Expert severities and groups are
 * the numeric PI_* values of epan/proto.h, mapped to names below.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { PcapWriter } from '../../src/engine/pcap.js';

/** Fields extracted from every frame (more can be asked for per call). */
export const DEFAULT_FIELDS = [
  'frame.number', 'frame.len', 'frame.protocols',
  'eth.src', 'eth.dst', 'eth.type', 'vlan.id', 'vlan.priority',
  'arp.opcode', 'arp.src.hw_mac', 'arp.src.proto_ipv4', 'arp.dst.proto_ipv4',
  'ip.src', 'ip.dst', 'ip.ttl', 'ip.proto', 'ip.len', 'ip.hdr_len', 'ip.checksum.status',
  'icmp.type', 'icmp.code', 'icmp.ident', 'icmp.seq', 'icmp.checksum.status',
  'udp.srcport', 'udp.dstport', 'udp.length', 'udp.checksum.status',
  'tcp.srcport', 'tcp.dstport', 'tcp.flags', 'tcp.seq_raw', 'tcp.ack_raw', 'tcp.len', 'tcp.checksum.status',
  'vxlan.flags', 'vxlan.vni', 'dns.qry.name',
] as const;

const EXPERT_FIELDS = ['_ws.expert.message', '_ws.expert.severity', '_ws.expert.group', '_ws.malformed'];

/** Checksum options: without them Wireshark does not verify IP, UDP and TCP checksums. */
export const CHECKSUM_OPTIONS = ['-o', 'ip.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE', '-o', 'tcp.check_checksum:TRUE'];

const SEVERITY: Record<number, ExpertNote['severity']> = {
  0x0010_0000: 'comment', 0x0020_0000: 'chat', 0x0040_0000: 'note', 0x0060_0000: 'warn', 0x0080_0000: 'error',
};
const GROUP: Record<number, string> = {
  0x0100_0000: 'checksum', 0x0200_0000: 'sequence', 0x0300_0000: 'response-code', 0x0400_0000: 'request-code',
  0x0500_0000: 'undecoded', 0x0600_0000: 'reassemble', 0x0700_0000: 'malformed', 0x0800_0000: 'debug',
  0x0900_0000: 'protocol', 0x0a00_0000: 'security', 0x0b00_0000: 'comments', 0x0c00_0000: 'decryption',
  0x0d00_0000: 'assumption', 0x0e00_0000: 'deprecated',
};

export interface ExpertNote {
  severity: 'comment' | 'chat' | 'note' | 'warn' | 'error' | 'unknown';
  group: string;
  message: string;
}

export interface TsharkFrame {
  /** 1-based frame number. */
  number: number;
  /** `eth:ethertype:ip:udp:vxlan:eth:ethertype:ip:tcp`, split on ':'. */
  protocols: string[];
  /** Field name → every occurrence (an encapsulated frame repeats ip.src etc.). */
  fields: Record<string, string[]>;
  expert: ExpertNote[];
  /** What makes this frame wrong: malformed / checksum notes, error-severity notes, bad checksum statuses. */
  problems: string[];
}

export interface TsharkReport {
  frames: TsharkFrame[];
  /** Every problem of every frame, as `frame N: message`. */
  problems: string[];
}

/** The first executable `name` on PATH, or undefined. */
function which(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(delimiter)) {
    const p = join(dir, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/**
 * Return the path of tshark. When it is missing and we are root, install Debian's package
 * (retrying after `apt-get update` when the package lists are stale or absent); otherwise throw,
 * saying how to install it. Takes up to a few minutes the first time.
 */
export function ensureTshark(): string {
  const found = which('tshark');
  if (found) return found;
  if (process.getuid?.() !== 0) {
    throw new Error('tshark is not installed and this is not root: run `sudo apt-get install -y tshark`');
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // Another test file (or scripts/ensure-system-deps.sh) may be installing at the same moment: wait for dpkg's lock.
  const lock = ['-o', 'DPkg::Lock::Timeout=600'];
  const install = () => execFileSync('apt-get', [...lock, 'install', '-y', 'tshark'], { env, stdio: 'pipe', timeout: 900_000 });
  try {
    install();
  } catch {
    if (!which('tshark')) {
      execFileSync('apt-get', [...lock, 'update'], { env, stdio: 'pipe', timeout: 900_000 });
      install();
    }
  }
  const path = which('tshark');
  if (!path) throw new Error('apt-get installed tshark but it is not on PATH');
  return path;
}

const SEP = '\x1f';
const AGG = '\x1e';

/** Decode `pcapPath` with checksum validation on; returns per-frame fields, expert notes and problems. */
export function tsharkCheck(pcapPath: string, extraFields: readonly string[] = []): TsharkReport {
  const tshark = ensureTshark();
  const fields = [...new Set([...DEFAULT_FIELDS, ...extraFields])];
  const all = [...fields, ...EXPERT_FIELDS];
  const args = [
    '-r', pcapPath, '-n', ...CHECKSUM_OPTIONS, '-T', 'fields',
    '-E', `separator=${SEP}`, '-E', 'occurrence=a', '-E', `aggregator=${AGG}`, '-E', 'header=n',
    ...all.flatMap((f) => ['-e', f]),
  ];
  const out = execFileSync(tshark, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  const frames: TsharkFrame[] = [];
  for (const line of out.split('\n')) {
    if (line.trim() === '') continue;
    const cols = line.split(SEP);
    const get = (name: string): string[] => {
      const v = cols[all.indexOf(name)] ?? '';
      return v === '' ? [] : v.split(AGG);
    };
    const record: Record<string, string[]> = {};
    for (const f of fields) record[f] = get(f);
    const messages = get('_ws.expert.message');
    const severities = get('_ws.expert.severity');
    const groups = get('_ws.expert.group');
    const expert: ExpertNote[] = messages.map((message, i) => ({
      message,
      severity: SEVERITY[Number(severities[i])] ?? 'unknown',
      group: GROUP[Number(groups[i])] ?? `0x${Number(groups[i] ?? 0).toString(16)}`,
    }));
    const problems: string[] = [];
    for (const n of expert) {
      if (n.group === 'checksum' || n.group === 'malformed' || n.severity === 'error') problems.push(`${n.group}/${n.severity}: ${n.message}`);
    }
    if (get('_ws.malformed').length > 0 && !problems.some((p) => p.startsWith('malformed'))) problems.push('malformed packet');
    for (const f of fields) {
      // Wireshark's checksum status: 0 bad, 1 good, 2 unverified.
      if (f.endsWith('.checksum.status') && record[f].includes('0')) problems.push(`${f} = bad`);
    }
    frames.push({
      number: Number(record['frame.number'][0]),
      protocols: (record['frame.protocols'][0] ?? '').split(':'),
      fields: record,
      expert,
      problems,
    });
  }
  return { frames, problems: frames.flatMap((f) => f.problems.map((p) => `frame ${f.number}: ${p}`)) };
}

/** Write `frames` to a temporary pcap (1 ms apart), run tsharkCheck on it, and remove it. */
export function tsharkCheckFrames(frames: Uint8Array[], extraFields: readonly string[] = []): TsharkReport {
  const dir = mkdtempSync(join(tmpdir(), 'pp-tshark-'));
  try {
    const w = new PcapWriter();
    frames.forEach((f, i) => w.add(f, 1_700_000_000_000_000 + i * 1000));
    const path = join(dir, 'frames.pcap');
    writeFileSync(path, w.toBytes());
    return tsharkCheck(path, extraFields);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The first occurrence of a field in a frame ('' when absent). */
export function field(frame: TsharkFrame, name: string, occurrence = 0): string {
  return frame.fields[name]?.[occurrence] ?? '';
}
