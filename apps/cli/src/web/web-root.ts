/** Where the built pages of @tessera/web are (its `dist/` folder). */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { IOError } from '@tessera/core';

/** The folder of the built pages; fails when they were never built. */
export function webRoot(): string {
  const pkg = createRequire(import.meta.url).resolve('@tessera/web/package.json');
  const dist = join(dirname(pkg), 'dist');
  if (!existsSync(join(dist, 'playground.html')))
    throw new IOError(
      `the web pages are not built (no ${dist}/playground.html); run: npm run build`,
    );
  return dist;
}
