import { css } from 'lit';

export const styles = css`
  :host { display: flex; flex-direction: column; min-height: 0; height: 100%; background: var(--pp-canvas); }
  .toolbar { display: flex; gap: 4px; align-items: center; padding: 3px 6px; border-bottom: 1px solid var(--pp-border); background: var(--pp-panel-header); }
  .toolbar button { padding: 0 7px; min-width: 24px; }
  .legend { display: flex; gap: 10px; margin-left: 10px; }
  .key { display: inline-flex; align-items: center; gap: 4px; color: var(--pp-muted); }
  .key i { width: 10px; height: 10px; border-radius: 2px; background: var(--drv); display: inline-block; }
  .count { margin-left: auto; }
  .max { margin-left: 6px; }
  .viewport { flex: 1; min-height: 0; overflow: hidden; cursor: grab; touch-action: none; }
  .viewport:active { cursor: grabbing; }
  svg { display: block; user-select: none; }
  text { fill: var(--pp-fg); font: 11px var(--pp-font-ui); }
  .label { font-weight: 600; }
  .host-label { font-size: 13px; }
  .sub { fill: var(--pp-muted); font-size: 10px; }
  .tiny { fill: var(--pp-muted); font-size: 10px; }
  .net { fill: var(--pp-fg); font-size: 10px; font-family: var(--pp-font-mono); }
  .mono { font-family: var(--pp-font-mono); }
  .vlan { fill: var(--pp-vlan); font-size: 10px; font-weight: 700; }
  .link { fill: none; stroke: var(--pp-link); stroke-width: 1.4; }
  .link.lan { stroke: var(--pp-lan); stroke-width: 2; }
  .link.bind { stroke: var(--pp-link); stroke-width: 2; }
  .link.internal { stroke-dasharray: 4 3; }
  .link.vxlan { stroke: var(--drv-overlay); stroke-dasharray: 6 4; stroke-width: 1.6; }
  .link-label.vxlan { fill: var(--drv-overlay); font-weight: 600; }
  .node rect { fill: var(--pp-node); stroke: var(--pp-node-border); stroke-width: 1; }
  .node.host > rect:first-of-type { fill: var(--pp-host); stroke: var(--pp-host-border); }
  .node.lan rect { fill: var(--pp-lan); stroke: none; }
  .node.internet rect { fill: var(--pp-internet); }
  .node.router rect, .node.winnat rect { fill: var(--pp-node-alt); }
  .node.vswitch > rect:first-of-type { fill: var(--pp-switch); }
  .node.hostvnic rect { fill: var(--pp-node-alt); }
  .node .stripe { fill: var(--drv, var(--pp-muted)); stroke: none; }
  .d-nat { --drv: var(--drv-nat); }
  .d-transparent { --drv: var(--drv-transparent); }
  .d-overlay { --drv: var(--drv-overlay); }
  .d-l2bridge { --drv: var(--drv-l2bridge); }
  .d-l2tunnel { --drv: var(--drv-l2tunnel); }
  rect.node.dot { fill: var(--drv, var(--pp-muted)); stroke: none; opacity: 0.85; }
  rect.node.dot.on-path { stroke: var(--pp-accent); stroke-width: 2; opacity: 1; }
  .node.group { cursor: pointer; }
  .node.group .link { fill: var(--pp-accent); }
  .node.group text { fill: var(--pp-accent); text-decoration: underline; }
  .node.on-path > rect:first-of-type { stroke: var(--pp-accent); stroke-width: 2.5; }
  /* The path: a solid line in the accent colour over a halo of the canvas colour, so it stands out from every link it runs beside. */
  .path-halo { fill: none; stroke: var(--pp-canvas); stroke-width: 7; stroke-linejoin: round; stroke-linecap: round; }
  .path-wire { fill: none; stroke: var(--pp-path); stroke-width: 2.5; stroke-linejoin: round; stroke-linecap: round; opacity: 0.55; }
  .path-done { fill: none; stroke: var(--pp-path); stroke-width: 3.5; stroke-linejoin: round; stroke-linecap: round; }
  .path-wire.dropped, .path-done.dropped, .path-wire.timeout, .path-done.timeout { stroke: var(--pp-error); }
  .arrowhead { fill: var(--pp-accent); }
  .packet { pointer-events: none; }
  .packet circle { fill: var(--pp-canvas); stroke: var(--pp-path); stroke-width: 3; }
  .packet .core { fill: var(--pp-path); stroke: none; }
  .packet.dropped circle, .packet.timeout circle { stroke: var(--pp-error); }
  .packet.dropped .core, .packet.timeout .core { fill: var(--pp-error); }
  .packet.ignored circle { stroke: var(--pp-muted); }
  .packet.ignored .core { fill: var(--pp-muted); }
  /* A phone: the driver legend gives way to the buttons and the count. */
  @media (max-width: 500px) { .legend { display: none; } .count { white-space: nowrap; } }
`;
