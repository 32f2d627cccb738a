"""Faster eager torch calls for four Keras layers, with the same results.

Keras' torch backend implements its layers for every case at once, and in
the configurations a GAN uses most that costs time on every step (measured
with `benchmarks/torch_op_profile.py` on the benchmark DCGAN, see the docs'
Benchmarks page):

- `Conv2DTranspose` calls `torch.conv_transpose2d` with no padding, computing
  the largest possible output, and crops it afterwards (for a 7x7 "same"
  stride-1 5x5 layer that is an 11x11 output, 2.5x the work, forward and
  backward). Here the symmetric part of the crop is given to torch as
  `padding` (and a left-heavy remainder as `output_padding`), so only the
  outputs that are kept are computed.
- `Conv2D` and `Conv2DTranspose` copy channels-last inputs to contiguous
  channels-first memory and back. Here the input is handed to torch as a
  permuted view: oneDNN runs channels-last memory directly (often faster).
- `BatchNormalization` runs as separate element-wise operations; here it is
  torch's fused `batch_norm`, with the moving statistics updated exactly as
  Keras does (biased batch variance, Keras' momentum).
- `Dropout` without a seed calls `torch.nn.functional.dropout`, whose
  Bernoulli sampling is slow on CPU; here the keep-mask is
  `torch.rand_like(x) >= rate`, drawn from the same global generator, with
  the same distribution and scaling.

`accelerate(model)` replaces the `call` of each such layer *instance* inside
a model when its configuration is one the fast version covers (2-D,
channels-last, no dilation or groups, float32 batch normalization without
mask or renorm, unseeded dropout without `noise_shape`); every other layer
keeps Keras' code. Only the bound method of the instance changes: classes,
configs, weights and saved files are Keras' own. The results equal Keras'
up to float rounding (tests/test_fast_layers.py compares outputs,
gradients, second-order gradients and moving statistics). Set
`KERAS_GAN_FAST_LAYERS=0` to keep Keras' calls.
"""

import keras
import torch
from torch.nn import functional as F

from keras_gan.backend import fast_layers


