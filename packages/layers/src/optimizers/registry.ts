/**
 * The optimizer registry: names and serialized configs to optimizers, and back.
 * Names are matched case-insensitively, as Keras does (`'adam'`, `'Adam'`, `'RMSProp'`).
 */
import { received, ValueError } from '@tessera/core';
import { NameTable, type RegisterOptions } from '../registry/name-table.js';
import { Adadelta, type AdadeltaArgs } from './adadelta.js';
import { Adagrad, type AdagradArgs } from './adagrad.js';
import { Adam, type AdamArgs, AdamW } from './adam.js';
import { Adamax, type AdamaxArgs } from './adamax.js';
import { Lion, type LionArgs } from './lion.js';
import { Nadam, type NadamArgs } from './nadam.js';
import { Optimizer } from './optimizer.js';
import { RMSprop, type RMSpropArgs } from './rmsprop.js';
import {
  deserializeSchedule,
  isSchedule,
  type LearningRateSchedule,
  type SerializedSchedule,
} from './schedules.js';
import { SGD, type SGDArgs } from './sgd.js';

/** Names of the built-in optimizers (matched case-insensitively). */
export type OptimizerName =
  | 'sgd'
  | 'adam'
  | 'adamw'
  | 'rmsprop'
  | 'adagrad'
  | 'adadelta'
  | 'adamax'
  | 'nadam'
  | 'lion'
  | 'SGD'
  | 'Adam'
  | 'AdamW'
  | 'RMSprop'
  | 'Adagrad'
  | 'Adadelta'
  | 'Adamax'
  | 'Nadam'
  | 'Lion';

/** Serialized optimizer: class name plus config (plain JSON, camelCase keys). */
export interface SerializedOptimizer {
  /** `'Adam'`, `'SGD'`, … or a registered name. */
  className: string;
  /** Options; `learningRate` is a number or a serialized schedule. */
  config: Record<string, unknown>;
}

/** Anything `optimizers.get` resolves. */
export type OptimizerIdentifier =
  | OptimizerName
  | (string & Record<never, never>)
  | SerializedOptimizer
  | Optimizer;

/** Options `optimizers.get` applies on top of the identifier's. */
export interface OptimizerOverrides {
  /** Replaces the learning rate (e.g. from `--learning-rate`). */
  learningRate?: number | LearningRateSchedule;
}

/** Builds an optimizer from its config (learningRate already a number or schedule). */
export type OptimizerFactory = (config: Record<string, unknown>) => Optimizer;

const table = new NameTable<OptimizerFactory>({ kind: 'optimizer', ignoreCase: true });
table.add(['SGD'], (c) => new SGD(c as SGDArgs));
table.add(['Adam'], (c) => new Adam(c as AdamArgs));
table.add(['AdamW'], (c) => new AdamW(c as AdamArgs));
table.add(['RMSprop'], (c) => new RMSprop(c as RMSpropArgs));
table.add(['Adagrad'], (c) => new Adagrad(c as AdagradArgs));
table.add(['Adadelta'], (c) => new Adadelta(c as AdadeltaArgs));
table.add(['Adamax'], (c) => new Adamax(c as AdamaxArgs));
table.add(['Nadam'], (c) => new Nadam(c as NadamArgs));
table.add(['Lion'], (c) => new Lion(c as LionArgs));

function isSerialized(x: unknown): x is SerializedOptimizer {
  return (
    typeof x === 'object' && x !== null && typeof (x as SerializedOptimizer).className === 'string'
  );
}

function create(
  className: string,
  config: Record<string, unknown>,
  overrides: OptimizerOverrides,
): Optimizer {
  const factory = table.get(className);
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new ValueError(
      received('A serialized optimizer config must be an object', 'config', config),
    );
  }
  const options: Record<string, unknown> = { ...config };
  const lr = options['learningRate'];
  if (typeof lr === 'object' && lr !== null && !isSchedule(lr)) {
    options['learningRate'] = deserializeSchedule(lr as SerializedSchedule);
  }
  if (overrides.learningRate !== undefined) options['learningRate'] = overrides.learningRate;
  return factory(options);
}

/**
 * Resolves `'adam'`, `{ className: 'Adam', config }` or an Optimizer (returned as is) to an
 * optimizer; `overrides.learningRate` replaces the learning rate (set on a given instance).
 *
 * ```ts
 * optimizers.get('adam', { learningRate: 0.01 });
 * ```
 */
export function get(
  identifier: OptimizerIdentifier,
  overrides: OptimizerOverrides = {},
): Optimizer {
  if (identifier instanceof Optimizer) {
    if (overrides.learningRate !== undefined) identifier.learningRate = overrides.learningRate;
    return identifier;
  }
  if (typeof identifier === 'string') return create(identifier, {}, overrides);
  if (isSerialized(identifier))
    return create(identifier.className, identifier.config ?? {}, overrides);
  throw new ValueError(
    received(
      'An optimizer must be a name, a { className, config } object or an Optimizer',
      'optimizer',
      identifier,
    ),
  );
}

/** `{ className, config }` of an optimizer; a schedule is serialized inside `learningRate`. */
export function serialize(optimizer: Optimizer): SerializedOptimizer {
  if (!(optimizer instanceof Optimizer)) {
    throw new ValueError(
      received('optimizers.serialize: expected an Optimizer', 'optimizer', optimizer),
    );
  }
  return { className: optimizer.className, config: optimizer.getConfig() };
}

/** Builds an optimizer from its serialized form or a plain name. */
export function deserialize(config: SerializedOptimizer | string): Optimizer {
  if (typeof config === 'string') return create(config, {}, {});
  if (!isSerialized(config)) {
    throw new ValueError(
      received('A serialized optimizer must be { className, config }', 'config', config),
    );
  }
  return create(config.className, config.config ?? {}, {});
}

/**
 * Registers a custom optimizer (a subclass of Optimizer) under its class name, with a
 * factory that builds it from its config. Registering the same factory again is harmless;
 * a name held by another optimizer (matched case-insensitively) needs `{ override: true }`.
 */
export function register(
  className: string,
  factory: OptimizerFactory,
  options: RegisterOptions = {},
): void {
  if (typeof factory !== 'function') {
    throw new ValueError(
      received(
        'optimizers.register: factory must be a function (config) => Optimizer',
        'factory',
        factory,
      ),
    );
  }
  const taken = table.find(className);
  if (taken !== undefined && taken !== factory && options.override !== true) {
    // Names match case-insensitively, so 'adam' is taken by 'Adam': the same rule applies.
    throw new ValueError(
      received(
        'An optimizer with this name is already registered; pass { override: true } to replace it',
        'name',
        className,
      ),
    );
  }
  table.add([className], factory, options);
}

/** Every listed name: the built-in class names, then registered ones. */
export function names(): string[] {
  return table.names();
}
