import { html, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { rovingKeydown } from '../roving.js';
import { PpElement, shared } from '../base.js';
import { styles } from './pp-tables.styles.js';
import type { HostSnapshot, WorldSnapshot } from '../../../src/result.js';

export type TableKind = 'nat' | 'sessions' | 'fdb' | 'acl' | 'vtep' | 'compartments' | 'endpoints';

const KINDS: { id: TableKind; label: string }[] = [
  { id: 'endpoints', label: 'Endpoints' },
  { id: 'nat', label: 'WinNAT mappings' },
  { id: 'sessions', label: 'NAT sessions' },
  { id: 'fdb', label: 'FDB (MAC tables)' },
  { id: 'acl', label: 'ACL rules' },
  { id: 'vtep', label: 'VTEP / VNI' },
  { id: 'compartments', label: 'Compartments' },
];

/**
 * @summary The live tables of one host as of the selected step: WinNAT mappings and sessions, the
 * vSwitches' MAC tables, ACL rules with hit counters, VXLAN tunnel endpoints and compartments.
 *
 * @event pp-reveal-line - a row's "line N" was clicked; detail `{ line }`.
 */
export class PpTables extends PpElement {
  static override styles = [shared, styles];

  @property({ attribute: false }) world?: WorldSnapshot;
  /** Label of the step the tables are as of, e.g. `after line 7`. */
  @property() asOf = '';

  /** The host shown (the playground sets it to the selected packet's or node's host). */
  @property() host = '';
  /** The table shown. */
  @property() kind: TableKind = 'endpoints';
  /** Rows of this port or vSwitch are marked (a node clicked on the topology). */
  @property() mark = '';

  /** A row's port is the marked node's (`web`, `port web`, `ExternalPort (Ethernet)`). */
  private marked(port: string): boolean {
    const m = this.mark;
    return !!m && (port === m || port === `port ${m}` || port.includes(`(${m})`));
  }

  private lineLink(line?: number) {
    return line ? html`<button class="linkish" @click=${() => this.emit('pp-reveal-line', { line })}>line ${line}</button>` : html`<span class="muted">—</span>`;
  }

  private table(head: string[], rows: TemplateResult[], empty: string) {
    if (!rows.length) return html`<div class="empty">${empty}</div>`;
    return html`<table><thead><tr>${head.map((h) => html`<th>${h}</th>`)}</tr></thead><tbody>${rows}</tbody></table>`;
  }

  private body(h: HostSnapshot) {
    const t = h.tables;
    switch (this.kind) {
      case 'endpoints':
        return this.table(['Container', 'Network', 'IP', 'MAC', 'Compartment', 'State', 'Ports', 'VLAN', 'Defined'],
          h.endpoints.map((e) => html`<tr class=${this.mark === e.container ? 'focus' : ''}><td>${e.container}</td><td>${e.network}</td><td class="mono">${e.ip ?? '—'}</td><td class="mono">${e.mac}</td><td>${e.compartment}</td><td>${e.state}</td>
            <td class="mono">${e.ports.map((p) => `${p.hostPort}:${p.containerPort}/${p.protocol}`).join(', ') || '—'}</td><td>${e.vlan ?? '—'}</td><td>${this.lineLink(e.sourceLine)}</td></tr>`),
          'No container endpoints on this host yet.');
      case 'nat':
        return this.table(['NatName', 'Protocol', 'ExternalIPAddress', 'ExternalPort', 'InternalIPAddress', 'InternalPort', 'Defined'],
          t.natMappings.map((m) => html`<tr><td>${m.natName}</td><td>${m.protocol}</td><td class="mono">${m.externalIp}</td><td class="mono">${m.externalPort}</td><td class="mono">${m.internalIp}</td><td class="mono">${m.internalPort}</td><td>${this.lineLink(m.sourceLine)}</td></tr>`),
          'No WinNAT static mappings (published ports, docker run -p) on this host.');
      case 'sessions':
        return this.table(['Protocol', 'Direction', 'Internal', 'External (translated)', 'Remote', 'Packets', 'Expires in'],
          t.natSessions.map((s) => html`<tr><td>${s.protocol}</td><td>${s.direction}</td><td class="mono">${s.internal}</td><td class="mono">${s.external}</td><td class="mono">${s.remote}</td><td class="num">${s.packets}</td><td class="num">${s.expiresIn} s</td></tr>`),
          'No NAT sessions yet: traffic through WinNAT creates them.');
      case 'fdb':
        return this.table(['vSwitch', 'MAC', 'Port', 'VLAN', 'Kind'],
          t.fdb.map((f) => html`<tr class=${this.marked(f.port) || (!!this.mark && this.mark === f.vSwitch) ? 'focus' : ''}><td>${f.vSwitch}</td><td class="mono">${f.mac}</td><td>${f.port}</td><td>${f.vlan ?? '—'}</td><td>${f.kind}</td></tr>`),
          'No MAC table entries.');
      case 'acl': {
        const rules = [...t.acl].sort((a, b) => a.port.localeCompare(b.port) || a.direction.localeCompare(b.direction) || a.priority - b.priority);
        return this.table(['Port', 'Id', 'Dir', 'Action', 'Protocol', 'Local', 'Remote', 'Local ports', 'Remote ports', 'Priority', 'Type', 'Hits', 'Defined'],
          rules.map((r) => html`<tr class="${r.hits ? 'hit' : ''} ${this.marked(r.port) ? 'focus' : ''}"><td>${r.port}</td><td>${r.id}</td><td>${r.direction}</td><td class=${r.action === 'Block' ? 'block' : 'allow'}>${r.action}</td><td>${r.protocol}</td>
            <td class="mono">${r.localAddresses}</td><td class="mono">${r.remoteAddresses}</td><td class="mono">${r.localPorts}</td><td class="mono">${r.remotePorts}</td><td class="num">${r.priority}</td><td>${r.ruleType}</td>
            <td class="num hits">${r.hits}</td><td>${this.lineLink(r.sourceLine)}</td></tr>`),
          'No ACL rules on this host.');
      }
      case 'vtep':
        return this.table(['Network', 'VNI', 'Remote IP', 'Remote MAC', 'Provider address (outer dst)', 'On host'],
          t.vtep.map((v) => html`<tr><td>${v.network}</td><td class="num">${v.vni}</td><td class="mono">${v.ip}</td><td class="mono">${v.mac}</td><td class="mono">${v.providerAddress}</td><td>${v.host}</td></tr>`),
          'No VXLAN tunnel endpoints (overlay networks in swarm mode have them).');
      case 'compartments':
        return this.table(['Id', 'Description', 'Container', 'Interfaces', 'Routes', 'DNS'],
          h.compartments.map((c) => html`<tr><td class="num">${c.id}</td><td>${c.description}</td><td>${c.container ?? html`<span class="muted">host</span>`}</td>
            <td class="mono multi">${c.interfaces.map((i) => html`<div>${i.name} ${i.ip ?? ''} ${i.mac}</div>`)}</td>
            <td class="mono multi">${c.routes.map((r) => html`<div>${r.prefix} → ${r.nextHop} (${r.iface})</div>`)}</td><td class="mono">${c.dns.join(', ')}</td></tr>`),
          'No compartments.');
    }
  }

  private count(h: HostSnapshot, kind: TableKind): number {
    const t = h.tables;
    return { endpoints: h.endpoints.length, nat: t.natMappings.length, sessions: t.natSessions.length, fdb: t.fdb.length, acl: t.acl.length, vtep: t.vtep.length, compartments: h.compartments.length }[kind];
  }

  override render() {
    const w = this.world;
    if (!w || !w.hosts.length) return html`<div class="empty">Run the script to see each host's tables (WinNAT, MAC tables, ACL hit counters, VXLAN, compartments).</div>`;
    const h = w.hosts.find((x) => x.name === this.host) ?? w.hosts[0];
    return html`<div class="wrap">
      <div class="bar">
        <label>Host <select @change=${(e: Event) => (this.host = (e.target as HTMLSelectElement).value)} aria-label="Host">
          ${w.hosts.map((x) => html`<option value=${x.name} ?selected=${x.name === h.name}>${x.name}</option>`)}</select></label>
        <div class="kinds" role="tablist" aria-label="Table" @keydown=${(e: KeyboardEvent) => rovingKeydown(e, KINDS.map((k) => k.id), this.kind, (k) => (this.kind = k), this.renderRoot, this.updateComplete)}>
          ${KINDS.map((k) => html`<button role="tab" id="tab-${k.id}" data-tab=${k.id} aria-controls="table-panel" aria-selected=${this.kind === k.id} tabindex=${this.kind === k.id ? 0 : -1}
            class=${this.kind === k.id ? 'active' : ''} @click=${() => (this.kind = k.id)}>${k.label} <span class="badge">${this.count(h, k.id)}</span></button>`)}
        </div>
        ${this.asOf ? html`<span class="muted asof">as of ${this.asOf}</span>` : nothing}
      </div>
      <div class="body" role="tabpanel" id="table-panel" aria-labelledby="tab-${this.kind}" tabindex="0">${this.body(h)}</div>
    </div>`;
  }
}
