/**
 * The keys a built-in layer accepts, and the check that refuses the others — Keras's
 * "Unrecognized keyword arguments passed to Dense". Without it a misspelt key in a saved
 * config, or in the options of a factory called from JavaScript, is dropped without a word:
 * `{ units: 2, activaton: 'softmax' }` trains a linear layer.
 *
 * Each built-in class declares `static readonly argKeys`, written with `keysOf<DenseArgs>()`
 * so the compiler holds the list to its Args interface (a key missing or misspelt there
 * fails to build): one list per class, whose config keys are a subset (a test checks that
 * for every built-in). Where a saved config differs from the constructor's arguments
 * (Sequential, Functional), the class declares `configKeys` as well.
 *
 * A class is checked when it declares its own `argKeys`; a custom layer (registered with
 * `registerLayer`, or a subclass of a built-in) inherits the list without declaring it and is
 * not checked — its config may carry what its `getConfig` alone knows about. Where the check
 * runs: the Layer constructor (every layer whose arguments reach it, so factories and
 * `new Class(config)` alike); InputLayer's and Model's constructors (theirs do not reach it);
 * `fromConfig` of Sequential and Functional.
 */
import { formatValue, ValueError } from '@tessera/core';
import { closestName } from '../registry/suggest.js';
import { BATCH_INPUT_SHAPE_KEYS } from './input-shape-args.js';

/** Keys of `T` that the list `K` leaves out. */
type Missing<T, K extends readonly string[]> = Exclude<keyof T & string, K[number]>;

/**
 * The keys of `T` as a runtime list that the compiler checks is complete and correct:
 * `keysOf<DenseArgs>()(['units', 'activation', …])`. The list keeps its literal order (the
 * order errors show).
 */
export function keysOf<T>() {
  return <const K extends readonly (keyof T & string)[]>(
    keys: K & ([Missing<T, K>] extends [never] ? unknown : { missingKeys: Missing<T, K> }),
  ): K => keys;
}

/** A class that may declare the keys its arguments accept. */
export interface DeclaresArgKeys {
  /** Name used in configs and errors ('Dense'). */
  readonly className: string;
  /** Keys its constructor accepts (own, or inherited from the class it extends). */
  readonly argKeys: readonly string[];
}

/**
 * Other spellings of an accepted key, renamed to it: `batchInputShape` as Keras 2 writes it
 * in configs (`batch_input_shape`) and as Keras 3 names it on InputLayer (`batchShape`). A
 * class that accepts the alias itself (InputLayer's `batchShape`) keeps it.
 */
const ALIASES: Readonly<Record<string, string>> = Object.fromEntries(
  BATCH_INPUT_SHAPE_KEYS.slice(1).map((alias) => [alias, BATCH_INPUT_SHAPE_KEYS[0]]),
);

/**
 * Metadata that Keras and tfjs-layers configs carry and that changes nothing here, accepted
 * (and dropped) with this value only, and why. A class that takes the key as an argument
 * (InputLayer's `dtype`) keeps it.
 */
const IGNORED: Readonly<Record<string, { value: unknown; why: string }>> = {
  dtype: { value: 'float32', why: 'Tessera layers compute in float32' },
};

/**
 * `args` checked against the keys `cls` declares: aliases renamed to their key, ignorable
 * metadata dropped, and a ValueError for any other key the class does not accept. A class
 * that does not declare its own `argKeys` (a custom layer) gets `args` back unchanged.
 */
export function checkLayerArgs<T>(cls: DeclaresArgKeys, args: T): T {
  if (!Object.hasOwn(cls, 'argKeys')) return args;
  return acceptKeys(cls.className, args, cls.argKeys);
}

/**
 * `config` checked against `accepted` (aliases and ignorable metadata as in
 * `checkLayerArgs`): for `fromConfig` of a class whose config is not its constructor's
 * arguments. `className` names the class in the error.
 */
export function checkConfigKeys<T>(className: string, config: T, accepted: readonly string[]): T {
  return acceptKeys(className, config, accepted);
}

function acceptKeys<T>(className: string, args: T, accepted: readonly string[]): T {
  if (args === null || typeof args !== 'object' || Array.isArray(args)) return args;
  const given = args as Record<string, unknown>;
  const known = new Set(accepted);
  const owner =
    typeof given['name'] === 'string' && given['name'] !== ''
      ? `${className} ${JSON.stringify(given['name'])}`
      : className;
  let out: Record<string, unknown> | undefined;
  const unknown: string[] = [];
  for (const key of Object.keys(given)) {
    if (known.has(key)) continue;
    const alias = Object.hasOwn(ALIASES, key) ? ALIASES[key] : undefined;
    if (alias !== undefined && known.has(alias)) {
      if (given[alias] !== undefined || (out !== undefined && out[alias] !== undefined)) {
        throw new ValueError(
          `${owner}: give ${alias} once; "${key}" is another name for it. Received: ${key}=${formatValue(given[key])}, ${alias}=${formatValue(given[alias] ?? out?.[alias])}`,
        );
      }
      out ??= { ...given };
      out[alias] = given[key];
      delete out[key];
    } else if (Object.hasOwn(IGNORED, key)) {
      const { value, why } = IGNORED[key] as { value: unknown; why: string };
      if (given[key] !== value) {
        throw new ValueError(
          `${owner}: ${key} can only be ${formatValue(value)} (${why}). Received: ${key}=${formatValue(given[key])}`,
        );
      }
      out ??= { ...given };
      delete out[key];
    } else {
      unknown.push(key);
    }
  }
  if (unknown.length > 0) throw unknownKeysError(owner, given, unknown, accepted);
  return (out ?? args) as T;
}

/** `Dense "d": unknown config key "activaton" (did you mean "activation"?). Accepted: …` */
function unknownKeysError(
  owner: string,
  given: Record<string, unknown>,
  unknown: readonly string[],
  accepted: readonly string[],
): ValueError {
  const aliases = Object.entries(ALIASES).filter(([, key]) => accepted.includes(key));
  const spellings = [...accepted, ...aliases.map(([alias]) => alias)];
  const named = unknown.map((key) => {
    const guess = closestName(key, spellings);
    return guess === undefined ? `"${key}"` : `"${key}" (did you mean "${guess}"?)`;
  });
  const what = unknown.length === 1 ? 'key' : 'keys';
  const values = unknown.map((key) => `${key}=${formatValue(given[key])}`).join(', ');
  return new ValueError(
    `${owner}: unknown config ${what} ${named.join(', ')}. Accepted: ${accepted.join(', ')}. Received: ${values}`,
  );
}
