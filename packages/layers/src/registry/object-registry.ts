/**
 * A registry of configurable objects — initializers, regularizers, constraints — that
 * serialize as `{ className, config }` and are rebuilt from that by a factory looked up by
 * name. Built-ins answer to their Keras snake_case name, a camelCase alias and their class
 * name; users register their own classes so saved models can refer to them. Each kind
 * exports the registry's `functions()` as its `get / serialize / deserialize / register /
 * names`.
 *
 * ```ts
 * const registry = new ObjectRegistry<Initializer>({
 *   kind: 'initializer',
 *   namespace: 'initializers',
 *   isInstance: isInitializer,
 *   builtins: [builtinClass(['zeros', 'Zeros'], [], Zeros)],
 * });
 * registry.get('zeros');                                      // a Zeros
 * registry.deserialize({ className: 'Zeros', config: {} });   // a Zeros
 * export const { get, serialize, deserialize, register, names } = registry.functions();
 * ```
 */
import { received, ValueError } from '@tessera/core';
import { checkKeys, isRecord } from './checks.js';
import type { RegisterOptions } from './name-table.js';
import { NameTable } from './name-table.js';

/** The serialized form of an object: plain JSON with camelCase keys. */
export interface SerializedObject {
  /** Registered class name, e.g. 'GlorotUniform'. */
  className: string;
  /** Constructor arguments, e.g. `{ seed: null }`. */
  config: Record<string, unknown>;
}

/** What every registered object provides. */
export interface ConfigurableObject {
  /** The name it is serialized under (and registered as). */
  readonly className: string;
  /** Its constructor arguments as plain JSON. */
  getConfig(): Record<string, unknown>;
}

/** Builds an object from its config (already checked to be a plain object). */
export type ObjectFactory<T> = (config: Record<string, unknown>) => T;

/** Settings of an ObjectRegistry. */
export interface ObjectRegistryArgs<T> {
  /** What it holds, singular, for messages: 'initializer'. */
  kind: string;
  /** The public namespace object, for messages: 'initializers'. */
  namespace: string;
  /** Recognises an instance (duck-typed, so user classes need no base class). */
  isInstance: (value: unknown) => value is T;
  /** Appended to the known names in "unknown name" errors, e.g. ' (… also glorotUniform, GlorotUniform)'. */
  aliasHint?: string;
  /** Built-ins, defined in this order (the same as calling `define` for each). */
  builtins?: readonly BuiltinDefinition<T>[];
}

/** One built-in: its names (listed name first), allowed config keys and constructor. */
export interface BuiltinDefinition<T> {
  /** Listed (snake_case) name first, then aliases and the class name. */
  names: readonly string[];
  /** Config keys the constructor accepts; others are rejected. */
  keys: readonly string[];
  /** Builds the object from a config whose keys were checked. */
  create: ObjectFactory<T>;
}

/**
 * A built-in made by `new Class(config)`, for classes whose constructor takes their config.
 * The names keep their literal types, so a kind can derive its name union from its table.
 *
 * ```ts
 * builtinClass(['he_normal', 'heNormal', 'HeNormal'], ['seed'], HeNormal)
 * ```
 */
export function builtinClass<T, A, const N extends readonly string[]>(
  names: N,
  keys: readonly string[],
  Class: new (args: A) => T,
): BuiltinDefinition<T> & { readonly names: N } {
  // The keys were checked by `define`; the constructor checks the values.
  return { names, keys, create: (config) => new Class(config as A) };
}

/** A name given to `register` (any string; built-in names still autocomplete). */
export type RegisteredName = string & Record<never, never>;

/**
 * The functions each kind exports (`initializers.get`, …), typed for that kind: `Identifier`
 * is what `get` accepts, `Name` the union of built-in names.
 */
export interface RegistryFunctions<T, Identifier, Name extends string> {
  /** The object for a name (default config), a `{ className, config }`, or an instance (returned as is). */
  get(identifier: Identifier): T;
  /** `{ className, config }` of an instance whose class is registered. */
  serialize(value: T): SerializedObject;
  /** Rebuilds an object from `serialize` output or a name. */
  deserialize(config: SerializedObject | Name | RegisteredName): T;
  /**
   * Registers a custom class under its class name, so serialized models that use it load
   * back. A taken name is an error unless `{ override: true }`.
   *
   * ```ts
   * initializers.register('Halves', (config) => new Halves(config));
   * ```
   */
  register(name: string, factory: ObjectFactory<T>, options?: RegisterOptions): void;
  /** Every listed name: the built-ins' Keras names, then registered ones. */
  names(): string[];
}

