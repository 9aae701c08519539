"""Reads and writes a Tessera model's state in plain files PyTorch 1.13 + numpy load
without extra packages: ``weights.json`` (the manifest: model config, training settings,
and where each array lives) and ``weights.bin`` (little-endian float32, arrays back to back).

Arrays keep Tessera's layout (a Dense kernel is [inputs, units]); ``model.py`` knows which
PyTorch parameter each one becomes and transposes there, so a round trip copies bits only.
"""
import json
import os

import numpy as np

MANIFEST = "weights.json"
DATA = "weights.bin"
FORMAT = "tessera-pytorch"
VERSION = 1


def read_state(folder):
    """Returns (manifest, {name: float32 array}, {slot: {name: float32 array}})."""
    with open(os.path.join(folder, MANIFEST), encoding="utf-8") as f:
        manifest = json.load(f)
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise ValueError(f"{folder}: not a {FORMAT} v{VERSION} folder")
    blob = np.fromfile(os.path.join(folder, DATA), dtype="<f4")
    weights, slots = {}, {}
    for entry in manifest["arrays"]:
        count = int(np.prod(entry["shape"], dtype=np.int64))
        values = blob[entry["offset"]:entry["offset"] + count].reshape(entry["shape"])
        if entry["kind"] == "weight":
            weights[entry["name"]] = values
        else:
            slots.setdefault(entry["slot"], {})[entry["name"]] = values
    return manifest, weights, slots


def write_state(folder, manifest, weights, slots):
    """Writes the manifest and data; arrays in the order of ``weights`` (the model's order)."""
    os.makedirs(folder, exist_ok=True)
    arrays, chunks, offset = [], [], 0
    items = [("weight", None, name, w) for name, w in weights.items()]
    for slot, values in slots.items():
        items += [("slot", slot, name, values[name]) for name in weights]
    for kind, slot, name, values in items:
        values = np.ascontiguousarray(values, dtype="<f4")
        entry = {"kind": kind, "name": name, "shape": list(values.shape), "offset": offset}
        if slot is not None:
            entry["slot"] = slot
        arrays.append(entry)
        chunks.append(values.reshape(-1))
        offset += values.size
    body = dict(manifest, arrays=arrays)
    data = np.concatenate(chunks) if chunks else np.zeros(0, dtype="<f4")
    data.tofile(os.path.join(folder, DATA))
    with open(os.path.join(folder, MANIFEST), "w", encoding="utf-8") as f:
        json.dump(body, f, indent=1)
