/**
 * The `{ className, config }` form every registry serializes to, and its check when a
 * config is read back.
 */
import { received, ValueError } from '@tessera/core';
import { isRecord } from './checks.js';

/** Serialized object: a class or registered name plus plain-JSON options (camelCase keys). */
export interface SerializedForm {
  /** Class name of a built-in, or a registered name. */
  className: string;
  /** Options (plain JSON, camelCase keys). */
  config: Record<string, unknown>;
}

/** `value` checked to be `{ className, config }` with an object (or no) config. */
export function parseSerialized(kind: string, value: unknown): SerializedForm {
  if (!isRecord(value) || typeof value['className'] !== 'string') {
    throw new ValueError(
      received(`A serialized ${kind} must be { className, config }`, 'config', value),
    );
  }
  const options = value['config'] ?? {};
  if (!isRecord(options)) {
    throw new ValueError(
      received(`A serialized ${kind} config must be an object`, 'config', options),
    );
  }
  return { className: value['className'], config: options };
}
