/**
 * Which file of the built pages a request path names — never one outside that folder.
 * The path is decoded once (a bad escape or a NUL byte is refused), split on both slash
 * kinds, and any `..` segment is refused outright rather than resolved, so `/../x`,
 * `/%2e%2e/x`, `/..%2fx` and `/..\x` all fail; a symbolic link leading out is refused too.
 */
import { realpathSync, statSync } from 'node:fs';
import { extname, join, sep } from 'node:path';

/** Content types of the files a vite build writes. */
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

/** The content type to send for a file name. */
export function contentType(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** The regular file under `root` that `urlPath` names, or undefined (→ 404). */
export function resolveStaticFile(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const segments = decoded.split(/[/\\]+/).filter((s) => s !== '' && s !== '.');
  if (segments.some((s) => s === '..' || s.includes(':'))) return undefined;
  if (segments.length === 0) return undefined;
  try {
    const realRoot = realpathSync(root);
    const real = realpathSync(join(realRoot, ...segments));
    if (!real.startsWith(realRoot + sep) || !statSync(real).isFile()) return undefined;
    return real;
  } catch {
    return undefined;
  }
}
