/**
 * Renders DOT text to SVG with Graphviz compiled to WebAssembly (@viz-js/viz) and SVG to
 * PNG with resvg (@resvg/resvg-js): both install from npm and need no system tools.
 * PNG text uses the DejaVu fonts when present (Debian's fonts-dejavu), then system fonts.
 *
 * ```ts
 * const png = await renderDot(plotModel(m, { showShapes: true, dpi: 144 }), 'png');
 * await plotModelToFile(m, 'model.svg', { showShapes: true });
 * ```
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname } from 'node:path';
import type { Resvg } from '@resvg/resvg-js';
import { FormatError, IOError, received, ValueError, writeFileAtomic } from '@tessera/core';
import type { instance } from '@viz-js/viz';
import type { Model } from '../engine/model.js';
import { type PlotOptions, plotModel } from './dot.js';

/** Folders searched for fonts before the system ones. */
export const DEFAULT_FONT_DIRS = ['/usr/share/fonts/truetype/dejavu'];

/**
 * Options of `renderDot`. The resolution comes from the DOT text's `dpi` graph attribute
 * (`plotModel`'s `dpi` option): Graphviz scales the SVG by dpi/72, and the PNG gets one
 * pixel per SVG unit, so a 2-inch-wide graph at dpi 96 is 192 pixels wide.
 */
export interface RenderOptions {
  /** Font folders for PNG text (default: DejaVu's, when present; system fonts after them). */
  fontDirs?: string[];
}

// Graphviz (WebAssembly) and resvg (a native library) load on first use, not with the
// package: every worker thread of `fit` imports @tessera/layers and never draws (each took
// about 20 ms of a thread's start-up).
let vizInstance: ReturnType<typeof instance> | undefined;
let resvgClass: typeof Resvg | undefined;

function loadResvg(): typeof Resvg {
  resvgClass ??= (
    createRequire(import.meta.url)('@resvg/resvg-js') as typeof import('@resvg/resvg-js')
  ).Resvg;
  return resvgClass;
}

/** DOT → SVG text. */
async function toSvg(dot: string): Promise<string> {
  vizInstance ??= import('@viz-js/viz').then((viz) => viz.instance());
  const viz = await vizInstance;
  const result = viz.render(dot, { format: 'svg' });
  if (result.status !== 'success') {
    const messages = result.errors.map((e) => e.message).join('; ');
    throw new ValueError(
      received('renderDot: Graphviz could not lay out the graph', 'errors', messages),
    );
  }
  return result.output;
}

/** Options of `svgToPng`. */
export interface PngOptions {
  /** Font folders searched first (default: DejaVu's, when present); system fonts after them. */
  fontDirs?: string[];
  /** Pixels per unit of the SVG's viewBox (default 1; the CLI's charts use 2 for sharp text). */
  zoom?: number;
}

/**
 * SVG → PNG bytes with resvg: `zoom` pixels per unit of the SVG's viewBox (of its own size
 * when it has none), on white, text in DejaVu Sans when those fonts are present. The one
 * renderer of every PNG Tessera writes (model plots, the CLI's learning curves).
 */
export function svgToPng(svg: string, options: PngOptions = {}): Uint8Array {
  const zoom = options.zoom ?? 1;
  if (!(zoom > 0)) throw new ValueError(received('svgToPng: zoom must be positive', 'zoom', zoom));
  const fontDirs = (options.fontDirs ?? DEFAULT_FONT_DIRS).filter((d) => existsSync(d));
  const viewBox = /viewBox="[-\d.]+ [-\d.]+ ([\d.]+) [\d.]+"/.exec(svg);
  const width = viewBox === null ? undefined : Math.max(1, Math.round(Number(viewBox[1]) * zoom));
  try {
    const resvg = new (loadResvg())(svg, {
      background: 'white',
      fitTo: width === undefined ? { mode: 'zoom', value: zoom } : { mode: 'width', value: width },
      font: { fontDirs, loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
    });
    return new Uint8Array(resvg.render().asPng());
  } catch (cause) {
    throw new FormatError(`svgToPng: cannot render the SVG (${(cause as Error).message})`, {
      cause,
    });
  }
}

/** Renders DOT text to SVG (a string) or PNG (bytes). */
export async function renderDot(
  dot: string,
  format: 'svg',
  options?: RenderOptions,
): Promise<string>;
export async function renderDot(
  dot: string,
  format: 'png',
  options?: RenderOptions,
): Promise<Uint8Array>;
export async function renderDot(
  dot: string,
  format: 'svg' | 'png',
  options: RenderOptions = {},
): Promise<string | Uint8Array> {
  if (format !== 'svg' && format !== 'png') {
    throw new ValueError(received("renderDot: format must be 'svg' or 'png'", 'format', format));
  }
  const svg = await toSvg(dot);
  return format === 'svg' ? svg : svgToPng(svg, options);
}

/** Writes the plot to `path`: `.dot` (text), `.svg` or `.png`, chosen by the extension. */
export async function plotModelToFile(
  model: Model,
  path: string,
  options: PlotOptions = {},
): Promise<void> {
  const ext = extname(path).toLowerCase();
  const dot = plotModel(model, options);
  let bytes: string | Uint8Array;
  if (ext === '.dot' || ext === '.gv') bytes = dot;
  else if (ext === '.svg') bytes = await renderDot(dot, 'svg');
  else if (ext === '.png') bytes = await renderDot(dot, 'png');
  else
    throw new ValueError(
      received('plotModelToFile: the file must end in .dot, .svg or .png', 'path', path),
    );
  try {
    await writeFileAtomic(
      path,
      typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes,
    );
  } catch (cause) {
    if (cause instanceof IOError) throw cause;
    throw new IOError(`plotModelToFile: could not write ${path}`, { cause });
  }
}
