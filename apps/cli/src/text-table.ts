/** Plain-text tables for terminal output: columns padded to their widest cell. */

/** Options of `textTable`. */
export interface TextTableArgs {
  /** Column headings. */
  header: readonly string[];
  /** Rows of cells, as many as headings. */
  rows: ReadonlyArray<readonly string[]>;
  /** Columns (by index) aligned right, e.g. numbers. */
  alignRight?: readonly number[];
}

/** The table as lines of text (no trailing spaces). */
export function textTable(args: TextTableArgs): string[] {
  const all = [args.header, ...args.rows];
  const widths = args.header.map((_, c) =>
    Math.max(...all.map((row) => [...(row[c] ?? '')].length)),
  );
  const right = new Set(args.alignRight ?? []);
  return all.map((row) =>
    widths
      .map((w, c) => {
        const cell = row[c] ?? '';
        const pad = ' '.repeat(w - [...cell].length);
        return right.has(c) ? pad + cell : cell + pad;
      })
      .join('  ')
      .trimEnd(),
  );
}
