// Importing this module registers every reference stage with the reference core.
export { RefCore } from './core.js';
import './vxlan.js';
import './acl.js';
import './parse.js';
import './vlan.js';
import './mac-rewrite.js';
import './switch.js';
import './route.js';
import './nat.js';
import './guard.js';
import './uft.js';
