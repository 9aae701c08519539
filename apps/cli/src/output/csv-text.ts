/** Writing CSV text: RFC 4180 quoting where a cell needs it, numbers that round-trip float32. */

/** Quotes a cell when it holds a comma, quote, or line break. */
export function csvCell(value: string): string {
  return /[",\r\n]/.test(value) || value !== value.trim()
    ? `"${value.replace(/"/g, '""')}"`
    : value;
}

/** One CSV line (no line break). */
export function csvLine(cells: readonly string[]): string {
  return cells.map(csvCell).join(',');
}

/** A float32 value with the 9 significant digits that identify it exactly, without trailing zeros. */
export function formatFloat(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return String(Number(value.toPrecision(9)));
}
