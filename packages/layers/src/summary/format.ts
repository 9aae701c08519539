/**
 * Pure text helpers for the summary table: number and byte formatting as Keras prints
 * them, and a box-drawn table whose cells wrap within fixed column widths.
 */

/** 101770 → '101,770'. */
export function formatCount(n: number): string {
  const digits = String(Math.trunc(Math.abs(n)));
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return n < 0 ? `-${grouped}` : grouped;
}

/** Bytes in 1024-steps with two decimals: 407080 → '397.54 KB', 188 → '188.00 B'. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes;
  for (const unit of units) {
    if (value / 1024 < 1) return `${value.toFixed(2)} ${unit}`;
    value /= 1024;
  }
  return `${(value * 1024).toFixed(2)} PB`;
}

/** Splits `text` into lines of at most `width` characters, breaking at spaces when possible. */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(' ')) {
    let rest = word;
    const candidate = current === '' ? rest : `${current} ${rest}`;
    if (candidate.length <= width) {
      current = candidate;
      continue;
    }
    if (current !== '') lines.push(current);
    current = '';
    while (rest.length > width) {
      lines.push(rest.slice(0, width));
      rest = rest.slice(width);
    }
    current = rest;
  }
  if (current !== '' || lines.length === 0) lines.push(current);
  return lines;
}

/** A column of the table: header, content width and alignment. */
export interface Column {
  header: string;
  width: number;
  align: 'left' | 'right';
}

function pad(text: string, width: number, align: 'left' | 'right'): string {
  return align === 'right' ? text.padStart(width) : text.padEnd(width);
}

function rule(
  columns: readonly Column[],
  left: string,
  fill: string,
  joint: string,
  right: string,
): string {
  return left + columns.map((c) => fill.repeat(c.width + 2)).join(joint) + right;
}

function row(columns: readonly Column[], cells: readonly string[], bar: string): string[] {
  const wrapped = columns.map((c, i) => wrapText(cells[i] ?? '', c.width));
  const height = Math.max(...wrapped.map((w) => w.length));
  const lines: string[] = [];
  for (let k = 0; k < height; k++) {
    const parts = columns.map((c, i) => ` ${pad(wrapped[i]?.[k] ?? '', c.width, c.align)} `);
    lines.push(bar + parts.join(bar) + bar);
  }
  return lines;
}

/**
 * The Keras 3 table: heavy header box, one light-ruled row per layer. Each line is
 * `1 + Σ (width + 3)` characters long.
 */
export function renderTable(
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
): string[] {
  const lines = [rule(columns, '┏', '━', '┳', '┓')];
  lines.push(
    ...row(
      columns,
      columns.map((c) => c.header),
      '┃',
    ),
  );
  lines.push(rule(columns, '┡', '━', '╇', '┩'));
  rows.forEach((cells, i) => {
    if (i > 0) lines.push(rule(columns, '├', '─', '┼', '┤'));
    lines.push(...row(columns, cells, '│'));
  });
  lines.push(rule(columns, '└', '─', '┴', '┘'));
  return lines;
}

/**
 * Content widths of columns ending at `positions` (fractions of the line, ascending to
 * 1): column i spans int(p_i·L) − int(p_{i−1}·L) characters including its borders.
 */
export function columnWidths(lineLength: number, positions: readonly number[]): number[] {
  let previous = 0;
  return positions.map((p, i) => {
    const end = Math.floor((p <= 1 ? p * lineLength : p) + 1e-9);
    const span = end - previous;
    previous = end;
    return span - 3 - (i === 0 ? 1 : 0);
  });
}
