/** Number and time formats shared by the progress display and the command output. */

/** `12345.6` → `12,346` */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** A loss or metric value: 4 decimals, as Keras prints them. */
export function formatMetric(value: number): string {
  return Number.isFinite(value) ? value.toFixed(4) : String(value);
}

/** Seconds as `42s`, `3m 05s` or `1h 02m`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** `loss: 0.1234 - accuracy: 0.9612 - val_loss: …` in the order the logs have. */
export function formatLogs(logs: Readonly<Record<string, number>>): string {
  return Object.entries(logs)
    .map(([key, value]) => `${key}: ${formatMetric(value)}`)
    .join(' - ');
}
