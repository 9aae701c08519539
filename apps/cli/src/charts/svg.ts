/** Small helpers to write SVG text by hand, safely. */

/** Escapes text for use in SVG content and attribute values. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** A coordinate rounded to 0.01 px, written without needless zeros. */
export function px(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** The font every chart uses: DejaVu Sans is loaded explicitly when rendering PNGs. */
export const CHART_FONT = "'DejaVu Sans', Verdana, sans-serif";
