/**
 * A station: whoever owns an address and answers packets — a container's compartment, a host's
 * stack, the router, a client, the internet. Its identity only; what it answers is stations.ts's.
 */

/** Who owns addresses and answers packets. */
export type Station =
  | { kind: 'compartment'; host: string; domain: number }
  | { kind: 'host'; host: string }
  | { kind: 'router' }
  | { kind: 'client'; name: string }
  | { kind: 'internet'; ip: number };

export function stationKey(s: Station): string {
  switch (s.kind) {
    case 'compartment': return `c:${s.host}:${s.domain}`;
    case 'host': return `h:${s.host}`;
    case 'router': return 'router';
    case 'client': return `client:${s.name}`;
    case 'internet': return `inet:${s.ip}`;
  }
}

/** The host (or 'router', a client's name, 'internet') a station's hops are listed under. */
export function stationHost(st: Station): string {
  switch (st.kind) {
    case 'compartment':
    case 'host':
      return st.host;
    case 'router':
      return 'router';
    case 'client':
      return st.name;
    case 'internet':
      return 'internet';
  }
}
