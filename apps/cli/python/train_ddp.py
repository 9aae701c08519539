"""Trains the exported Tessera model with PyTorch DistributedDataParallel.

One machine, two processes:

    torchrun --standalone --nproc_per_node 2 train_ddp.py --data DATA --epochs 1 --out OUT

Several machines: the same command on each, with ``--nnodes N --node_rank I
--rdzv_backend c10d --rdzv_endpoint HOST:PORT`` instead of ``--standalone``.
(Debian 12's torch 1.13 on Python 3.11 also needs ``--redirects 1 --tee 1``: its launcher
cannot parse the default 0.) Then ``tessera import --from OUT --out model.tsr`` brings the
result back.

The run keeps Tessera's settings: its loss, optimizer (same hyperparameters, same update
rule, state carried over, the learning rate or its cosine schedule going on from the
checkpoint's step; ``--learning-rate`` trains at a constant rate instead), global batch
size and seed. Each global batch is cut into one
contiguous shard per process; the gradient is the mean over the whole global batch, as in
Tessera's data-parallel trainer. ``--data`` is an IDX folder (train-images-idx3-ubyte and
train-labels-idx1-ubyte, plain or .gz) or a CSV file with the label in the last column.
Rank 0 evaluates the result and writes OUT (weights.json, weights.bin, evaluation.json).
BatchNormalization normalizes with the statistics of the whole global batch (summed over
the processes), as Tessera does; models whose regularizers add to the loss are refused.
"""
import argparse
import copy
import csv
import gzip
import json
import math
import os
import struct
import sys

import numpy as np
import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import tessera_io  # noqa: E402
from model import WEIGHTS, Model, load_tessera_weights, parameter, tessera_weights  # noqa: E402

EPSILON = 1e-7  # Tessera's (and Keras's) probability clip


# ---------------------------------------------------------------- data
def read_idx(path):
    """An IDX file (plain or gzipped) as a numpy array."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def find_idx(folder, name):
    for candidate in (name, name + ".gz"):
        if os.path.exists(os.path.join(folder, candidate)):
            return os.path.join(folder, candidate)
    return None


def load_idx_folder(folder, split):
    prefix = "train" if split == "train" else "t10k"
    images = find_idx(folder, prefix + "-images-idx3-ubyte")
    labels = find_idx(folder, prefix + "-labels-idx1-ubyte")
    if images is None or labels is None:
        return None
    return read_idx(images).astype(np.float64), read_idx(labels).astype(np.int64)


def load_csv(path, task, class_names):
    """Raw features and labels from a CSV file, label last; a header row is skipped."""
    with open(path, newline="", encoding="utf-8") as f:
        rows = [row for row in csv.reader(f) if row]
    try:
        [float(v) for v in rows[0][:-1]]
    except ValueError:
        rows = rows[1:]
    features = np.array([[float(v) for v in row[:-1]] for row in rows], dtype=np.float64)
    if task == "regression":
        return features, np.array([float(row[-1]) for row in rows], dtype=np.float64)
    index = {name: i for i, name in enumerate(class_names)}
    labels = [index[row[-1]] if row[-1] in index else int(row[-1]) for row in rows]
    return features, np.array(labels, dtype=np.int64)


def load_data(path, split, facts):
    """(features shaped like one Tessera example, labels) or None when the split is absent."""
    if os.path.isdir(path):
        data = load_idx_folder(path, split)
    else:
        data = load_csv(path, facts["task"], facts.get("classNames", []))
    if data is None:
        return None
    features, labels = data
    shape = [-1] + list(facts["featureShape"])
    return torch.from_numpy(features.reshape(shape)), torch.from_numpy(labels)


# ---------------------------------------------------------------- loss and metrics
def per_example_loss(config, y_pred, labels):
    """Tessera's loss of each example (the batch mean is left to the caller)."""
    name, options = config["className"], config.get("config", {})
    from_logits = options.get("fromLogits", False)
    if name in ("CategoricalCrossentropy", "SparseCategoricalCrossentropy"):
        if from_logits:
            log_p = torch.log_softmax(y_pred, dim=-1)
        else:
            log_p = torch.log((y_pred / y_pred.sum(-1, keepdim=True)).clamp(EPSILON, 1 - EPSILON))
        target = torch.nn.functional.one_hot(labels, y_pred.shape[-1]).to(y_pred.dtype)
        smoothing = options.get("labelSmoothing", 0) or 0
        if smoothing:
            target = target * (1 - smoothing) + smoothing / y_pred.shape[-1]
        return -(target * log_p).sum(-1)
    target = labels.to(y_pred.dtype).reshape(y_pred.shape)
    if name == "BinaryCrossentropy":
        if from_logits:
            per = torch.nn.functional.binary_cross_entropy_with_logits(y_pred, target, reduction="none")
        else:
            p = y_pred.clamp(EPSILON, 1 - EPSILON)
            per = -(target * torch.log(p) + (1 - target) * torch.log(1 - p))
        return per.mean(-1)
    if name == "MeanSquaredError":
        return ((y_pred - target) ** 2).mean(-1)
    if name == "MeanAbsoluteError":
        return (y_pred - target).abs().mean(-1)
    raise SystemExit(f"error: train_ddp.py: loss {name} is not supported; expected one of "
                     "CategoricalCrossentropy, SparseCategoricalCrossentropy, BinaryCrossentropy, "
                     "MeanSquaredError, MeanAbsoluteError")


