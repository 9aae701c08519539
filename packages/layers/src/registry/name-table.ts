/**
 * Name → value lookup under every registry: activations, losses, metrics, optimizers and
 * layers use it directly; initializers, regularizers and constraints through ObjectRegistry.
 * Each entry has one listed name plus
 * aliases; unknown names raise a NotFoundError that names the key and lists the known names;
 * registering a taken name fails unless the caller asks to override it.
 *
 * ```ts
 * const table = new NameTable<ActivationFn>({ kind: 'activation' });
 * table.add(['leaky_relu', 'leakyRelu'], leakyRelu);
 * table.get('leakyRelu'); // leakyRelu
 * table.get('lrelu');     // NotFoundError: Unknown activation ... Received: activation="lrelu"
 * ```
 */
import { formatValue, NotFoundError, received, ValueError } from '@tessera/core';
import { closestName } from './suggest.js';

/** Options of every registry's `register`. */
export interface RegisterOptions {
  /** Replace an entry that already has this name instead of failing (default false). */
  override?: boolean;
}

/** Settings of a NameTable. */
export interface NameTableArgs {
  /** What the table holds, singular, for messages: `'activation'`, `'initializer'`. */
  kind: string;
  /** Appended to the list of known names in "unknown name" errors. */
  aliasHint?: string;
  /** Name of the value in `Received: …` (default `kind`). */
  receivedAs?: string;
  /** Also match names case-insensitively when no exact spelling matches (optimizers do). */
  ignoreCase?: boolean;
}

interface Entry<T> {
  /** Every spelling given when the entry was added; the first is the listed name. */
  readonly names: readonly string[];
  readonly value: T;
}

/** Throws unless `name` is a usable registry key. */
export function checkName(kind: string, name: unknown): string {
  if (typeof name !== 'string' || name.length === 0 || name.trim() !== name) {
    throw new ValueError(
      received(
        `A ${kind} name must be a non-empty string without surrounding spaces`,
        'name',
        name,
      ),
    );
  }
  return name;
}

/** Name → value table with aliases (see the module comment). */
export class NameTable<T> {
  private readonly byName = new Map<string, Entry<T>>();
  private readonly kind: string;
  private readonly aliasHint: string;
  private readonly receivedAs: string;
  private readonly ignoreCase: boolean;

  constructor(args: NameTableArgs) {
    this.kind = args.kind;
    this.aliasHint = args.aliasHint ?? '';
    this.receivedAs = args.receivedAs ?? args.kind;
    this.ignoreCase = args.ignoreCase ?? false;
  }

  /**
   * Adds `value` under every name in `names` (the first is the one listed in errors). The
   * one override rule of every registry: adding the same value again under a name is
   * harmless; a name that holds another value needs `{ override: true }`.
   */
  add(names: readonly string[], value: T, options: RegisterOptions = {}): void {
    if (names.length === 0) throw new ValueError(`NameTable.add: no name given for a ${this.kind}`);
    for (const name of names) {
      checkName(this.kind, name);
      const taken = this.byName.get(name);
      if (taken !== undefined && taken.value !== value && options.override !== true) {
        throw new ValueError(
          received(
            `A ${this.kind} named ${formatValue(name)} is already registered; pass { override: true } to replace it`,
            'name',
            name,
          ),
        );
      }
    }
    const entry: Entry<T> = { names: [...names], value };
    for (const name of names) this.byName.set(name, entry);
  }

  /** True when `name` is registered (under any spelling). */
  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** The value registered under `name` (case-insensitively too, if so set), or undefined. */
  find(name: string): T | undefined {
    const exact = this.byName.get(name);
    if (exact !== undefined || !this.ignoreCase) return exact?.value;
    const lower = name.toLowerCase();
    for (const [key, entry] of this.byName) {
      if (key.toLowerCase() === lower) return entry.value;
    }
    return undefined;
  }

  /** The value registered under `name`; the "unknown name" NotFoundError otherwise. */
  get(name: string): T {
    const value = this.find(name);
    if (value === undefined) throw this.unknown(name);
    return value;
  }

  /**
   * The one "unknown name" error of every registry: names the key, suggests the closest
   * spelling and lists the known names.
   *
   * `Unknown loss "mean_sqared_error" (did you mean "mean_squared_error"?): expected one of …`
   */
  unknown(name: unknown): NotFoundError {
    const guess = typeof name === 'string' ? closestName(name, this.byName.keys()) : undefined;
    const hint = guess === undefined ? '' : ` (did you mean ${formatValue(guess)}?)`;
    const known = this.names().join(', ');
    return new NotFoundError(
      received(
        `Unknown ${this.kind} ${formatValue(name)}${hint}: expected one of ${known}${this.aliasHint}`,
        this.receivedAs,
        name,
      ),
    );
  }

  /** The listed names: the first spelling of every entry that still owns it. */
  names(): string[] {
    const out: string[] = [];
    for (const [name, entry] of this.byName) {
      if (entry.names[0] === name) out.push(name);
    }
    return out;
  }

  /**
   * A name under which `value` is registered: the entry's listed name when that still
   * resolves to it, else any alias that does; undefined when none does.
   */
  nameOf(value: T): string | undefined {
    let alias: string | undefined;
    for (const [name, entry] of this.byName) {
      if (entry.value !== value) continue;
      if (entry.names[0] === name) return name;
      alias ??= name;
    }
    return alias;
  }
}
