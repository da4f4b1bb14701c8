export { createKeyvStore, type KeyvLike, type KeyvStoreOptions } from './keyv-store.js';
export { KeyvStoreAdapter, type KeyvStoreAdapterOptions } from './keyv-store-adapter.js';