def correct(y_pred, labels):
    """How many predictions name the right class (argmax, or p > 0.5 for one unit)."""
    if y_pred.shape[-1] == 1:
        return ((y_pred[:, 0] > 0.5).long() == labels).sum().item()
    return (y_pred.argmax(-1) == labels).sum().item()


def evaluate(module, loss_config, features, labels, task, batch=1024):
    """Mean loss (and accuracy for classifiers) over a dataset, in evaluation mode."""
    module.eval()
    total_loss, hits = 0.0, 0
    with torch.no_grad():
        for start in range(0, len(features), batch):
            y_pred = module(features[start:start + batch])
            y = labels[start:start + batch]
            total_loss += per_example_loss(loss_config, y_pred, y).double().sum().item()
            if task == "classification":
                hits += correct(y_pred, y)
    module.train()
    result = {"loss": total_loss / len(features)}
    if task == "classification":
        result["accuracy"] = hits / len(features)
    return result


# ---------------------------------------------------------------- optimizers (Tessera's rules)
class TesseraSGD(torch.optim.Optimizer):
    """Tessera's SGD: v = μv - lr·g; w += v (Nesterov: w += μv - lr·g); decoupled decay."""

    slots = ("momentum",)

    def __init__(self, params, lr, momentum=0.0, nesterov=False, weight_decay=None):
        super().__init__(params, dict(lr=lr, momentum=momentum, nesterov=nesterov,
                                      weight_decay=weight_decay or 0.0))

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            lr, mu = group["lr"], group["momentum"]
            for p in group["params"]:
                if group["weight_decay"]:
                    p.sub_(p * (group["weight_decay"] * lr))
                step = lr * p.grad
                if mu == 0:
                    p.sub_(step)
                    continue
                v = self.state[p].setdefault("momentum", torch.zeros_like(p))
                v.mul_(mu).sub_(step)
                p.add_(mu * v - step if group["nesterov"] else v)


class TesseraAdam(torch.optim.Optimizer):
    """Tessera's (Keras's) Adam: ε is added to sqrt(v) and the bias correction is folded
    into the step size, α = lr·sqrt(1-β2^t)/(1-β1^t). torch.optim.Adam adds ε to the
    corrected sqrt(v̂) instead, a different rule, so it is not used here."""

    slots = ("m", "v", "vhat")

    def __init__(self, params, lr, beta1=0.9, beta2=0.999, epsilon=1e-7, amsgrad=False,
                 weight_decay=None, iteration=0):
        super().__init__(params, dict(lr=lr, beta1=beta1, beta2=beta2, epsilon=epsilon,
                                      amsgrad=amsgrad, weight_decay=weight_decay or 0.0))
        self.iteration = iteration

    @torch.no_grad()
    def step(self):
        self.iteration += 1
        t = self.iteration
        for group in self.param_groups:
            b1, b2, lr = group["beta1"], group["beta2"], group["lr"]
            alpha = lr * math.sqrt(1 - b2 ** t) / (1 - b1 ** t)
            for p in group["params"]:
                state = self.state[p]
                m = state.setdefault("m", torch.zeros_like(p))
                v = state.setdefault("v", torch.zeros_like(p))
                if group["weight_decay"]:
                    p.sub_(p * (group["weight_decay"] * lr))
                g = p.grad
                m.add_((g - m) * (1 - b1))
                v.add_((g * g - v) * (1 - b2))
                base = v
                if group["amsgrad"]:
                    vhat = state.setdefault("vhat", torch.zeros_like(p))
                    torch.maximum(vhat, v, out=vhat)
                    base = vhat
                p.sub_(m * alpha / (base.sqrt() + group["epsilon"]))


