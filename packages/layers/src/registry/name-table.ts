/**
 * Name → value lookup shared by the four registries (activations directly; initializers,
 * regularizers and constraints through ObjectRegistry). Each entry has one listed name plus
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

  constructor(args: NameTableArgs) {
    this.kind = args.kind;
    this.aliasHint = args.aliasHint ?? '';
  }

  /** Adds `value` under every name in `names` (the first is the one listed in errors). */
  add(names: readonly string[], value: T, options: RegisterOptions = {}): void {
    if (names.length === 0) throw new ValueError(`NameTable.add: no name given for a ${this.kind}`);
    for (const name of names) {
      checkName(this.kind, name);
      if (this.byName.has(name) && options.override !== true) {
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

  /** The value registered under `name`, or undefined. */
  find(name: string): T | undefined {
    return this.byName.get(name)?.value;
  }

  /** The value registered under `name`; a NotFoundError listing the known names otherwise. */
  get(name: string): T {
    const entry = this.byName.get(name);
    if (entry === undefined) {
      const known = this.names().join(', ');
      throw new NotFoundError(
        received(
          `Unknown ${this.kind}: expected one of ${known}${this.aliasHint}`,
          this.kind,
          name,
        ),
      );
    }
    return entry.value;
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
