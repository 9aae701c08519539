/** The README.md written next to an exported PyTorch model: how to run it on one machine and on several. */

/** README text for a model exported from `checkpoint`. */
export function exportReadme(args: {
  modelName: string;
  checkpoint: string;
  batchSize: number;
}): string {
  return `# ${args.modelName} for PyTorch

Exported by \`tessera export --format pytorch\` from \`${args.checkpoint}\`.

- \`model.py\`: the model as a \`torch.nn.Module\`; it takes raw features (the training
  normalizer is its first step). \`/usr/bin/python3 model.py FEATURES.csv\` (a header row,
  then one row of raw features per line) prints its outputs.
- \`weights.json\` + \`weights.bin\`: weights and optimizer state (float32, little-endian).
- \`train_ddp.py\`: trains the model with DistributedDataParallel, with the checkpoint's loss,
  optimizer, learning rate (a cosine schedule goes on from the checkpoint's step; once it
  has come down to 0 the script asks for \`--learning-rate LR\`, a constant rate), global
  batch size (${args.batchSize}, split across processes) and seed.
- \`tessera_io.py\`: reads and writes the weights files.

Needs PyTorch 1.13 or later and numpy (Debian: \`apt-get install python3-torch python3-numpy\`).
\`--data\` is an IDX folder (MNIST layout, plain or .gz) or a CSV file with the label last.

## One machine

    torchrun --standalone --nproc_per_node 2 train_ddp.py --data DATA --epochs 1 --out OUT

With Debian 12's torch 1.13 under Python 3.11, torchrun's launcher fails before training
(\`AttributeError: 'NoneType' object has no attribute 'get'\`: it cannot read its own
default \`--redirects 0 --tee 0\`). Give it \`--redirects 1 --tee 1\` (outputs are also kept
in log files); \`/usr/bin/python3 -m torch.distributed.run\` is the same launcher:

    torchrun --redirects 1 --tee 1 --standalone --nproc_per_node 2 \\
      train_ddp.py --data DATA --epochs 1 --out OUT

## Several machines

Run on every machine, with the same HOST:PORT (a reachable address of one of them) and
I = 0 … N-1:

    torchrun --nnodes N --node_rank I --nproc_per_node P \\
      --rdzv_backend c10d --rdzv_endpoint HOST:PORT \\
      train_ddp.py --data DATA --epochs 1 --out OUT

The gloo backend is used on CPUs, NCCL when CUDA is available. Rank 0 writes OUT. (With
Debian 12's torch, add \`--redirects 1 --tee 1\` here too.)

## Back to Tessera

    tessera import --from OUT --out model.tsr
    tessera evaluate --checkpoint model.tsr --dataset DATASET
`;
}