def cosine_decay(config, step):
    """Tessera's (Keras's) CosineDecay at `step` (0-based), warm-up included."""
    initial, decay_steps = config["initialLearningRate"], config["decaySteps"]
    alpha, target, warmup = config.get("alpha", 0.0), config.get("warmupTarget"), config.get("warmupSteps", 0)

    def decay(s, start):
        cosine = 0.5 * (1 + math.cos(math.pi * s / decay_steps))
        return start * ((1 - alpha) * cosine + alpha)

    if target is None:
        return decay(min(step, decay_steps), initial)
    s = min(step, decay_steps + warmup)
    if s < warmup:
        return (target - initial) * (s / warmup) + initial
    return decay(s - warmup, target)


def learning_rate(value):
    """The rate of each step (a function of the 0-based step) from the checkpoint's
    `learningRate`: a number, or a CosineDecay schedule (what `tessera train
    --lr-schedule cosine` writes)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return lambda step: float(value)
    if isinstance(value, dict) and value.get("className") == "CosineDecay":
        return lambda step: cosine_decay(value["config"], step)
    name = value.get("className") if isinstance(value, dict) else value
    raise SystemExit(f"error: train_ddp.py: the learning-rate schedule {name!r} is not supported "
                     "here (a number or CosineDecay is); pass --learning-rate to train at a constant rate")


def make_optimizer(config, module, iteration, lr):
    name, options = config["className"], config.get("config", {})
    params = [p for p in module.parameters() if p.requires_grad]  # frozen layers stay
    if name == "SGD":
        return TesseraSGD(params, lr, options.get("momentum", 0.0),
                          options.get("nesterov", False), options.get("weightDecay"))
    if name == "Adam":
        return TesseraAdam(params, lr, options.get("beta1", 0.9), options.get("beta2", 0.999),
                           options.get("epsilon", 1e-7), options.get("amsgrad", False),
                           options.get("weightDecay"), iteration)
    raise SystemExit(f"error: train_ddp.py: optimizer {name} is not supported; expected SGD or Adam")


def load_slots(optimizer, module, slots):
    """Tessera's optimizer state (per weight, Tessera layout) into the optimizer's state."""
    for slot, by_weight in slots.items():
        for name, path, transpose in WEIGHTS:
            values = torch.from_numpy(np.array(by_weight[name], dtype=np.float32))
            optimizer.state[parameter(module, path)][slot] = (values.t() if transpose else values).clone()


def saved_slots(optimizer, module):
    """The optimizer's state back in Tessera's layout, by slot and weight name."""
    out = {}
    for name, path, transpose in WEIGHTS:
        for slot, values in optimizer.state[parameter(module, path)].items():
            if slot in type(optimizer).slots:
                values = values.t() if transpose else values
                out.setdefault(slot, {})[name] = values.contiguous().numpy().astype(np.float32)
    return out


# ---------------------------------------------------------------- training
PENALTIES = ("kernelRegularizer", "biasRegularizer", "activityRegularizer")


def refuse_optimizer_options(config):
    """Stops on optimizer options this script's update rules do not apply."""
    options = config.get("config", {})
    unsupported = [key for key in ("clipnorm", "globalClipnorm", "clipvalue") if options.get(key) is not None]
    if options.get("weightDecay") and options.get("excludeFromWeightDecay"):
        unsupported.append("excludeFromWeightDecay")
    if unsupported:
        raise SystemExit(f"error: train_ddp.py: the optimizer option(s) {', '.join(unsupported)} are not "
                         "supported here; train this model with tessera train")


def refuse_penalties(model_config):
    """Stops on a layer whose regularizer adds to Tessera's loss: this script trains the
    data loss alone, so such a model would train to something else."""
    for layer in model_config["config"]["layers"]:
        kind, config = layer.get("className"), layer.get("config", {})
        penalized = [key for key in PENALTIES if config.get(key)]
        if kind == "ActivityRegularization" and (config.get("l1") or config.get("l2")):
            penalized.append("l1/l2")
        if penalized:
            raise SystemExit(f'error: train_ddp.py: layer "{config.get("name")}" ({kind}) adds a '
                             f'penalty to the loss ({", ".join(penalized)}), which train_ddp.py does '
                             "not compute; train this model with tessera train")


