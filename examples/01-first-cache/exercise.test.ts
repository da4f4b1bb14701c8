import { describeStoreContract } from '@prompt-cache/core/testing';
import { solution } from '../solution-switch.ts';

const { createMyStore } = await solution<typeof import('./exercise.ts')>('01-first-cache', import.meta.url);

describeStoreContract('your store (exercise 1)', {
  create: ({ clock }) => createMyStore({ clock }),
  // Until createMyStore is written there is no store to close: the failure to show is its own message.
  destroy: (store) => store?.close?.(),
});