/** "an initializer", "a constraint". */
function withArticle(kind: string): string {
  return `${/^[aeiou]/i.test(kind) ? 'an' : 'a'} ${kind}`;
}

/** First letter upper-cased. */
function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Name → factory registry with `{ className, config }` (de)serialization. */
export class ObjectRegistry<T extends ConfigurableObject> {
  private readonly table: NameTable<ObjectFactory<T>>;
  private readonly kind: string;
  private readonly namespace: string;
  private readonly isInstance: (value: unknown) => value is T;

  constructor(args: ObjectRegistryArgs<T>) {
    this.kind = args.kind;
    this.namespace = args.namespace;
    this.isInstance = args.isInstance;
    this.table = new NameTable({ kind: args.kind, aliasHint: args.aliasHint ?? '' });
    for (const definition of args.builtins ?? []) this.define(definition);
  }

  /** Adds a built-in; its config keys are checked against `keys` before `create` runs. */
  define(definition: BuiltinDefinition<T>): void {
    // Messages name the class ('GlorotUniform: …') when the entry has one.
    const owner =
      definition.names.find((n) => /^[A-Z]/.test(n)) ?? definition.names[0] ?? this.kind;
    const factory: ObjectFactory<T> = (config) => {
      checkKeys(owner, config, definition.keys);
      return definition.create(config);
    };
    this.table.add(definition.names, factory);
  }

  /**
   * Registers a user factory under `name` (use the class name the objects report, so
   * `serialize` output loads back). A taken name is an error unless `{ override: true }`.
   */
  register(name: string, factory: ObjectFactory<T>, options: RegisterOptions = {}): void {
    if (typeof factory !== 'function') {
      throw new ValueError(
        received(
          `${this.namespace}.register: expected a factory (config) => ${this.kind}`,
          'factory',
          factory,
        ),
      );
    }
    this.table.add([name], factory, options);
  }

  /** Resolves a name, a serialized `{ className, config }` or an instance (returned as is). */
  get(identifier: unknown): T {
    if (typeof identifier === 'string') return this.deserialize(identifier);
    if (this.isInstance(identifier)) return identifier;
    if (isRecord(identifier) && typeof identifier['className'] === 'string') {
      return this.deserialize(identifier as unknown as SerializedObject);
    }
    throw new ValueError(
      received(
        `${capitalize(withArticle(this.kind))} must be a name, a { className, config } object or ${withArticle(this.kind)} object`,
        this.kind,
        identifier,
      ),
    );
  }

  /** `{ className, config }` of an instance whose class name is registered. */
  serialize(value: T): SerializedObject {
    if (!this.isInstance(value)) {
      throw new ValueError(
        received(
          `${this.namespace}.serialize: expected ${withArticle(this.kind)} object`,
          this.kind,
          value,
        ),
      );
    }
    if (!this.table.has(value.className)) {
      throw new ValueError(
        received(
          `${this.namespace}.serialize: ${this.kind} class "${value.className}" is not registered, so it could not be loaded back; ` +
            `call ${this.namespace}.register('${value.className}', (config) => new ${value.className}(config)) first`,
          'className',
          value.className,
        ),
      );
    }
    return { className: value.className, config: value.getConfig() };
  }

  /** Builds an object from a name (default config) or from `{ className, config }`. */
  deserialize(config: string | SerializedObject): T {
    let name: string;
    let options: Record<string, unknown>;
    if (typeof config === 'string') {
      name = config;
      options = {};
    } else if (
      isRecord(config) &&
      typeof config.className === 'string' &&
      (config.config === undefined || isRecord(config.config))
    ) {
      name = config.className;
      options = config.config ?? {};
    } else {
      throw new ValueError(
        received(
          `${this.namespace}.deserialize: expected a name or { className, config }`,
          'config',
          config,
        ),
      );
    }
    const made = this.table.get(name)(options);
    if (!this.isInstance(made)) {
      throw new ValueError(
        received(
          `${this.namespace}: the factory registered as "${name}" did not return ${withArticle(this.kind)}`,
          'result',
          made,
        ),
      );
    }
    return made;
  }

  /** The listed names: built-ins' snake_case names, then registered ones. */
  names(): string[] {
    return this.table.names();
  }

  /**
   * This registry's public functions, typed by what the kind accepts: `Identifier` for
   * `get`, `Name` (the built-in names) and any registered name for `deserialize`.
   */
  functions<Identifier, Name extends string>(): RegistryFunctions<T, Identifier, Name> {
    return {
      get: (identifier) => this.get(identifier),
      serialize: (value) => this.serialize(value),
      deserialize: (config) => this.deserialize(config),
      register: (name, factory, options = {}) => this.register(name, factory, options),
      names: () => this.names(),
    };
  }
}
