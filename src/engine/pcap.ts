/**
 * libpcap capture files, in memory: the writer behind `packet-path run --pcap` and a reader for
 * tests. Format (https://www.tcpdump.org/manpages/pcap-savefile.5.html, and the IETF draft
 * draft-ietf-opsawg-pcap):
 *
 *   global header, 24 bytes          record header, 16 bytes, then incl_len bytes of frame
 *   +------------------------------+  +------------------------------+
 *   | magic 0xA1B2C3D4 (µs)        |  | ts_sec                       |
 *   | version 2 | 4                |  | ts_usec                      |
 *   | thiszone 0                   |  | incl_len (captured)          |
 *   | sigfigs 0                    |  | orig_len (on the wire)       |
 *   | snaplen                      |  +------------------------------+
 *   | linktype 1 (Ethernet)        |
 *   +------------------------------+
 *
 * Written little-endian (readers detect byte order from the magic). Hand-written rather than a
 * dependency: on npm, `pcap` is a libpcap binding (native, live capture), `pcap-parser` reads
 * only and needs Node streams, and `pcap-generator` has no docs, no types and Node `Buffer`s;
 * the writer must also run in the browser, and the whole format is the 40 bytes above.
 */

export const PCAP_MAGIC_MICROS = 0xa1b2c3d4;
export const PCAP_MAGIC_NANOS = 0xa1b23c4d;
export const LINKTYPE_ETHERNET = 1;
export const PCAP_GLOBAL_HEADER_LEN = 24;
export const PCAP_RECORD_HEADER_LEN = 16;

export interface PcapRecord {
  /** Capture time in microseconds since the Unix epoch. */
  tsMicros: number;
  /** Captured bytes (at most snaplen). */
  data: Uint8Array;
  /** Length of the frame on the wire. */
  origLen: number;
}

export interface PcapFile {
  linkType: number;
  snaplen: number;
  /** True when the file's timestamps were nanoseconds (converted to µs in records). */
  nanos: boolean;
  records: PcapRecord[];
}

/** Collects frames and produces one libpcap file (Ethernet link type, microsecond timestamps). */
export class PcapWriter {
  private readonly records: PcapRecord[] = [];
  private size = PCAP_GLOBAL_HEADER_LEN;

  /** `snaplen` caps the bytes kept per frame (65535: everything this simulator makes). */
  constructor(readonly snaplen = 65535, readonly linkType = LINKTYPE_ETHERNET) {}

  /** Add one frame seen at `tsMicros` (µs since the epoch; the simulated clock). The bytes are copied. */
  add(frame: Uint8Array, tsMicros: number): void {
    if (!Number.isFinite(tsMicros) || tsMicros < 0) throw new RangeError(`pcap timestamp ${tsMicros} µs is not a non-negative number`);
    const kept = frame.slice(0, Math.min(frame.length, this.snaplen));
    this.records.push({ tsMicros: Math.floor(tsMicros), data: kept, origLen: frame.length });
    this.size += PCAP_RECORD_HEADER_LEN + kept.length;
  }

  /** Frames added so far. */
  get count(): number {
    return this.records.length;
  }

  /** The file: global header then every record in the order added. */
  toBytes(): Uint8Array {
    const out = new Uint8Array(this.size);
    const dv = new DataView(out.buffer);
    dv.setUint32(0, PCAP_MAGIC_MICROS, true);
    dv.setUint16(4, 2, true);
    dv.setUint16(6, 4, true);
    dv.setInt32(8, 0, true);
    dv.setUint32(12, 0, true);
    dv.setUint32(16, this.snaplen, true);
    dv.setUint32(20, this.linkType, true);
    let off = PCAP_GLOBAL_HEADER_LEN;
    for (const r of this.records) {
      const sec = Math.floor(r.tsMicros / 1e6);
      dv.setUint32(off, sec, true);
      dv.setUint32(off + 4, r.tsMicros - sec * 1e6, true);
      dv.setUint32(off + 8, r.data.length, true);
      dv.setUint32(off + 12, r.origLen, true);
      out.set(r.data, off + PCAP_RECORD_HEADER_LEN);
      off += PCAP_RECORD_HEADER_LEN + r.data.length;
    }
    return out;
  }
}

