/**
 * Stage 2 of `fit`: the user's customObjects modules. The main thread imports each one
 * first (so the model's config can name what they register, and a bad path fails before
 * any thread starts); every worker imports the same URLs at start-up.
 */
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { received, ValueError } from '@tessera/core';

/** Module specifier a worker can import: file URLs pass through, paths become file URLs. */
export function moduleUrl(spec: string): string {
  if (spec.startsWith('file:')) return spec;
  return pathToFileURL(isAbsolute(spec) ? spec : resolve(spec)).href;
}

/** Imports every module on this thread; returns their URLs for the workers. */
export async function importCustomObjects(specs: readonly string[]): Promise<string[]> {
  const urls = specs.map(moduleUrl);
  for (const url of urls) {
    try {
      await import(url);
    } catch (cause) {
      throw new ValueError(
        received(
          `fit: cannot import a customObjects module (${(cause as Error).message})`,
          'customObjects',
          url,
        ),
        { cause },
      );
    }
  }
  return urls;
}
