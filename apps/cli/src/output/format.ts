/** `850 ms`, `1.42 s`, `0.031 ms`: milliseconds in the unit a person reads best. */
export function formatMs(milliseconds: number | null | undefined): string {
  if (milliseconds === null || milliseconds === undefined || !Number.isFinite(milliseconds)) return '-';
  if (milliseconds === 0) return '0 ms';
  if (milliseconds >= 1000) return `${(milliseconds / 1000).toFixed(2)} s`;
  if (milliseconds >= 10) return `${Math.round(milliseconds)} ms`;
  if (milliseconds >= 1) return `${milliseconds.toFixed(1)} ms`;
  return `${milliseconds.toFixed(3)} ms`;
}

/**
 * USD with enough digits to show a single call's cost (`$0.0000540`); `unknown` for `null`. The dashboard
 * (apps/server/public/dashboard.js) uses the same units, for bytes too.
 */
export function formatUsd(usd: number | null | undefined): string {
  if (usd === null || usd === undefined) return 'unknown';
  if (usd === 0) return '$0';
  if (Math.abs(usd) >= 1) return `$${usd.toFixed(2)}`;
  if (Math.abs(usd) >= 0.01) return `$${usd.toFixed(4)}`;
  return `$${usd.toFixed(7)}`;
}

/** `0.5` as `50%`, `0.333` as `33.3%`. */
export function formatPercent(fraction: number): string {
  const percent = fraction * 100;
  return Number.isInteger(percent) ? `${percent}%` : `${percent.toFixed(1)}%`;
}

/** `532 B`, `12.4 KB`, `3.1 MB`. */
export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined) return '-';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** `no expiry`, `59 min 12 s left`, `expired`. */
export function formatTtlLeft(seconds: number | null): string {
  if (seconds === null) return 'no expiry';
  if (seconds <= 0) return 'expires now';
  return `${formatDuration(seconds)} left`;
}

/** `45 s`, `12 min 5 s`, `3 h 2 min`, `2 d 4 h`. */
export function formatDuration(seconds: number): string {
  const whole = Math.floor(seconds);
  if (whole < 60) return `${whole} s`;
  if (whole < 3600) return `${Math.floor(whole / 60)} min${whole % 60 ? ` ${whole % 60} s` : ''}`;
  if (whole < 86_400)
    return `${Math.floor(whole / 3600)} h${whole % 3600 >= 60 ? ` ${Math.floor((whole % 3600) / 60)} min` : ''}`;
  return `${Math.floor(whole / 86_400)} d${whole % 86_400 >= 3600 ? ` ${Math.floor((whole % 86_400) / 3600)} h` : ''}`;
}

/** A TTL setting: `no expiry` for 0, else `3600 s (1 h)`. */
export function formatTtlSetting(seconds: number): string {
  return seconds === 0 ? 'no expiry' : `${seconds} s${seconds >= 60 ? ` (${formatDuration(seconds)})` : ''}`;
}

/** A local date and time, `2026-11-29 18:04:05`. */
export function formatTime(epochMs: number): string {
  const date = new Date(epochMs);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** Shortens a key for tables: `prompt-cache:v1:3fa1c9…` keeps the prefix and the first hex digits. */
export function shortKey(key: string, hexDigits = 12): string {
  const match = /^(.*:v\d+:)([0-9a-f]+)$/.exec(key);
  if (!match) return key;
  return match[2]!.length > hexDigits ? `${match[1]}${match[2]!.slice(0, hexDigits)}…` : key;
}

/** Cuts text to one line of at most `width` characters. */
export function oneLine(text: string, width = 100): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat;
}

/** How many times faster a hit was than the call it replaced: `1,240x`. */
export function formatSpeedup(originalMs: number | undefined, hitMs: number): string {
  if (!originalMs || hitMs <= 0) return '-';
  const ratio = originalMs / hitMs;
  return `${ratio >= 100 ? Math.round(ratio).toLocaleString('en-US') : ratio.toFixed(1)}x`;
}
