/**
 * What EarlyStopping and ReduceLROnPlateau share: reading the monitored value from the
 * epoch logs and deciding whether it improved ('min' for losses, 'max' for accuracies).
 */
import { received, ValueError } from '@tessera/core';
import type { Logs } from './callback.js';

/** Whether smaller ('min') or larger ('max') is better; 'auto' guesses from the name. */
export type MonitorMode = 'auto' | 'min' | 'max';

/**
 * Resolves 'auto': accuracy-like names and R² are maximised (Keras: the metrics whose
 * direction is up), everything else minimised.
 */
export function resolveMode(owner: string, mode: MonitorMode, monitor: string): 'min' | 'max' {
  if (mode !== 'auto' && mode !== 'min' && mode !== 'max') {
    throw new ValueError(received(`${owner}: mode must be 'auto', 'min' or 'max'`, 'mode', mode));
  }
  if (mode !== 'auto') return mode;
  return /acc|auc|precision|recall|r2_score/.test(monitor) ? 'max' : 'min';
}

/** The monitored value of this epoch (a clear error when fit does not log it). */
export function monitored(owner: string, monitor: string, logs: Logs): number {
  const value = logs[monitor];
  if (value === undefined) {
    throw new ValueError(
      `${owner}: the monitored value "${monitor}" is not in the epoch logs (available: ${Object.keys(logs).join(', ') || 'none'}); val_* keys need validationData or validationSplit. Received: monitor="${monitor}"`,
    );
  }
  return value;
}

/** True when `current` beats `best` by more than `minDelta` in this mode. */
export function improved(
  mode: 'min' | 'max',
  current: number,
  best: number,
  minDelta: number,
): boolean {
  return mode === 'min' ? current < best - minDelta : current > best + minDelta;
}
