/**
 * The playground: loads the exported LayersModel with TensorFlow.js and predicts in the
 * browser, from a drawing (28×28 image models) or from one input per feature.
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { type LayersModel, loadLayersModel } from '@tensorflow/tfjs-layers';
import { byId, getJson } from '../shared/api.js';
import { renderBars } from './bars.js';
import { DrawingPad } from './drawing-pad.js';
import { buildFeatureInputs } from './feature-inputs.js';
import { MNIST_SIDE, strokesToMnist } from './mnist-preprocess.js';

/** What the server says about the model (GET api/playground). */
export interface PlaygroundInfo {
  title: string;
  kind: 'image' | 'tabular';
  task: 'classification' | 'regression';
  classNames?: string[];
  featureNames: string[];
  featureRanges?: { min: number[]; max: number[] };
  featureShape: number[];
  summary: string;
}

function predict(model: LayersModel, values: Float32Array, shape: number[]): Float32Array {
  return tf.tidy(() => {
    const y = model.predict(tf.tensor(values, [1, ...shape])) as tf.Tensor;
    return y.dataSync() as Float32Array;
  });
}

function show(info: PlaygroundInfo, output: Float32Array): void {
  const prediction = byId('prediction');
  const bars = byId('probabilities');
  if (info.task === 'classification' && info.classNames !== undefined) {
    let top = 0;
    for (let i = 1; i < output.length; i++) if (output[i]! > output[top]!) top = i;
    prediction.textContent = info.classNames[top] ?? String(top);
    renderBars(bars, info.classNames, output);
  } else {
    prediction.textContent = Array.from(output, (v) => v.toPrecision(4)).join(', ');
    bars.replaceChildren();
  }
}

function clearPrediction(): void {
  byId('prediction').textContent = '–';
  byId('probabilities').replaceChildren();
}

async function main(): Promise<void> {
  const info = await getJson<PlaygroundInfo>('api/playground');
  byId('title').textContent = `Tessera playground — ${info.title}`;
  byId('summary').textContent = info.summary;
  byId<HTMLImageElement>('diagram').src = 'api/model.svg';
  await tf.setBackend('cpu');
  const model = await loadLayersModel('model/model.json');
  byId('status').textContent = 'The model runs in this page with TensorFlow.js.';

  if (info.kind === 'image') {
    byId('image-input').hidden = false;
    const preview = byId<HTMLCanvasElement>('preview').getContext('2d');
    const pad = new DrawingPad(byId<HTMLCanvasElement>('draw'), (strokes) => {
      const image = strokesToMnist(strokes);
      preview?.clearRect(0, 0, MNIST_SIDE, MNIST_SIDE);
      if (image === undefined) return clearPrediction();
      if (preview !== null) {
        const pixels = preview.createImageData(MNIST_SIDE, MNIST_SIDE);
        image.forEach((v, i) => {
          pixels.data.set([v, v, v, 255], i * 4);
        });
        preview.putImageData(pixels, 0, 0);
      }
      show(info, predict(model, image, info.featureShape));
    });
    byId('clear').addEventListener('click', () => pad.clear());
  } else {
    byId('tabular-input').hidden = false;
    buildFeatureInputs(byId('features'), info, (values) =>
      show(info, predict(model, values, info.featureShape)),
    );
  }
  document.body.dataset['ready'] = 'true';
}

main().catch((err: unknown) => {
  byId('status').textContent = `error: ${err instanceof Error ? err.message : String(err)}`;
});
