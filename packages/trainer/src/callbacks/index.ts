export type { Logs, TrainerCallback, TrainerCallbackList, TrainerContext } from './callback.js';
export type { CsvLoggerArgs } from './csv-logger.js';
export { CsvLogger, csvLogger } from './csv-logger.js';
export type { ModelCheckpointArgs } from './model-checkpoint.js';
export { ModelCheckpoint, modelCheckpoint } from './model-checkpoint.js';

import { callbacks } from '@tessera/layers';

/** Stops when the monitored value stops improving (the @tessera/layers callback; works with both fits). */
export const earlyStopping = callbacks.earlyStopping;
/** Lowers the learning rate when the monitored value stops improving (the @tessera/layers callback). */
export const reduceLROnPlateau = callbacks.reduceLROnPlateau;
/** Stops at the first step whose loss is not finite, before its update (the @tessera/layers callback). */
export const terminateOnNaN = callbacks.terminateOnNaN;
export type { EarlyStoppingArgs, ReduceLROnPlateauArgs } from '@tessera/layers';
export { CallbackList, EarlyStopping, ReduceLROnPlateau, TerminateOnNaN } from '@tessera/layers';
