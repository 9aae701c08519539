/**
 * PyTorch equivalents of a model's custom functions (Lambda layers, user activations).
 * The user supplies them with `--pytorch-functions FILE.py`: a Python file with one
 * top-level `def NAME(x):` per registered name. It is copied into the export as
 * custom_functions.py and model.py calls `custom_functions.NAME(x)`.
 */
import { readFile } from 'node:fs/promises';
import { IOError } from '@tessera/core';

/** The functions a Python file defines at top level. */
export function definedFunctions(source: string): Set<string> {
  return new Set([...source.matchAll(/^def\s+([A-Za-z_][A-Za-z0-9_]*)\s*\(/gm)].map((m) => m[1]!));
}

/** Reads `--pytorch-functions FILE`; the text and the names it defines. */
export async function readCustomFunctions(
  path: string | undefined,
): Promise<{ source: string; names: Set<string> } | undefined> {
  if (path === undefined) return undefined;
  let source: string;
  try {
    source = await readFile(path, 'utf8');
  } catch (err) {
    throw new IOError(`--pytorch-functions ${path}: cannot read it (${(err as Error).message})`);
  }
  return { source, names: definedFunctions(source) };
}
