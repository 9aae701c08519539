import { element } from '../shared/api.js';

/** What the inputs need to know of the model. */
interface FeatureInfo {
  featureNames: string[];
  featureRanges?: { min: number[]; max: number[] };
}

/**
 * One number input and one slider per feature, named after the training data's columns
 * and bounded by the range seen in training (the middle of it to start with). Calls
 * `onChange` with every feature value after each edit, and once at the start.
 */
export function buildFeatureInputs(
  container: HTMLElement,
  info: FeatureInfo,
  onChange: (values: Float32Array) => void,
): void {
  const values = new Float32Array(info.featureNames.length);
  const rows = info.featureNames.map((name, i) => {
    const min = info.featureRanges?.min[i] ?? 0;
    const max = info.featureRanges?.max[i] ?? 1;
    const step = max > min ? (max - min) / 100 : 0.01;
    values[i] = (min + max) / 2;
    const number = element('input');
    number.type = 'number';
    number.dataset['testid'] = `feature-${name}`;
    number.step = 'any';
    const slider = element('input');
    slider.type = 'range';
    slider.min = String(min);
    slider.max = String(max);
    slider.step = String(step);
    number.value = slider.value = String(values[i]);
    const set = (text: string, other: HTMLInputElement): void => {
      const v = Number(text);
      if (text.trim() === '' || !Number.isFinite(v)) return;
      values[i] = v;
      other.value = text;
      onChange(values);
    };
    number.addEventListener('input', () => set(number.value, slider));
    slider.addEventListener('input', () => set(slider.value, number));
    const label = element('label', '', name);
    label.title = `training range ${min} … ${max}`;
    const row = element('div', 'feature');
    row.append(label, slider, number);
    return row;
  });
  container.replaceChildren(...rows);
  onChange(values);
}
