/**
 * Python written into model.py when a layer needs more than one expression: Tessera's
 * formulas as small functions and `nn.Module`s, each only when the model uses it.
 *
 * BatchNormalization is not torch's: torch moves its running statistics by
 * `(1 - momentum)·running + momentum·batch` with the unbiased batch variance; Tessera
 * (as Keras) by `moving·momentum + batch·(1 - momentum)` with the biased one. When training
 * runs in several processes, the batch statistics are those of the whole global batch
 * (summed over every process's shard, with gradients flowing back through the sums),
 * as in Tessera's trainer: torch's SyncBatchNorm would need CUDA.
 */

/** Helper name → its Python text (top level of model.py). */
export const PYTHON_HELPERS: Readonly<Record<string, string>> = {
  relu_with_options: `def relu_with_options(x, max_value, negative_slope, threshold):
    """Tessera's ReLU layer: cap, slope below the threshold, threshold."""
    positive = F.relu(x) if threshold == 0 else x * (x > threshold).to(x.dtype)
    if max_value is not None:
        positive = positive.clamp(0.0, max_value)
    return positive - negative_slope * F.relu(threshold - x)
`,
  feature_shape: `def feature_shape(x, axis):
    """The shape that lines a per-feature vector up with \`axis\` of \`x\`."""
    axis = axis % x.dim()
    return axis, [-1 if i == axis else 1 for i in range(x.dim())]
`,
  BatchNormalization: `def global_moments(x, axis, shape):
    """Mean and biased variance of each feature over the batch: over every process's shard
    when training runs distributed, so all processes normalize with the global batch's."""
    dims = [i for i in range(x.dim()) if i != axis]
    distributed = dist.is_available() and dist.is_initialized() and dist.get_world_size() > 1
    if not distributed:
        mean = x.mean(dim=dims)
        return mean, ((x - mean.reshape(shape)) ** 2).mean(dim=dims)
    from torch.distributed.nn.functional import all_reduce  # sums with gradients
    count = torch.tensor([x.numel() // x.shape[axis]], dtype=x.dtype)
    sums = all_reduce(torch.cat([x.sum(dim=dims), count]))
    mean = sums[:-1] / sums[-1]
    squares = all_reduce(((x - mean.reshape(shape)) ** 2).sum(dim=dims))
    return mean, squares / sums[-1]


class BatchNormalization(nn.Module):
    """Tessera's BatchNormalization: batch statistics in training, moving ones otherwise;
    moving = moving·momentum + batch·(1 - momentum), with the biased batch variance."""

    def __init__(self, features, axis, momentum, epsilon, center, scale, trainable):
        super().__init__()
        self.axis, self.momentum, self.epsilon, self.trainable = axis, momentum, epsilon, trainable
        self.gamma = nn.Parameter(torch.ones(features), requires_grad=trainable) if scale else None
        self.beta = nn.Parameter(torch.zeros(features), requires_grad=trainable) if center else None
        self.register_buffer("moving_mean", torch.zeros(features))
        self.register_buffer("moving_variance", torch.ones(features))

    def forward(self, x):
        axis, shape = feature_shape(x, self.axis)
        if self.training and self.trainable:
            mean, variance = global_moments(x, axis, shape)
            with torch.no_grad():
                for moving, batch in ((self.moving_mean, mean), (self.moving_variance, variance)):
                    moving.copy_(moving * self.momentum + batch.detach() * (1 - self.momentum))
        else:
            mean, variance = self.moving_mean, self.moving_variance
        inv = torch.rsqrt(variance + self.epsilon)
        if self.gamma is not None:
            inv = inv * self.gamma
        offset = -(mean * inv)
        if self.beta is not None:
            offset = self.beta + offset
        return x * inv.reshape(shape) + offset.reshape(shape)
`,
  LayerNormalization: `class LayerNormalization(nn.Module):
    """Tessera's LayerNormalization: each example over its last axis, then gamma and beta."""

    def __init__(self, features, epsilon, center, scale, trainable):
        super().__init__()
        self.features, self.epsilon = features, epsilon
        self.gamma = nn.Parameter(torch.ones(features), requires_grad=trainable) if scale else None
        self.beta = nn.Parameter(torch.zeros(features), requires_grad=trainable) if center else None

    def forward(self, x):
        mean = x.mean(dim=-1, keepdim=True)
        variance = ((x - mean) ** 2).mean(dim=-1, keepdim=True)
        y = (x - mean) * torch.rsqrt(variance + self.epsilon)
        if self.gamma is not None:
            y = y * self.gamma
        if self.beta is not None:
            y = y + self.beta
        return y
`,
  Normalization: `class Normalization(nn.Module):
    """Tessera's Normalization: fixed (adapted) statistics, (x - mean) / max(sqrt(var), 1e-7),
    or mean + x·std when inverted. The statistics are buffers: training leaves them alone."""

    def __init__(self, features, axis, invert):
        super().__init__()
        self.axis, self.invert = axis, invert
        self.register_buffer("mean", torch.zeros(features))
        self.register_buffer("variance", torch.ones(features))

    def forward(self, x):
        _, shape = feature_shape(x, self.axis)
        mean = self.mean.reshape(shape)
        std = torch.clamp(torch.sqrt(self.variance), min=1e-7).reshape(shape)
        return mean + x * std if self.invert else (x - mean) / std
`,
  GaussianNoise: `class GaussianNoise(nn.Module):
    """Adds N(0, stddev²) noise in training; the identity otherwise."""

    def __init__(self, stddev):
        super().__init__()
        self.stddev = stddev

    def forward(self, x):
        return x + torch.randn_like(x) * self.stddev if self.training and self.stddev > 0 else x
`,
  GaussianDropout: `class GaussianDropout(nn.Module):
    """Multiplies by N(1, rate/(1 - rate)) noise in training; the identity otherwise."""

    def __init__(self, rate):
        super().__init__()
        self.rate = rate

    def forward(self, x):
        if not self.training or self.rate == 0:
            return x
        return x * (1 + torch.randn_like(x) * math.sqrt(self.rate / (1 - self.rate)))
`,
};

/** Helpers that need another helper written before them. */
export const HELPER_NEEDS: Readonly<Record<string, readonly string[]>> = {
  BatchNormalization: ['feature_shape'],
  Normalization: ['feature_shape'],
};