/** A capture file that cannot be read, and why. */
export class PcapError {
  constructor(readonly message: string, readonly offset: number) {}
}

/** Read a libpcap file (either byte order, µs or ns timestamps). Returns a PcapError instead of throwing. */
export function readPcap(bytes: Uint8Array): PcapFile | PcapError {
  if (bytes.length < PCAP_GLOBAL_HEADER_LEN) return new PcapError(`file of ${bytes.length} bytes has no global header`, 0);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let le: boolean;
  const m = dv.getUint32(0, true);
  if (m === PCAP_MAGIC_MICROS || m === PCAP_MAGIC_NANOS) le = true;
  else {
    const mb = dv.getUint32(0, false);
    if (mb !== PCAP_MAGIC_MICROS && mb !== PCAP_MAGIC_NANOS) return new PcapError(`bad magic 0x${m.toString(16)}`, 0);
    le = false;
  }
  const nanos = dv.getUint32(0, le) === PCAP_MAGIC_NANOS;
  const major = dv.getUint16(4, le);
  if (major !== 2) return new PcapError(`unsupported version ${major}.${dv.getUint16(6, le)}`, 4);
  const snaplen = dv.getUint32(16, le);
  const linkType = dv.getUint32(20, le) & 0x0fff_ffff;
  const records: PcapRecord[] = [];
  let off = PCAP_GLOBAL_HEADER_LEN;
  while (off < bytes.length) {
    if (off + PCAP_RECORD_HEADER_LEN > bytes.length) return new PcapError('truncated record header', off);
    const sec = dv.getUint32(off, le);
    const frac = dv.getUint32(off + 4, le);
    const incl = dv.getUint32(off + 8, le);
    const orig = dv.getUint32(off + 12, le);
    if (off + PCAP_RECORD_HEADER_LEN + incl > bytes.length) return new PcapError(`record of ${incl} bytes runs past the end`, off);
    records.push({
      tsMicros: sec * 1e6 + (nanos ? Math.floor(frac / 1000) : frac),
      data: bytes.slice(off + PCAP_RECORD_HEADER_LEN, off + PCAP_RECORD_HEADER_LEN + incl),
      origLen: orig,
    });
    off += PCAP_RECORD_HEADER_LEN + incl;
  }
  return { linkType, snaplen, nanos, records };
}

/** Microseconds between two frames of a run's capture: frames keep their order, 10 µs apart. */
export const PCAP_FRAME_SPACING_MICROS = 10;

/** The frames of a run (RunResult with `frames`, from `capture: true`), in `packet-path run --pcap` order. */
interface CapturedRun {
  steps: { traces: { packets: { frames?: { at: string; hex: string }[] }[] }[] }[];
}

function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(2 * i, 2), 16);
  return out;
}

/**
 * A run's frames as one libpcap file: every frame seen on a simulated wire, step by step, packet by
 * packet, timestamps 10 µs apart from 0 — the bytes `packet-path run --pcap` writes. `steps` keeps
 * only those step indexes (the browser's "this step" download); their frames keep the timestamps
 * they have in the whole run's file, so the two line up in Wireshark.
 */
export function pcapOfRun(result: CapturedRun, opts: { steps?: number[] } = {}): Uint8Array {
  const keep = opts.steps ? new Set(opts.steps) : undefined;
  const w = new PcapWriter();
  let t = 0;
  result.steps.forEach((step, k) => {
    for (const tr of step.traces) {
      for (const p of tr.packets) {
        for (const f of p.frames ?? []) {
          if (!keep || keep.has(k)) w.add(hexToBytes(f.hex), t);
          t += PCAP_FRAME_SPACING_MICROS;
        }
      }
    }
  });
  return w.toBytes();
}
