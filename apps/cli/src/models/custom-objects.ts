/**
 * `--custom-objects FILE` (repeatable): modules the user names that register custom
 * activations or layers. Importing them runs their code, so only the user's own flags
 * (`--custom-objects`, `--model file.js`) ever lead here — never a checkpoint or a model
 * file. A checkpoint records only the registered *names* its model needs; opening it
 * checks those names are registered and otherwise names the missing ones and the flag.
 *
 * ```ts
 * const names = await importCustomObjects(['./my-activations.js']); // ['my_relu']
 * ```
 */
import { resolve } from 'node:path';
import { ValueError } from '@tessera/core';
import { activations, registeredLayerNames } from '@tessera/layers';
import { Option } from 'commander';
import { importModule } from './model-module.js';

/** The flag that runs a user's registration module, for help texts and messages. */
export const CUSTOM_OBJECTS_FLAG = '--custom-objects <FILE>';

/** Help text of the flag: it says plainly that the file's code runs. */
export const CUSTOM_OBJECTS_HELP =
  'JS module registering custom activations or layers; RUNS ITS CODE (repeatable)';

/** Every name the activation and layer registries know right now. */
export function registeredNames(): Set<string> {
  return new Set([...activations.names(), ...registeredLayerNames()]);
}

/** The repeatable `--custom-objects FILE` option every model-loading command takes. */
export function customObjectsOption(): Option {
  return new Option(CUSTOM_OBJECTS_FLAG, CUSTOM_OBJECTS_HELP).argParser(
    (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
  );
}

/** Absolute paths of the modules, in order, without repeats. */
export function customObjectPaths(paths: readonly string[] | undefined): string[] {
  return [...new Set((paths ?? []).map((p) => resolve(p)))];
}

/**
 * Imports the user's modules (running their code, as the flag says) and returns the
 * names they registered.
 */
export async function importCustomObjects(paths: readonly string[] | undefined): Promise<string[]> {
  const before = registeredNames();
  for (const path of customObjectPaths(paths)) await importModule(path, '--custom-objects');
  return [...registeredNames()].filter((name) => !before.has(name));
}

/** The names registered since `before` was taken (what a `--model file.js` registered). */
export function namesAddedSince(before: ReadonlySet<string>): string[] {
  return [...registeredNames()].filter((name) => !before.has(name));
}

/** Fails naming every one of `needed` that no registry knows, and the flag that supplies it. */
export function requireRegistered(needed: readonly string[], path: string): void {
  const known = registeredNames();
  const missing = needed.filter((name) => !known.has(name));
  if (missing.length > 0) {
    throw new ValueError(
      `${path}: the model needs custom objects that are not registered: ${missing.join(', ')}; pass the module that registers them with --custom-objects FILE (this runs that file's code)`,
    );
  }
}
