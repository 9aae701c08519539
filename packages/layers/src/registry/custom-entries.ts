/**
 * The user-registered half of the loss and metric registries, and the messages both give.
 * An entry is an object of the kind (a Loss, a Metric) or a plain function, kept under a
 * name so configs and worker threads can refer to it; the built-ins stay with each kind.
 *
 * ```ts
 * const custom = new CustomEntries<Loss, LossFn>({
 *   kind: 'loss', namespace: 'losses', typeName: 'Loss',
 *   isInstance: isLoss, isReserved: (name) => NAMES[name] !== undefined,
 * });
 * custom.register('doubled_mse', doubled);
 * custom.nameOf(doubled); // 'doubled_mse'
 * ```
 */
import { formatValue, NotFoundError, received, ValueError } from '@tessera/core';
import { hasMembers } from './duck-typing.js';

/** The `{ className, config }` form both kinds serialize to. */
export interface SerializedForm {
  /** Class name of a built-in, or a registered name. */
  className: string;
  /** Options (plain JSON, camelCase keys). */
  config: Record<string, unknown>;
}

/** Settings of a CustomEntries. */
export interface CustomEntriesArgs<O> {
  /** What an entry is, singular, for messages: `'loss'`. */
  kind: string;
  /** The public namespace, for messages: `'losses'`. */
  namespace: string;
  /** The object type, for messages: `'Loss'`. */
  typeName: string;
  /** Recognises an object of the kind (duck-typed). */
  isInstance: (value: unknown) => value is O;
  /** True for a name a built-in owns (it cannot be registered). */
  isReserved: (name: string) => boolean;
}

/** True for an object with a string `className` (a serialized form, or an object that has one). */
export function hasClassName(value: unknown): value is { className: string; config?: unknown } {
  return hasMembers(value, { className: 'string' });
}

/** Registered objects and functions by name, with the checks and messages of `register`. */
export class CustomEntries<
  O extends { readonly name: string },
  F extends (...args: never[]) => unknown,
> {
  private readonly entries = new Map<string, O | F>();
  private readonly args: CustomEntriesArgs<O>;

  constructor(args: CustomEntriesArgs<O>) {
    this.args = args;
  }

  /**
   * Adds `entry` under `name`; re-registering a name replaces it. The name must be a
   * non-empty string no built-in owns; the entry an object of the kind or a function.
   */
  register(name: string, entry: O | F): void {
    const { kind, namespace, typeName } = this.args;
    if (typeof name !== 'string' || name.length === 0) {
      throw new ValueError(
        received(`${namespace}.register: name must be a non-empty string`, 'name', name),
      );
    }
    if (this.args.isReserved(name)) {
      throw new ValueError(
        received(`${namespace}.register: name is a built-in ${kind}`, 'name', name),
      );
    }
    if (typeof entry !== 'function' && !this.args.isInstance(entry)) {
      throw new ValueError(
        received(
          `${namespace}.register: expected a ${typeName} object or a function (yTrue, yPred) => Tensor`,
          kind,
          entry,
        ),
      );
    }
    this.entries.set(name, entry);
  }

  /** The entry registered under `name`, or undefined. */
  find(name: string): O | F | undefined {
    return this.entries.get(name);
  }

  /** The name `entry` is registered under, or undefined. */
  nameOf(entry: O | F): string | undefined {
    for (const [name, registered] of this.entries) {
      if (registered === entry) return name;
    }
    return undefined;
  }

  /** The name a plain function goes by: its registered name, its own name, or `custom_<kind>`. */
  functionName(fn: F): string {
    return this.nameOf(fn) ?? (fn.name || `custom_${this.args.kind}`);
  }

  /** The NotFoundError for an unknown name, listing `builtinNames` and then the registered ones. */
  unknownName(name: string, builtinNames: readonly string[]): NotFoundError {
    const { kind, namespace } = this.args;
    const known = [...builtinNames, ...this.entries.keys()].join(', ');
    return new NotFoundError(received(`Unknown ${kind}; known ${namespace}: ${known}`, kind, name));
  }

  /** The ValueError for a `get` argument that is no identifier at all. */
  notAnIdentifier(identifier: unknown): ValueError {
    const { kind, typeName } = this.args;
    return new ValueError(
      received(
        `A ${kind} must be a name, a { className, config } object, a ${typeName} or a function`,
        kind,
        identifier,
      ),
    );
  }

  /** The ValueError for serializing something neither built in nor registered. */
  unregistered(entry: O | F): ValueError {
    const { kind, namespace } = this.args;
    const shown = typeof entry === 'function' ? entry : (entry as O).name;
    return new ValueError(
      `Cannot serialize an unregistered ${kind}; register it first with ${namespace}.register(name, ${kind}). Received: ${kind}=${formatValue(shown)}`,
    );
  }

  /** `config` checked to be `{ className, config }` with an object (or no) config. */
  parseSerialized(config: unknown): SerializedForm {
    const { kind } = this.args;
    if (!hasClassName(config)) {
      throw new ValueError(
        received(`A serialized ${kind} must be { className, config }`, 'config', config),
      );
    }
    const options = config.config ?? {};
    if (typeof options !== 'object' || options === null || Array.isArray(options)) {
      throw new ValueError(
        received(`A serialized ${kind} config must be an object`, 'config', options),
      );
    }
    return { className: config.className, config: options as Record<string, unknown> };
  }
}
