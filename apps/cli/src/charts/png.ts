/**
 * SVG → PNG with @resvg/resvg-js (no browser, no system tools). Fonts are loaded
 * explicitly from the DejaVu files, so text renders the same on every machine that has
 * them; without them resvg falls back to the system's fonts.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { FormatError } from '@tessera/core';

/** Where Debian installs the DejaVu fonts. */
export const DEJAVU_DIR = '/usr/share/fonts/truetype/dejavu';

const FONT_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf', 'DejaVuSansMono.ttf'];

/** The DejaVu font files present on this machine. */
export function dejavuFontFiles(dir: string = DEJAVU_DIR): string[] {
  return FONT_FILES.map((name) => join(dir, name)).filter((path) => existsSync(path));
}

/** Options of `svgToPng`. */
export interface SvgToPngOptions {
  /** Scale factor over the SVG's own size (default 2, for sharp text). */
  zoom?: number;
}

/** Renders SVG text to PNG bytes. */
export function svgToPng(svg: string, options: SvgToPngOptions = {}): Uint8Array {
  const fontFiles = dejavuFontFiles();
  try {
    const resvg = new Resvg(svg, {
      background: '#ffffff',
      fitTo: { mode: 'zoom', value: options.zoom ?? 2 },
      font:
        fontFiles.length > 0
          ? { fontFiles, loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans' }
          : { loadSystemFonts: true },
    });
    return new Uint8Array(resvg.render().asPng());
  } catch (cause) {
    throw new FormatError(`cannot render SVG to PNG: ${(cause as Error).message}`, { cause });
  }
}
