"""PyTorch peer of Tessera's training bench (apps/bench/src/tasks/pytorch.ts runs it).

Trains the reference task -- MNIST 784-128(relu)-10(softmax), Adam, batch 128, float32 --
on the threads the request names (default one) and prints one JSON line with the training time, the mean training loss and
the accuracy of the epoch. argv[1] is a JSON request: {"dataDir": ..., "task": {...}} where
dataDir holds images.u8 (examples x 784 bytes) and labels.u8 (one class id per byte), and
task carries the settings of REFERENCE_TASK in src/tasks/reference-task.ts.

The softmax is fused into the loss (nn.CrossEntropyLoss on the logits), PyTorch's usual
and numerically equivalent form of softmax + categorical cross-entropy. Weights start as
Keras's do (Glorot-uniform kernels, zero biases).
"""

import json
import os
import sys
import time

import torch
from torch import nn


def read_bytes(path):
    with open(path, "rb") as f:
        return bytearray(f.read())


def blas_libraries():
    """Paths of the BLAS libraries this process has mapped (Linux), e.g. Debian's
    reference libblas.so.3 or OpenBLAS; the bench names which one torch used."""
    try:
        with open("/proc/self/maps") as f:
            paths = {line.split()[-1] for line in f if "blas" in line.lower()}
    except OSError:
        return []
    return sorted(p for p in paths if p.startswith("/"))


def main():
    request = json.loads(sys.argv[1])
    task = request["task"]
    torch.set_num_threads(int(request.get("threads", 1)))
    torch.manual_seed(task["seed"])

    pixels = task["inputSize"]
    labels = read_bytes(os.path.join(request["dataDir"], "labels.u8"))
    images = read_bytes(os.path.join(request["dataDir"], "images.u8"))
    n = len(labels)
    if len(images) != n * pixels:
        raise ValueError(f"expected {n} x {pixels} image bytes, received {len(images)}")
    x = torch.frombuffer(images, dtype=torch.uint8).reshape(n, pixels).float().div_(255)
    y = torch.frombuffer(labels, dtype=torch.uint8).long()

    model = nn.Sequential(
        nn.Linear(pixels, task["hiddenUnits"]),
        nn.ReLU(),
        nn.Linear(task["hiddenUnits"], task["classes"]),
    )
    for layer in model:
        if isinstance(layer, nn.Linear):
            nn.init.xavier_uniform_(layer.weight)
            nn.init.zeros_(layer.bias)
    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(
        model.parameters(), lr=task["learningRate"], eps=task["epsilon"]
    )
    batch = task["batchSize"]
    print(f"pytorch: training on {n} examples", file=sys.stderr)

    start = time.perf_counter()
    for _ in range(task["epochs"]):
        loss_sum = 0.0
        correct = 0
        order = torch.randperm(n)
        for first in range(0, n, batch):
            rows = order[first : first + batch]
            xb = x[rows]
            yb = y[rows]
            optimizer.zero_grad(set_to_none=True)
            logits = model(xb)
            loss = loss_fn(logits, yb)
            loss.backward()
            optimizer.step()
            loss_sum += loss.item() * len(rows)
            correct += int((logits.argmax(dim=1) == yb).sum())
    seconds = time.perf_counter() - start

    print(
        json.dumps(
            {
                "version": torch.__version__,
                "threads": torch.get_num_threads(),
                "blas": blas_libraries(),
                "examples": n,
                "trainSeconds": seconds,
                "loss": loss_sum / n,
                "accuracy": correct / n,
            }
        )
    )


if __name__ == "__main__":
    main()
