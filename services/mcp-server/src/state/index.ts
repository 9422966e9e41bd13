/** The state layer: one small store interface, in memory by default (see store.ts). */
export type { MessageListener, SetOptions, StateStore } from './store.js';
export { MemoryStore, type MemoryStoreOptions } from './memory-store.js';
export { StateError, StoreFullError, StoreUnavailableError } from './errors.js';
