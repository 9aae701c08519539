// Keras names: any loss, metric or optimizer by the name Keras gives it. Fits y = 2x - 1 with
// Nadam (each gradient value clipped to ±1) on the log-cosh loss, and logs two more
// metrics. A misspelt name says which known name is closest.
import { layers, losses, optimizers, sequential } from '@tessera/layers';

const x = [[-1], [0], [1], [2], [3], [4]];
const y = [[-3], [-1], [1], [3], [5], [7]];

const model = sequential([layers.dense({ units: 1, inputShape: [1] })], { seed: 1 });
model.compile({
  optimizer: optimizers.nadam({ learningRate: 0.1, clipvalue: 1 }),
  loss: 'log_cosh',
  metrics: ['MAE', 'huber'], // any loss is a metric too
});
await model.fit(x, y, {
  epochs: 300,
  verbose: 0,
  seed: 1,
  callbacks: [
    {
      onEpochEnd: (epoch, logs) => {
        if ((epoch + 1) % 100 === 0) console.log(epoch + 1, logs);
      },
    },
  ],
});

const [w, b] = model.getWeights().map((t) => t.dataSync()[0]);
console.log(`learned w = ${(w ?? 0).toFixed(2)}, b = ${(b ?? 0).toFixed(2)}`);

try {
  losses.get('mean_sqared_error');
} catch (error) {
  console.log((error as Error).message);
}