# ------------------------------------------------------------------- helpers
def _same_padding(size, kernel, stride):
    """`(left, right)` zero padding of Keras' "same" convolution (TF's rule)."""
    out = -(-size // stride)
    total = max(0, (out - 1) * stride + kernel - size)
    return total // 2, total - total // 2


def _transpose_crops(kernel, stride, padding, output_padding):
    """`(left, right)` crop of the full transposed-convolution output.

    The full output of `(n - 1) * stride + kernel` is cut to Keras' size:
    `n * stride` for "same", `(n - 1) * stride + max(kernel, stride)` for
    "valid" (plus `output_padding` on the right where given). A negative
    crop means zero-padding, which the fast path does not take.
    """
    if padding == "valid":
        extra = max(kernel, stride) - kernel if output_padding is None else output_padding
        left, right = kernel - 1, kernel - 1 + extra
    else:
        if output_padding is None:
            total = stride + kernel - 2
        else:
            total = kernel + kernel % 2 - 2 + output_padding
        left = min(total // 2 + total % 2, kernel - 1)
        right = total - left
    return kernel - 1 - left, kernel - 1 - right


def _bias_and_activation(layer, outputs):
    if layer.use_bias:
        outputs = outputs + layer.bias.value
    if layer.activation is not None:
        return layer.activation(outputs)
    return outputs


# -------------------------------------------------------------- fast calls
def _conv2d_call(self, inputs):
    x = inputs.permute(0, 3, 1, 2)  # a view: channels-last memory, NCHW shape
    kernel = self.kernel.value.permute(3, 2, 0, 1)  # (kh, kw, in, out) -> (out, in, kh, kw)
    padding = 0
    if self.padding == "same":
        pads = [
            _same_padding(x.shape[2 + i], self.kernel_size[i], self.strides[i])
            for i in range(2)
        ]
        if all(left == right for left, right in pads):
            padding = [left for left, _ in pads]
        else:
            (top, bottom), (left, right) = pads
            x = F.pad(x, (left, right, top, bottom))
    y = F.conv2d(x, kernel, stride=self.strides, padding=padding)
    return _bias_and_activation(self, y.permute(0, 2, 3, 1))


def _conv2d_transpose_call(self, inputs):
    x = inputs.permute(0, 3, 1, 2)
    # Keras' (kh, kw, out, in) -> torch's (in, out, kh, kw).
    kernel = self.kernel.value.permute(3, 2, 0, 1)
    output_padding = self.output_padding or (None, None)
    crops = [
        _transpose_crops(self.kernel_size[i], self.strides[i], self.padding, output_padding[i])
        for i in range(2)
    ]
    # torch crops `padding` on both sides, then gives back `output_padding`
    # (< stride) on the right; what is left over is sliced off.
    pad, out_pad, cut = [], [], [slice(None), slice(None)]
    for (left, right), stride in zip(crops, self.strides):
        common = min(left, right)
        right_extra = left - right if 0 < left - right < stride else 0
        pad.append(common)
        out_pad.append(right_extra)
        start = left - common
        stop = right - common + right_extra
        cut.append(slice(start, -stop if stop else None))
    y = F.conv_transpose2d(x, kernel, stride=self.strides, padding=pad, output_padding=out_pad)
    y = y[tuple(cut)]
    return _bias_and_activation(self, y.permute(0, 2, 3, 1))


def _batch_norm_call(self, inputs, training=None, mask=None):
    if mask is not None or inputs.dtype != torch.float32 or (
        training and inputs.numel() == inputs.shape[-1]
    ):
        # Masks, other dtypes, and one value per channel (torch's fused
        # kernel refuses it; Keras normalises it to `beta`): Keras' call.
        return type(self).call(self, inputs, training=training, mask=mask)
    gamma = self.gamma.value if self.scale else None
    beta = self.beta.value if self.center else None
    x = inputs if inputs.ndim == 2 else inputs.movedim(-1, 1)
    if training and self.trainable:
        # With momentum 1, torch's kernel writes the batch mean and the
        # *unbiased* batch variance into the buffers it is given: the
        # statistics come from the same pass as the output (a separate
        # `var_mean` over channels-last memory cost more than the layer).
        channels = inputs.shape[-1]
        mean = torch.zeros(channels, dtype=inputs.dtype, device=inputs.device)
        unbiased = torch.ones(channels, dtype=inputs.dtype, device=inputs.device)
        y = F.batch_norm(x, mean, unbiased, gamma, beta, True, 1.0, self.epsilon)
        with torch.no_grad():
            n = inputs.numel() // channels
            variance = unbiased * ((n - 1) / n)  # Keras uses the biased one
            m = self.momentum
            self.moving_mean.assign(self.moving_mean.value * m + mean * (1.0 - m))
            self.moving_variance.assign(self.moving_variance.value * m + variance * (1.0 - m))
    else:
        y = F.batch_norm(
            x, self.moving_mean.value, self.moving_variance.value, gamma, beta,
            False, 0.0, self.epsilon,
        )
    return y if inputs.ndim == 2 else y.movedim(1, -1)


def _dropout_call(self, inputs, training=False):
    if training and self.rate > 0:
        if self.rate >= 1.0:
            return torch.zeros_like(inputs)
        keep = torch.rand_like(inputs) >= self.rate
        return inputs * keep * (1.0 / (1.0 - self.rate))
    return inputs


# ------------------------------------------------------------------ choice
def _fast_call(layer):
    """The fast `call` for `layer`, or None when Keras' own must run."""
    kind = type(layer)
    if kind is keras.layers.Conv2D:
        if (layer.data_format == "channels_last" and layer.groups == 1
                and tuple(layer.dilation_rate) == (1, 1)):
            return _conv2d_call
    elif kind is keras.layers.Conv2DTranspose:
        if layer.data_format != "channels_last" or tuple(layer.dilation_rate) != (1, 1):
            return None
        output_padding = layer.output_padding or (None, None)
        for i in range(2):
            left, right = _transpose_crops(
                layer.kernel_size[i], layer.strides[i], layer.padding, output_padding[i]
            )
            if left < 0 or right < 0:
                return None
        return _conv2d_transpose_call
    elif kind is keras.layers.BatchNormalization:
        if fast_layers.batch_norm_covered(layer):
            return _batch_norm_call
    elif kind is keras.layers.Dropout:
        if (layer.noise_shape is None and layer.rate > 0
                and getattr(layer, "seed", None) is None):
            return _dropout_call
    return None


COVERED = (keras.layers.Conv2D, keras.layers.Conv2DTranspose,
           keras.layers.BatchNormalization, keras.layers.Dropout)


def accelerate(model, enabled=True):
    """Gives every covered layer in `model` its fast call (see the module doc).

    Args:
        model: a built Keras model.
        enabled: `False` gives every layer Keras' call back
            (`KERAS_GAN_FAST_LAYERS` overrides it).

    Returns:
        The names of the layers whose `call` is the fast one.
    """
    return fast_layers.patch(model, _fast_call, covered=COVERED, requested=enabled)
