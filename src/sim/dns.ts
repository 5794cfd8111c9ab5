/**
 * The DNS messages the simulation sends and answers (RFC 1035 §4.1): one A question per query, and
 * an answer with A records or an NXDOMAIN (RCODE 3). Only what nslookup / ping / curl need.
 * https://www.rfc-editor.org/rfc/rfc1035#section-4.1
 *
 *   +---------------------+
 *   |        Header       |  ID, flags (QR, opcode, AA, TC, RD, RA, RCODE), 4 counts
 *   +---------------------+
 *   |       Question      |  QNAME (labels), QTYPE, QCLASS
 *   +---------------------+
 *   |        Answer       |  NAME (pointer 0xC00C), TYPE, CLASS, TTL, RDLENGTH, RDATA
 *   +---------------------+
 */

export const DNS_PORT = 53;
export const RCODE_NOERROR = 0;
export const RCODE_NXDOMAIN = 3;

export interface DnsMessage {
  id: number;
  response: boolean;
  rcode: number;
  name: string;
  /** IPv4 answers as dotted quads. */
  answers: string[];
}

function encodeName(name: string): number[] {
  const out: number[] = [];
  for (const label of name.replace(/\.$/, '').split('.')) {
    const bytes = [...new TextEncoder().encode(label)].slice(0, 63);
    out.push(bytes.length, ...bytes);
  }
  out.push(0);
  return out;
}

export function encodeDns(m: DnsMessage): Uint8Array {
  const flags = m.response ? 0x8180 | (m.rcode & 0xf) : 0x0100; // QR+RD+RA for answers, RD for queries
  const out: number[] = [m.id >> 8, m.id & 0xff, flags >> 8, flags & 0xff, 0, 1, 0, m.response ? m.answers.length : 0, 0, 0, 0, 0];
  out.push(...encodeName(m.name), 0, 1, 0, 1);
  if (m.response) {
    for (const a of m.answers) {
      out.push(0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0x02, 0x58, 0, 4, ...a.split('.').map(Number));
    }
  }
  return Uint8Array.from(out);
}

/** Decodes a message made by encodeDns (or any simple A query/answer); null when malformed. */
export function decodeDns(b: Uint8Array): DnsMessage | null {
  if (b.length < 12) return null;
  const id = (b[0] << 8) | b[1];
  const flags = (b[2] << 8) | b[3];
  const qd = (b[4] << 8) | b[5];
  const an = (b[6] << 8) | b[7];
  if (qd !== 1) return null;
  let p = 12;
  const labels: string[] = [];
  while (p < b.length && b[p] !== 0) {
    const len = b[p];
    if (len > 63 || p + 1 + len > b.length) return null;
    labels.push(new TextDecoder().decode(b.subarray(p + 1, p + 1 + len)));
    p += 1 + len;
  }
  p += 5;
  const answers: string[] = [];
  for (let k = 0; k < an; k++) {
    if (p + 16 > b.length) return null;
    const type = (b[p + 2] << 8) | b[p + 3];
    const rdlen = (b[p + 10] << 8) | b[p + 11];
    if (type === 1 && rdlen === 4) answers.push([...b.subarray(p + 12, p + 16)].join('.'));
    p += 12 + rdlen;
  }
  return { id, response: (flags & 0x8000) !== 0, rcode: flags & 0xf, name: labels.join('.'), answers };
}
