/**
 * The duck-typed checks the registries use to recognise their objects (`isInitializer`,
 * `isLoss`, …), so user classes need no base class.
 *
 * ```ts
 * hasMembers(value, { className: 'string', apply: 'function', getConfig: 'function' });
 * ```
 */

/** What `typeof` must give for each member, in the order they are checked. */
export type MemberTypes = Readonly<Record<string, 'string' | 'function'>>;

/** True for a non-null object whose members all have the `typeof` given in `members`. */
export function hasMembers(value: unknown, members: MemberTypes): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return Object.entries(members).every(([key, type]) => typeof record[key] === type);
}
