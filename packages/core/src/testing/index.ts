export { createFailingStore } from './failing-store.js';
export { createFakeClock, type FakeClock } from './fake-clock.js';
export {
  describeStoreContract,
  type StoreCapability,
  type StoreContractContext,
  type StoreContractOptions,
} from './store-contract.js';
export { tamperWithStoredValue } from './tamper.js';
