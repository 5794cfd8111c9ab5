/**
 * The ACL rule model under its former path. src/tables/acl.ts was split into acl-rules.ts (the rule
 * model, parsing, validation), acl-classifier.ts (rank order, entries, tuple-space classifier, flow
 * cache) and acl-image.ts (the image layout and encoder). The simulation (src/sim) still imports the
 * rule model from here; this module re-exports the rule model only, so those imports keep resolving
 * while src/sim moves to './acl-rules.js' (issue 8).
 */
export * from './acl-rules.js';
