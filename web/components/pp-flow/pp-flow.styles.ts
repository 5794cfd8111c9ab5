import { css } from 'lit';

export const styles = css`
  :host { display: block; height: 100%; min-height: 0; container-type: inline-size; }
  .flow { display: grid; grid-template-columns: minmax(200px, 28%) 1fr; height: 100%; min-height: 0; }
  .flow:focus-visible { outline: 2px solid var(--pp-focus); outline-offset: -2px; }
  .packets { overflow: auto; border-right: 1px solid var(--pp-border); padding: 4px; }
  .trace-head { font-weight: 600; color: var(--pp-muted); padding: 4px 4px 2px; }
  .packet { display: flex; gap: 6px; width: 100%; text-align: left; border: 1px solid transparent; background: none; padding: 2px 4px; align-items: baseline; }
  .packet.active { background: var(--pp-selection); border-color: var(--pp-accent); }
  .packet .summary { font-size: 11px; word-break: break-all; }
  .verdict.delivered { color: var(--pp-ok); }
  .verdict.dropped, .verdict.timeout { color: var(--pp-error); }
  .verdict.ignored, .verdict.expired { color: var(--pp-muted); }
  .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  .ignored-note, .expired-note { margin: 6px; padding: 6px 8px; border-left: 4px solid var(--pp-border); background: var(--pp-panel-header); color: var(--pp-fg); }
  .hops { display: flex; flex-direction: column; min-height: 0; min-width: 0; }
  .controls { display: flex; gap: 4px; align-items: center; padding: 4px 6px; border-bottom: 1px solid var(--pp-border); background: var(--pp-panel-header); flex-wrap: wrap; }
  .controls .pos { padding: 0 6px; }
  .controls .summary { margin-left: 8px; font-size: 11px; }
  .drop { margin: 6px; padding: 6px 8px; border-left: 4px solid var(--pp-error); background: var(--pp-error-bg); color: var(--pp-fg); }
  .drop strong { color: var(--pp-error); }
  .drop .reason { font-weight: 600; }
  .responsible { margin-top: 3px; }
  .responsible code { font-family: var(--pp-font-mono); background: var(--pp-panel); padding: 0 4px; border-radius: 2px; }
  .linkish { border: none; background: none; color: var(--pp-accent); text-decoration: underline; padding: 0; cursor: pointer; }
  .table-wrap { overflow: auto; flex: 1; min-height: 0; }
  tbody tr { cursor: pointer; }
  tbody tr:hover { background: var(--pp-hover); }
  tr.changed td.changes { background: var(--pp-changed-bg); }
  tr.current { background: var(--pp-selection) !important; box-shadow: inset 3px 0 0 var(--pp-accent); }
  tr.current td.changes { font-weight: 600; }
  tr.dropped td .action { color: var(--pp-error); font-weight: 700; }
  tr.dropped td .rule { color: var(--pp-error); }
  tbody td { vertical-align: top; }
  td.changes { min-width: 200px; }
  td.num { color: var(--pp-muted); text-align: right; }
  td.decision { white-space: normal; min-width: 220px; max-width: 420px; }
  td.decision .rule { color: var(--pp-muted); font-size: 11px; margin-top: 1px; }
  td.place { white-space: normal; min-width: 120px; }
  td.place .host { color: var(--pp-muted); }
  .action { white-space: nowrap; }
  td.changes { white-space: normal; }
  .change { display: inline-block; margin: 1px 8px 1px 0; font-family: var(--pp-font-mono); font-size: 11px; white-space: nowrap; }
  .field { color: var(--pp-muted); }
  .before { color: var(--pp-before); text-decoration: line-through; text-decoration-thickness: 1px; }
  .after { color: var(--pp-after); font-weight: 700; }
  .stage { font-family: var(--pp-font-mono); font-size: 11px; padding: 0 4px; border-radius: 3px; background: var(--pp-badge-bg); color: var(--pp-fg); font-weight: 400; }
  .s-nat { background: #2e7dd733; }
  .s-acl { background: #c4251c26; }
  .s-vxlan-encap, .s-vxlan-decap { background: #d9730d33; }
  .s-mac-rewrite { background: #8e44ad33; }
  .s-vlan { background: #9c27b033; }
  /* VFP's unified flow table: a packet of a known flow took the port's fast path. */
  .s-uft { background: #1e8e3e2e; }
  .empty code { font-family: var(--pp-font-mono); }
  /* Narrow (a phone, a small widget): packets above hops, and each hop's changes under it. */
  @container (max-width: 560px) {
    .flow { grid-template-columns: minmax(0, 1fr); grid-template-rows: minmax(0, 30%) minmax(0, 1fr); }
    .packets { border-right: none; border-bottom: 1px solid var(--pp-border); }
    thead { display: none; }
    table, tbody, tr, td { display: block; width: auto; }
    tbody tr { padding: 4px 6px; border-bottom: 1px solid var(--pp-grid); }
    tbody td { border: none; padding: 1px 0; min-width: 0; max-width: none; }
    td.num { display: none; }
    td.decision { min-width: 0; }
    td.changes { min-width: 0; }
    tr.changed td.changes { background: none; }
    tr.changed td.changes:not(:empty) { background: var(--pp-changed-bg); padding: 2px 4px; }
    .controls .summary { flex-basis: 100%; margin-left: 0; }
  }
`;
