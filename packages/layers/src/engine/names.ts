/**
 * Automatic layer and model names, as Keras makes them: the class name in snake_case
 * ('Dense' → 'dense', 'LeakyReLU' → 'leaky_re_lu'), then '_1', '_2', … for later ones
 * in the same process. `clearSession()` starts the counters again.
 */

const counters = new Map<string, number>();

/** 'LeakyReLU' → 'leaky_re_lu', 'InputLayer' → 'input_layer' (Keras's rule). */
export function toSnakeCase(name: string): string {
  return name
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** The next free automatic name for this prefix: 'dense', then 'dense_1', 'dense_2', … */
export function uniqueName(prefix: string): string {
  const count = counters.get(prefix) ?? 0;
  counters.set(prefix, count + 1);
  return count === 0 ? prefix : `${prefix}_${count}`;
}

/**
 * Forgets every automatic name handed out so far, so the next Dense is 'dense' again
 * (Keras's `clear_session`). Existing layers keep their names.
 */
export function clearSession(): void {
  counters.clear();
}
