import type { EntrySummary, StoreStats } from '@prompt-cache/app-kit';
import Table from 'cli-table3';
import {
  formatBytes,
  formatMs,
  formatPercent,
  formatTime,
  formatTtlLeft,
  formatUsd,
  shortKey,
} from './format.js';
import { colors } from './terminal.js';

/** A table with the house look: bold headings, no colour codes when colour is off. */
export function createTable(
  head: string[],
  options: { colAligns?: Array<'left' | 'right'> } = {},
): Table.Table {
  return new Table({
    head: head.map((heading) => colors.bold(heading)),
    style: { head: [], border: [] },
    ...(options.colAligns ? { colAligns: options.colAligns } : {}),
  });
}

/** Two columns, label and value. */
export function keyValueTable(rows: Array<[string, string]>): string {
  const table = new Table({ style: { head: [], border: [] } });
  for (const [label, value] of rows) table.push([colors.bold(label), value]);
  return table.toString();
}

/** The statistics table of `prompt-cache stats`, the demos' endings and redis-demo. */
export function statsTable(
  stats: Pick<StoreStats, 'snapshot' | 'size' | 'scope'> &
    Partial<Pick<StoreStats, 'namespace' | 'allNamespaces' | 'namespaces'>>,
): string {
  const { snapshot, size } = stats;
  const lookups = snapshot.hits + snapshot.misses;
  const rows: Array<[string, string]> = [
    ['lookups', `${lookups} (${plural(snapshot.hits, 'hit')}, ${plural(snapshot.misses, 'miss', 'misses')})`],
    ['hit rate', lookups === 0 ? '-' : formatPercent(snapshot.hitRate)],
    ['hit latency', latencyLine(snapshot.latency.hit)],
    ['miss latency', latencyLine(snapshot.latency.miss)],
    ['time saved', formatMs(snapshot.savedMs)],
    ['tokens saved', String(snapshot.savedTokens)],
    ['USD saved', formatUsd(snapshot.savedUsd)],
    ['USD spent on misses', formatUsd(snapshot.spentUsd)],
    ['entries written', String(snapshot.sets)],
  ];
  if (snapshot.bypasses) rows.push(['bypassed (--no-cache)', String(snapshot.bypasses)]);
  if (snapshot.coalesced) rows.push(['waited for an identical call', String(snapshot.coalesced)]);
  if (snapshot.evictions) rows.push(['evicted', String(snapshot.evictions)]);
  const notStored = Object.entries(snapshot.notStored ?? {});
  if (notStored.length > 0) {
    const reasons = notStored.map(([reason, count]) => `${reason} ${count}`).join(', ');
    const total = notStored.reduce((sum, [, count]) => sum + count, 0);
    rows.push(['answers not stored', `${total} (${reasons})`]);
  }
  if (snapshot.errors) rows.push(['cache errors (failed open)', String(snapshot.errors)]);
  if (stats.namespace !== undefined && stats.allNamespaces && stats.scope === 'persisted') {
    const all = stats.allNamespaces;
    rows.push([
      `all namespaces (${stats.namespaces?.length ?? 0})`,
      `${plural(all.hits + all.misses, 'lookup')} (${plural(all.hits, 'hit')}, ${plural(all.misses, 'miss', 'misses')}), ${formatUsd(all.savedUsd)} saved`,
    ]);
  }
  // The store's own count of every namespace: whole entries as stored (envelope and metadata), which is
  // more than the value sizes `keys` lists.
  rows.push(['entries now (all namespaces)', size ? String(size.entries) : '-']);
  rows.push(['stored bytes now (whole entries)', size ? formatBytes(size.bytes) : '-']);
  return keyValueTable(rows);
}

/** The entries table of `prompt-cache keys` and the advanced demo. */
export function entriesTable(entries: EntrySummary[], options: { fullKeys?: boolean } = {}): string {
  const table = createTable(['key', 'model', 'created', 'TTL', 'value size', 'cost'], {
    colAligns: ['left', 'left', 'left', 'left', 'right', 'right'],
  });
  for (const entry of entries) {
    table.push([
      options.fullKeys ? entry.key : shortKey(entry.key),
      entry.model ?? '-',
      formatTime(entry.createdAt),
      formatTtlLeft(entry.ttlLeftSeconds),
      formatBytes(entry.bytes),
      entry.costUsd === undefined ? '-' : formatUsd(entry.costUsd),
    ]);
  }
  return table.toString();
}

/** `p50 2.14 s, p95 2.14 s (3 calls, exact)`: says whether the figures are exact or estimated. */
function latencyLine(summary: StoreStats['snapshot']['latency']['hit']): string {
  if (summary.count === 0) return '-';
  const kind = summary.exact ? 'exact' : 'estimated from a histogram, within about 9%';
  return `p50 ${formatMs(summary.p50)}, p95 ${formatMs(summary.p95)} (${plural(summary.count, 'call')}, ${kind})`;
}

/** `1 hit`, `2 hits`. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
