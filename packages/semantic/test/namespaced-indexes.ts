// Both storages' namespace tests open the same three indexes after tenant A wrote one prompt.

interface Opened {
  stage: { ready: Promise<unknown>; index: { size(): number } };
}

/**
 * Opens the index of tenant A again, of tenant B, and of no namespace, once each has loaded; `sizes` are their
 * prompt counts (tenant A's prompt belongs to the first only).
 */
export async function openNamespacedIndexes<Cache extends Opened>(open: (namespace?: string) => Cache) {
  const [again, other, unscoped] = [open('tenant-a'), open('tenant-b'), open()];
  await Promise.all([again.stage.ready, other.stage.ready, unscoped.stage.ready]);
  return { again, sizes: [again, other, unscoped].map((cache) => cache.stage.index.size()) };
}
