// Importing this module registers every reference stage with the reference core.
export { RefCore } from './core.js';
