/**
 * The strings a model config mentions: every registered name it refers to (layer class
 * names, activation names) is among them. Walked with an explicit stack, so a config
 * nested arbitrarily deep cannot overflow the call stack.
 */

/** Every string value and key in `json`. */
export function namesUsedBy(json: unknown): string[] {
  const found = new Set<string>();
  const stack: unknown[] = [json];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value === 'string') found.add(value);
    else if (Array.isArray(value)) for (const item of value) stack.push(item);
    else if (value !== null && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        found.add(key);
        stack.push(inner);
      }
    }
  }
  return [...found];
}
