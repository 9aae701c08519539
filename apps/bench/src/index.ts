export type { GemmShape } from './gemm-shapes.js';
export { GEMM_SHAPES, operandShapes, transposeLabel } from './gemm-shapes.js';
export type { KernelBenchOptions, KernelBenchResult, KernelImpl, KernelRow } from './kernels.js';
export { kernelTable, runKernelBench } from './kernels.js';
export type { MeasureOptions, Timing } from './measure.js';
export { measure, median } from './measure.js';
export type { Column } from './table.js';
export { formatNumber, formatRatio, formatTable } from './table.js';
