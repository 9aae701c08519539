/**
 * Plain-text tables for benchmark output: a pure function from rows to lines, so the
 * caller decides where they go.
 */

/** A column: its heading and how its cells align. */
export interface Column {
  /** Heading text. */
  title: string;
  /** Right-align (numbers) or left-align (labels). */
  align: 'left' | 'right';
}

/** Formats rows of cells under the columns, padded to the widest cell, with a rule under the headings. */
export function formatTable(
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
): string[] {
  const widths = columns.map((c, i) =>
    Math.max(c.title.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    columns
      .map((c, i) => {
        const cell = cells[i] ?? '';
        return c.align === 'right' ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!);
      })
      .join('  ')
      .trimEnd();
  return [
    line(columns.map((c) => c.title)),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.map(line),
  ];
}

/** A number with a fixed count of decimals, or "n/a" when missing. */
export function formatNumber(value: number | null | undefined, decimals = 1): string {
  return value === null || value === undefined || !Number.isFinite(value)
    ? 'n/a'
    : value.toFixed(decimals);
}

/** A ratio such as "12.3×", or "n/a" when either side is missing. */
export function formatRatio(
  numerator: number | null | undefined,
  denominator: number | null | undefined,
): string {
  if (numerator == null || denominator == null || !(denominator > 0) || !Number.isFinite(numerator))
    return 'n/a';
  const ratio = numerator / denominator;
  if (ratio >= 100) return `${ratio.toFixed(0)}×`;
  // Below 1, two significant digits keep small ratios (a slow peer's) from reading "0.0×".
  return `${ratio >= 1 || ratio === 0 ? ratio.toFixed(1) : ratio.toPrecision(2)}×`;
}

/** A count rounded to an integer with thousands separators ("12,345"), or "n/a" when missing. */
export function formatCount(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value)
    ? 'n/a'
    : Math.round(value).toLocaleString('en-US');
}
