import { element } from '../shared/api.js';

/** Redraws one bar per class, the most probable one highlighted. */
export function renderBars(
  container: HTMLElement,
  names: readonly string[],
  p: ArrayLike<number>,
): void {
  let top = 0;
  for (let i = 1; i < p.length; i++) if (p[i]! > p[top]!) top = i;
  const rows = names.map((name, i) => {
    const value = p[i] ?? 0;
    const row = element('div', i === top ? 'bar-row top' : 'bar-row');
    row.dataset['class'] = name;
    row.dataset['probability'] = String(value);
    const bar = element('div', 'bar');
    bar.style.width = `${Math.max(0, Math.min(1, value)) * 100}%`;
    const track = element('div');
    track.append(bar);
    row.append(element('span', '', name), track, element('span', '', value.toFixed(3)));
    return row;
  });
  container.replaceChildren(...rows);
}
