import { readFileSync } from 'node:fs';

/** The store's health as the gateway reports it in `/v1/stats`. */
export interface StoreView {
  storeErrors: Record<string, number>;
  storeBreaker: 'open' | 'closed' | null;
}

export async function readStoreView(baseUrl: string): Promise<StoreView> {
  const response = await fetch(`${baseUrl}/v1/stats`, { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`[bench] GET /v1/stats answered ${response.status}`);
  const stats = (await response.json()) as StoreView;
  return { storeErrors: stats.storeErrors, storeBreaker: stats.storeBreaker };
}

/** Resident memory of a process, in MiB (Linux: /proc/<pid>/status); `NaN` where it cannot be read. */
export function residentMiB(pid: number): number {
  try {
    const kib = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kib === undefined ? Number.NaN : Number(kib) / 1024;
  } catch {
    return Number.NaN;
  }
}