def shard(size, rank, world):
    """[lo, hi) of this rank in a batch of `size`: contiguous, sizes differ by at most one."""
    base, extra = divmod(size, world)
    lo = rank * base + min(rank, extra)
    return lo, lo + base + (1 if rank < extra else 0)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", required=True, help="IDX folder or CSV file (label last)")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--out", required=True, help="folder for the trained state")
    parser.add_argument("--eval-data", help="data to evaluate on (default: the IDX test split, or --data)")
    parser.add_argument("--batch-size", type=int, help="global batch size (default: the checkpoint's)")
    parser.add_argument("--seed", type=int, help="shuffling seed (default: the checkpoint's)")
    parser.add_argument("--steps", type=int, help="stop after this many updates")
    parser.add_argument("--no-shuffle", action="store_true", help="batches in file order")
    parser.add_argument("--learning-rate", type=float,
                        help="a constant rate for these steps (default: the checkpoint's rate or schedule)")
    args = parser.parse_args()
    if args.learning_rate is not None and not (math.isfinite(args.learning_rate) and args.learning_rate > 0):
        parser.error(f"--learning-rate must be a positive number. Received: {args.learning_rate}")

    manifest, weights, slots = tessera_io.read_state(HERE)
    # Checked before joining the process group, so every process stops on its own.
    refuse_penalties(manifest["model"])
    refuse_optimizer_options(manifest["optimizer"]["config"])
    optimizer_config = copy.deepcopy(manifest["optimizer"]["config"])
    if args.learning_rate is not None:
        optimizer_config.setdefault("config", {})["learningRate"] = args.learning_rate
    rate = learning_rate(optimizer_config.get("config", {}).get("learningRate"))
    first = manifest["optimizer"]["iteration"]
    if args.learning_rate is None and rate(first) == 0:
        raise SystemExit(f"error: train_ddp.py: the checkpoint's learning-rate schedule has come down to 0 "
                         f"by its step {first}, so training on would change nothing; pass --learning-rate")
    backend = "nccl" if torch.cuda.is_available() else "gloo"
    dist.init_process_group(backend)
    rank, world = dist.get_rank(), dist.get_world_size()
    facts = manifest["carried"]["extra"]["data"]
    run = manifest["run"]
    batch_size = args.batch_size or run["batchSize"]
    seed = run["seed"] if args.seed is None else args.seed
    shuffle = run["shuffle"] and not args.no_shuffle

    data = load_data(args.data, "train", facts)
    if data is None:
        raise SystemExit(f"error: train_ddp.py: --data {args.data}: no train-images-idx3-ubyte / train-labels-idx1-ubyte")
    features, labels = data
    torch.manual_seed(seed)  # dropout masks
    module = Model()
    load_tessera_weights(module, weights)
    optimizer = make_optimizer(optimizer_config, module, first, rate(first))
    load_slots(optimizer, module, slots)
    ddp = DistributedDataParallel(module)
    loss_config = manifest["compile"]["loss"]

    steps, epochs_done = 0, 0
    for epoch in range(args.epochs):
        # Every rank draws the same permutation, so the shards of a batch never overlap.
        generator = torch.Generator().manual_seed(seed + manifest["epoch"] + epoch)
        order = torch.randperm(len(features), generator=generator) if shuffle else torch.arange(len(features))
        for start in range(0, len(features), batch_size):
            batch = order[start:start + batch_size]
            lo, hi = shard(len(batch), rank, world)
            optimizer.zero_grad()
            mine = batch[lo:hi]
            losses = per_example_loss(loss_config, ddp(features[mine]), labels[mine])
            # DDP averages gradients over ranks; scaling by world/size makes that average
            # the mean over the whole global batch, however unevenly it was cut.
            (losses.sum() * (world / len(batch))).backward()
            for group in optimizer.param_groups:
                group["lr"] = rate(first + steps)
            optimizer.step()
            steps += 1
            if args.steps is not None and steps >= args.steps:
                break
        else:
            epochs_done += 1
            continue
        break

    if rank == 0:
        out = copy.deepcopy(manifest)
        out.pop("arrays", None)
        out["optimizer"]["config"] = optimizer_config
        out["optimizer"]["iteration"] = manifest["optimizer"]["iteration"] + steps
        out["epoch"] = manifest["epoch"] + epochs_done
        tessera_io.write_state(args.out, out, tessera_weights(module), saved_slots(optimizer, module))
        eval_data = load_data(args.eval_data or args.data, "test", facts) if args.eval_data or os.path.isdir(args.data) else None
        if eval_data is None:
            eval_data = (features, labels)
        result = evaluate(module, loss_config, eval_data[0], eval_data[1], facts["task"])
        result.update(examples=len(eval_data[0]), steps=steps, processes=world)
        with open(os.path.join(args.out, "evaluation.json"), "w", encoding="utf-8") as f:
            json.dump(result, f)
        print(f"trained {steps} steps on {world} processes; wrote {args.out}; evaluation {json.dumps(result)}")
    # Every process leaves the group together: a process that tears the group down while
    # rank 0 still writes and evaluates was seen to abort ("terminate called without an
    # active exception") on a loaded machine.
    dist.barrier()
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
