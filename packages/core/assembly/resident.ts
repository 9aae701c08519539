// Kernels of the resident training step (src/resident/): everything a planned step does
// besides the GEMM itself, over float32 arrays that stay in linear memory — usually one
// shared memory that every worker thread's instance imports, so weights, gradients and
// optimizer state are never copied. No function here allocates or keeps state between
// calls; the caller owns every byte it points to.
//
// They are in three files: resident-sparse.ts (compressed input rows), resident-elementwise.ts
// (activations, softmax, Maxout, columns, memory helpers) and resident-update.ts (slot sums, Adam,
// the moments' floor).
export * from './resident-elementwise';
export * from './resident-sparse';
export * from './resident-update';
