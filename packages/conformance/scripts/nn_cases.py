"""Fixtures for flint.nn: every layer run with fixed weights, every loss with each option, attention.

Layers are recorded by layer_case.py's layer_case: their parameters are extra inputs of the case.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from common import Fixture, arr, pos
from layer_case import layer_recorder

fx = Fixture('nn')
case = fx.case

layer_case = layer_recorder(fx)


grad_case = fx.second_derivative


# ---- Linear, Conv2d, pooling ----------------------------------------------------------------------
lin_w, lin_b = arr(4, 6, seed=1) * 0.4, arr(4, seed=2)
layer_case('Linear', 'Linear', nn.Linear(6, 4), [arr(3, 6)], {'weight': lin_w, 'bias': lin_b}, {'inFeatures': 6, 'outFeatures': 4, 'bias': True})
layer_case('Linear no bias, 3-D input', 'Linear', nn.Linear(6, 4, bias=False), [arr(2, 3, 6)], {'weight': lin_w}, {'inFeatures': 6, 'outFeatures': 4, 'bias': False})
layer_case('Linear 1-D input', 'Linear', nn.Linear(6, 4), [arr(6)], {'weight': lin_w, 'bias': lin_b}, {'inFeatures': 6, 'outFeatures': 4, 'bias': True})

conv_cfgs = [
    {'kernel': 3, 'stride': 1, 'padding': 1, 'dilation': 1, 'groups': 1, 'bias': True},
    {'kernel': 3, 'stride': 2, 'padding': 0, 'dilation': 1, 'groups': 1, 'bias': False},
    {'kernel': 3, 'stride': 1, 'padding': 'same', 'dilation': 2, 'groups': 1, 'bias': True},
    {'kernel': [3, 1], 'stride': [2, 1], 'padding': [1, 0], 'dilation': 1, 'groups': 2, 'bias': True},
]
for cfg in conv_cfgs:
    conv = nn.Conv2d(4, 6, cfg['kernel'], stride=cfg['stride'], padding=cfg['padding'], dilation=cfg['dilation'], groups=cfg['groups'], bias=cfg['bias'])
    params = {'weight': arr(*conv.weight.shape, seed=3) * 0.3}
    if cfg['bias']:
        params['bias'] = arr(6, seed=4)
    layer_case(f'Conv2d {cfg}', 'Conv2d', conv, [arr(2, 4, 7, 6)], params, {'inChannels': 4, 'outChannels': 6, **cfg})

# The other convolutions as modules, with torch's arguments as the module's constructor takes them.
conv_modules = [
    ('Conv2d reflect padding', nn.Conv2d(4, 6, 3, padding=1, padding_mode='reflect'), [arr(2, 4, 7, 6)], {'padding': 1, 'paddingMode': 'reflect'}),
    ('Conv2d circular padding', nn.Conv2d(4, 6, 3, padding=(2, 1), padding_mode='circular', bias=False), [arr(2, 4, 7, 6)], {'padding': [2, 1], 'paddingMode': 'circular', 'bias': False}),
    ('Conv2d replicate unbatched', nn.Conv2d(4, 6, 3, padding=1, padding_mode='replicate'), [arr(4, 7, 6)], {'padding': 1, 'paddingMode': 'replicate'}),
    ('Conv1d', nn.Conv1d(4, 6, 3, stride=2, padding=1, groups=2), [arr(2, 4, 9)], {'stride': 2, 'padding': 1, 'groups': 2}),
    ('Conv1d even kernel reflect', nn.Conv1d(4, 6, 4, padding=2, padding_mode='reflect'), [arr(2, 4, 9)], {'padding': 2, 'paddingMode': 'reflect'}),
    ('Conv3d', nn.Conv3d(4, 6, 3, stride=2, padding=1), [arr(2, 4, 5, 6, 7)], {'stride': 2, 'padding': 1}),
    ('Conv3d replicate groups', nn.Conv3d(4, 6, (2, 3, 3), padding=(1, 1, 0), padding_mode='replicate', groups=2, bias=False), [arr(2, 4, 4, 5, 6)],
     {'padding': [1, 1, 0], 'paddingMode': 'replicate', 'groups': 2, 'bias': False}),
    ('ConvTranspose2d', nn.ConvTranspose2d(4, 6, 4, stride=2, padding=1), [arr(2, 4, 3, 5)], {'stride': 2, 'padding': 1}),
    ('ConvTranspose2d output padding groups', nn.ConvTranspose2d(4, 6, 3, stride=2, output_padding=1, groups=2, bias=False), [arr(2, 4, 3, 5)],
     {'stride': 2, 'outputPadding': 1, 'groups': 2, 'bias': False}),
    ('ConvTranspose1d', nn.ConvTranspose1d(4, 6, 3, stride=3, padding=1, output_padding=2, dilation=1), [arr(2, 4, 5)], {'stride': 3, 'padding': 1, 'outputPadding': 2}),
]
for name, module, xs, kw in conv_modules:
    params = {'weight': arr(*module.weight.shape, seed=3) * 0.3}
    if module.bias is not None:
        params['bias'] = arr(*module.bias.shape, seed=4)
    kernel = list(module.kernel_size)
    layer_case(name, type(module).__name__ + 'Module', module, xs, params,
               {'inChannels': module.in_channels, 'outChannels': module.out_channels, 'kernel': kernel, **kw})

# Resampling modules (their functions have fixtures of their own in resample_cases.py).
img = arr(2, 4, 3, 5)
layer_case('Upsample nearest scale 2', 'Upsample', nn.Upsample(scale_factor=2), [img], args={'scaleFactor': 2})
layer_case('Upsample bilinear size alignCorners', 'Upsample', nn.Upsample(size=(4, 7), mode='bilinear', align_corners=True), [img],
           args={'size': [4, 7], 'mode': 'bilinear', 'alignCorners': True})
layer_case('Upsample bicubic scale 1.5', 'Upsample', nn.Upsample(scale_factor=1.5, mode='bicubic'), [img], args={'scaleFactor': 1.5, 'mode': 'bicubic'})
layer_case('PixelShuffle', 'PixelShuffle', nn.PixelShuffle(2), [img], args={'factor': 2})
layer_case('PixelUnshuffle', 'PixelUnshuffle', nn.PixelUnshuffle(2), [arr(2, 3, 4, 6)], args={'factor': 2})
layer_case('Unfold', 'Unfold', nn.Unfold(2, padding=1, stride=2), [img], args={'kernel': 2, 'options': {'padding': 1, 'stride': 2}})
layer_case('Fold', 'Fold', nn.Fold((4, 5), 2, dilation=1), [arr(2, 16, 12)], args={'outputSize': [4, 5], 'kernel': 2, 'options': {}})

pool_in = arr(2, 3, 7, 8)
layer_case('MaxPool2d 2', 'MaxPool2d', nn.MaxPool2d(2), [pool_in], args={'kernel': 2})
layer_case('MaxPool2d 3 stride 2 padding 1 ceil', 'MaxPool2d', nn.MaxPool2d(3, 2, 1, ceil_mode=True), [pool_in], args={'kernel': 3, 'stride': 2, 'padding': 1, 'ceilMode': True})
layer_case('AvgPool2d 2', 'AvgPool2d', nn.AvgPool2d(2), [pool_in], args={'kernel': 2})
layer_case('AvgPool2d 3 stride 2 padding 1 excluding pad', 'AvgPool2d', nn.AvgPool2d(3, 2, 1, count_include_pad=False), [pool_in],
           args={'kernel': 3, 'stride': 2, 'padding': 1, 'countIncludePad': False})
for size in [1, [3, 3], [5, 3]]:
    layer_case(f'AdaptiveAvgPool2d {size}', 'AdaptiveAvgPool2d', nn.AdaptiveAvgPool2d(size), [pool_in], args={'size': size})

# ---- normalisation ---------------------------------------------------------------------------------
bn_params = {'weight': pos(4, seed=5), 'bias': arr(4, seed=6)}
bn_stats = {'running_mean': arr(4, seed=7) * 0.5, 'running_var': pos(4, seed=8)}
for op, shape in [('BatchNorm1d', (5, 4)), ('BatchNorm1d', (3, 4, 5)), ('BatchNorm2d', (2, 4, 3, 3))]:
    ctor = getattr(nn, op)
    x = arr(*shape) * 2 + 0.5
    layer_case(f'{op} {shape} train', op, ctor(4), [x], bn_params, {'features': 4}, train=True)
    layer_case(f'{op} {shape} eval', op, ctor(4), [x], {**bn_params, **bn_stats}, {'features': 4})
    layer_case(f'{op} {shape} train no affine', op, ctor(4, affine=False), [x], {}, {'features': 4, 'affine': False}, train=True)
layer_case('BatchNorm2d eval without running stats', 'BatchNorm2d', nn.BatchNorm2d(4, track_running_stats=False), [arr(2, 4, 3, 3)], bn_params,
           {'features': 4, 'trackRunningStats': False})


def running_stats(momentum, batches):
    """The running mean and variance (concatenated) after training forwards on `batches`."""
    def run(call, *xs):
        for x in xs:
            call(x)
        return torch.cat([bn.running_mean, bn.running_var])
    bn = nn.BatchNorm2d(4, momentum=momentum)
    layer_case(f'BatchNorm2d running stats momentum={momentum}', 'BatchNorm2dRunningStats', bn, batches, args={'features': 4, 'momentum': momentum},
               train=True, grad=False, run=run)


running_stats(0.1, [arr(2, 4, 3, 3) * 2 + 0.5])
running_stats(None, [arr(2, 4, 3, 3) * 2 + 0.5, arr(3, 4, 2, 2, seed=9) - 1])

layer_case('LayerNorm 6', 'LayerNorm', nn.LayerNorm(6), [arr(3, 6) * 3], {'weight': pos(6, seed=1), 'bias': arr(6, seed=2)}, {'shape': [6]})
layer_case('LayerNorm [3, 6] eps', 'LayerNorm', nn.LayerNorm([3, 6], eps=1e-3), [arr(2, 3, 6)], {'weight': pos(3, 6, seed=1), 'bias': arr(3, 6, seed=2)},
           {'shape': [3, 6], 'eps': 1e-3})
layer_case('LayerNorm no affine', 'LayerNorm', nn.LayerNorm(6, elementwise_affine=False), [arr(2, 3, 6)], {}, {'shape': [6], 'elementwiseAffine': False})
layer_case('GroupNorm 2 groups', 'GroupNorm', nn.GroupNorm(2, 4), [arr(2, 4, 3, 3) * 2], {'weight': pos(4, seed=3), 'bias': arr(4, seed=4)}, {'groups': 2, 'channels': 4})
layer_case('GroupNorm no affine, 3-D input', 'GroupNorm', nn.GroupNorm(3, 6, affine=False), [arr(2, 6, 5)], {}, {'groups': 3, 'channels': 6, 'affine': False})

# ---- embedding, shape, dropout, activations, containers ------------------------------------------------
tokens = torch.tensor([[0, 2, 4], [4, 1, 0]])
layer_case('Embedding', 'Embedding', nn.Embedding(5, 3), [tokens], {'weight': arr(5, 3)}, {'num': 5, 'dim': 3})
layer_case('Embedding paddingIdx', 'Embedding', nn.Embedding(5, 3, padding_idx=0), [tokens], {'weight': arr(5, 3)}, {'num': 5, 'dim': 3, 'paddingIdx': 0})
layer_case('Embedding negative paddingIdx', 'Embedding', nn.Embedding(5, 3, padding_idx=-1), [tokens], {'weight': arr(5, 3)}, {'num': 5, 'dim': 3, 'paddingIdx': -1})
layer_case('Flatten default', 'Flatten', nn.Flatten(), [arr(2, 3, 4, 2)])
layer_case('Flatten 0..2', 'Flatten', nn.Flatten(0, 2), [arr(2, 3, 4, 2)], args={'start': 0, 'end': 2})
layer_case('Identity', 'Identity', nn.Identity(), [arr(2, 3)])
layer_case('Dropout eval', 'Dropout', nn.Dropout(0.5), [arr(3, 4)], args={'p': 0.5})
layer_case('Dropout p=0 train', 'Dropout', nn.Dropout(0.0), [arr(3, 4)], args={'p': 0.0}, train=True)

act_in = arr(3, 5) * 3
for op, layer, args in [
    ('ReLU', nn.ReLU(), {}), ('LeakyReLU', nn.LeakyReLU(0.2), {'slope': 0.2}), ('GELU', nn.GELU(), {}),
    ('GELU', nn.GELU(approximate='tanh'), {'approximate': 'tanh'}), ('SiLU', nn.SiLU(), {}), ('Sigmoid', nn.Sigmoid(), {}),
    ('Tanh', nn.Tanh(), {}), ('Softmax', nn.Softmax(dim=1), {'dim': 1}), ('LogSoftmax', nn.LogSoftmax(dim=0), {'dim': 0}),
]:
    layer_case(f'{op} {args}', op, layer, [act_in], args=args)

seq = nn.Sequential(nn.Linear(6, 5), nn.Tanh(), nn.Linear(5, 3))
layer_case('Sequential Linear-Tanh-Linear', 'Sequential', seq, [arr(4, 6)],
           {'0.weight': arr(5, 6, seed=1) * 0.4, '0.bias': arr(5, seed=2) * 0.5, '2.weight': arr(3, 5, seed=3) * 0.4, '2.bias': arr(3, seed=4)})

# ---- attention ------------------------------------------------------------------------------------
E, H = 8, 2  # head dim 4: the 1/sqrt(4) scale is exact in float32


def mha_params(bias=True):
    p = {'in_proj_weight': arr(3 * E, E, seed=1) * 0.3}
    if bias:
        p['in_proj_bias'] = arr(3 * E, seed=2) * 0.2
    p['out_proj.weight'] = arr(E, E, seed=3) * 0.3
    if bias:
        p['out_proj.bias'] = arr(E, seed=4) * 0.2
    return p


def mha_case(name, xs, names, kw=None, ctor=None, output='output', torch_kw=None):
    """MultiheadAttention on inputs `xs` named `names` (query, key, value, keyPaddingMask, attnMask);
    `kw` are flint's forward options, `torch_kw` torch's extra ones where they differ."""
    ctor = ctor or {}
    layer = nn.MultiheadAttention(E, H, dropout=ctor.get('dropout', 0.0), bias=ctor.get('bias', True), batch_first=ctor.get('batchFirst', False))
    kw = kw or {}

    def run(call, *ts):
        named = dict(zip(names, ts))
        q = named['query']
        k = named.get('key', q)
        v = named.get('value', k)
        options = {'key_padding_mask': named.get('keyPaddingMask'), 'attn_mask': named.get('attnMask'),
                   'need_weights': kw.get('needWeights', True), 'average_attn_weights': kw.get('averageAttnWeights', True), **(torch_kw or {})}
        out, w = call(q, k, v, **options)
        return out if output == 'output' else w
    layer_case(name, 'MultiheadAttention', layer, xs, mha_params(ctor.get('bias', True)),
               {'embedDim': E, 'numHeads': H, 'inputs': names, 'output': output, 'options': kw, 'ctor': ctor}, run=run)


L, S, N = 5, 3, 2
q, kv = arr(L, N, E), arr(S, N, E, seed=5)
padding = torch.tensor([[False, False, True], [False, False, False]])
causal = torch.ones(L, L, dtype=torch.bool).triu(1)
for output in ['output', 'weights']:
    mha_case(f'MHA self-attention {output}', [q], ['query'], output=output)
    mha_case(f'MHA cross-attention {output}', [q, kv, arr(S, N, E, seed=6)], ['query', 'key', 'value'], output=output)
    mha_case(f'MHA key padding mask {output}', [q, kv, padding], ['query', 'key', 'keyPaddingMask'], output=output)
    mha_case(f'MHA per-head weights {output}', [q, kv], ['query', 'key'], {'averageAttnWeights': False}, output=output)
mha_case('MHA float key padding mask', [q, kv, torch.tensor([[0.0, -1.0, -float('inf')], [0.5, 0.0, 0.0]])], ['query', 'key', 'keyPaddingMask'])
mha_case('MHA bool attn mask', [q, causal], ['query', 'attnMask'])
mha_case('MHA isCausal', [q], ['query'], {'isCausal': True}, torch_kw={'attn_mask': causal})
mha_case('MHA float attn mask', [q, kv, arr(L, S, seed=7)], ['query', 'key', 'attnMask'])
mha_case('MHA 3-D float attn mask', [q, kv, arr(N * H, L, S, seed=7)], ['query', 'key', 'attnMask'])
mha_case('MHA bool attn mask and key padding mask', [q, kv, padding, torch.tensor([[False, True, False]] * L)], ['query', 'key', 'keyPaddingMask', 'attnMask'])
mha_case('MHA needWeights false', [q, kv], ['query', 'key'], {'needWeights': False})
mha_case('MHA batchFirst', [arr(N, L, E), arr(N, S, E, seed=5), padding], ['query', 'key', 'keyPaddingMask'], ctor={'batchFirst': True})
mha_case('MHA batchFirst weights', [arr(N, L, E), arr(N, S, E, seed=5)], ['query', 'key'], ctor={'batchFirst': True}, output='weights')
mha_case('MHA unbatched', [arr(L, E), arr(S, E, seed=5), torch.tensor([False, True, False])], ['query', 'key', 'keyPaddingMask'])
mha_case('MHA unbatched weights', [arr(L, E), arr(S, E, seed=5)], ['query', 'key'], output='weights')
mha_case('MHA no bias', [q, kv], ['query', 'key'], ctor={'bias': False})
mha_case('MHA dropout in eval', [q], ['query'], ctor={'dropout': 0.5})


def encoder_params(d, ff):
    p = {f'self_attn.{k}': v for k, v in mha_params().items()}
    p.update({'linear1.weight': arr(ff, d, seed=11) * 0.3, 'linear1.bias': arr(ff, seed=12) * 0.2, 'linear2.weight': arr(d, ff, seed=13) * 0.3,
              'linear2.bias': arr(d, seed=14) * 0.2, 'norm1.weight': pos(d, seed=15), 'norm1.bias': arr(d, seed=16) * 0.2,
              'norm2.weight': pos(d, seed=17), 'norm2.bias': arr(d, seed=18) * 0.2})
    return p


def encoder(name, ctor, x, masks=(), flint_kw=None, torch_kw=None):
    """TransformerEncoderLayer in eval mode (dropout off); `masks` are (flint name, torch name, tensor)."""
    layer = nn.TransformerEncoderLayer(E, H, dim_feedforward=16, activation=ctor.get('activation', 'relu'), batch_first=ctor.get('batchFirst', False),
                                       norm_first=ctor.get('normFirst', False))

    def run(call, src, *ms):
        return call(src, **{m[1]: t for m, t in zip(masks, ms)}, **(torch_kw or {}))
    layer_case(name, 'TransformerEncoderLayer', layer, [x, *(m[2] for m in masks)], encoder_params(E, 16),
               {'ctor': ctor, 'inputs': ['src', *(m[0] for m in masks)], 'options': flint_kw or {}}, run=run)


src = arr(L, N, E)
encoder('TransformerEncoderLayer post-norm relu', {}, src)
encoder('TransformerEncoderLayer pre-norm gelu', {'normFirst': True, 'activation': 'gelu'}, src)
encoder('TransformerEncoderLayer batchFirst with padding', {'batchFirst': True}, arr(N, L, E),
        [('srcKeyPaddingMask', 'src_key_padding_mask', torch.tensor([[False] * 4 + [True], [False] * 5]))])
encoder('TransformerEncoderLayer src mask', {}, src, [('srcMask', 'src_mask', arr(L, L, seed=3))])
encoder('TransformerEncoderLayer isCausal', {'normFirst': True}, src, flint_kw={'isCausal': True}, torch_kw={'src_mask': causal})


def sdpa(q, k, v, mask=None, causal=False, scale=None):
    """PyTorch 2's scaled_dot_product_attention, written out (PyTorch 1.13 lacks it)."""
    scores = q @ k.transpose(-2, -1) * (scale if scale is not None else 1 / math.sqrt(q.shape[-1]))
    if causal:
        mask = torch.ones(q.shape[-2], k.shape[-2], dtype=torch.bool).tril()
    if mask is not None:
        scores = scores + (torch.zeros_like(scores).masked_fill(~mask, -float('inf')) if mask.dtype == torch.bool else mask)
    return scores.softmax(-1) @ v


sq, sk, sv = arr(2, 3, 5, 4), arr(2, 3, 6, 4, seed=1), arr(2, 3, 6, 5, seed=2)
keep = torch.tensor([[True] * 4 + [False] * 2] * 5)
case('scaledDotProductAttention', 'scaledDotProductAttention', [sq, sk, sv], fn=sdpa)
case('scaledDotProductAttention bool mask', 'scaledDotProductAttention', [sq, sk, sv, keep], fn=lambda a, b, c, m: sdpa(a, b, c, m))
case('scaledDotProductAttention float mask', 'scaledDotProductAttention', [sq, sk, sv, arr(5, 6, seed=3)], fn=lambda a, b, c, m: sdpa(a, b, c, m))
case('scaledDotProductAttention isCausal scale', 'scaledDotProductAttention', [sq, arr(2, 3, 5, 4, seed=1), arr(2, 3, 5, 5, seed=2)],
     {'isCausal': True, 'scale': 0.3}, fn=lambda a, b, c: sdpa(a, b, c, causal=True, scale=0.3))

# ---- losses ---------------------------------------------------------------------------------------
logits = arr(4, 5) * 2
labels = torch.tensor([1, 0, 4, 2])
labels_ignored = torch.tensor([1, -100, 4, 2])
class_w = pos(5, seed=3)
probs = (arr(4, 5, seed=4) * 2).softmax(1)


def loss_case(name, op, inputs, args, torch_fn):
    """A loss module's forward. The trailing weight inputs (args 'weight' / 'posWeight') are detached:
    PyTorch allows no gradient for them."""
    n = sum(1 for k in ('weight', 'posWeight') if args.get(k))

    def fn(*ts):
        return torch_fn(*ts[:len(ts) - n], *(t.detach() for t in ts[len(ts) - n:]))
    case(name, op, inputs, args, fn=fn)


for red in ['mean', 'sum', 'none']:
    loss_case(f'CrossEntropyLoss {red}', 'CrossEntropyLoss', [logits, labels], {'reduction': red}, lambda x, t: F.cross_entropy(x, t, reduction=red))
    loss_case(f'CrossEntropyLoss weight {red}', 'CrossEntropyLoss', [logits, labels, class_w], {'reduction': red, 'weight': True},
              lambda x, t, w: F.cross_entropy(x, t, weight=w, reduction=red))
    loss_case(f'CrossEntropyLoss ignoreIndex weight {red}', 'CrossEntropyLoss', [logits, labels_ignored, class_w], {'reduction': red, 'weight': True},
              lambda x, t, w: F.cross_entropy(x, t, weight=w, reduction=red))
    loss_case(f'CrossEntropyLoss labelSmoothing ignoreIndex {red}', 'CrossEntropyLoss', [logits, labels_ignored], {'reduction': red, 'labelSmoothing': 0.1},
              lambda x, t: F.cross_entropy(x, t, label_smoothing=0.1, reduction=red))
    loss_case(f'CrossEntropyLoss labelSmoothing weight ignoreIndex {red}', 'CrossEntropyLoss', [logits, labels_ignored, class_w],
              {'reduction': red, 'labelSmoothing': 0.2, 'weight': True}, lambda x, t, w: F.cross_entropy(x, t, weight=w, label_smoothing=0.2, reduction=red))
    loss_case(f'CrossEntropyLoss probabilities {red}', 'CrossEntropyLoss', [logits, probs], {'reduction': red}, lambda x, t: F.cross_entropy(x, t, reduction=red))
    loss_case(f'CrossEntropyLoss probabilities weight labelSmoothing {red}', 'CrossEntropyLoss', [logits, probs, class_w],
              {'reduction': red, 'labelSmoothing': 0.1, 'weight': True}, lambda x, t, w: F.cross_entropy(x, t, weight=w, label_smoothing=0.1, reduction=red))
    loss_case(f'CrossEntropyLoss [N, C, d] weight {red}', 'CrossEntropyLoss', [arr(2, 5, 3) * 2, torch.tensor([[0, 4, 2], [1, 1, -100]]), class_w],
              {'reduction': red, 'weight': True}, lambda x, t, w: F.cross_entropy(x, t, weight=w, reduction=red))
    loss_case(f'NLLLoss weight ignoreIndex {red}', 'NLLLoss', [logits.log_softmax(1), torch.tensor([1, 3, 4, 3]), class_w],
              {'reduction': red, 'weight': True, 'ignoreIndex': 3}, lambda x, t, w: F.nll_loss(x, t, weight=w, ignore_index=3, reduction=red))
    loss_case(f'NLLLoss [N, C, d1, d2] {red}', 'NLLLoss', [arr(2, 5, 2, 2), torch.tensor([[[0, 4], [2, 2]], [[1, 3], [0, 4]]])], {'reduction': red},
              lambda x, t: F.nll_loss(x, t, reduction=red))
    loss_case(f'MSELoss {red}', 'MSELoss', [arr(3, 4), arr(3, 4, seed=1)], {'reduction': red}, lambda x, t: F.mse_loss(x, t, reduction=red))
    loss_case(f'L1Loss {red}', 'L1Loss', [arr(3, 4), arr(3, 4, seed=1)], {'reduction': red}, lambda x, t: F.l1_loss(x, t, reduction=red))
    loss_case(f'BCELoss weight {red}', 'BCELoss', [arr(3, 4).sigmoid(), pos(3, 4, seed=1) / 3, pos(4, seed=2)], {'reduction': red, 'weight': True},
              lambda x, t, w: F.binary_cross_entropy(x, t, weight=w, reduction=red))
    loss_case(f'BCEWithLogitsLoss posWeight weight {red}', 'BCEWithLogitsLoss', [arr(3, 4) * 3, pos(3, 4, seed=1) / 3, pos(4, seed=2), pos(4, seed=3)],
              {'reduction': red, 'weight': True, 'posWeight': True}, lambda x, t, w, pw: F.binary_cross_entropy_with_logits(x, t, weight=w, pos_weight=pw, reduction=red))
    loss_case(f'KLDivLoss {red}', 'KLDivLoss', [probs.log(), (arr(4, 5, seed=9)).softmax(1)], {'reduction': red}, lambda x, t: F.kl_div(x, t, reduction=red))

loss_case('CrossEntropyLoss unbatched', 'CrossEntropyLoss', [arr(5), torch.tensor(3)], {}, lambda x, t: F.cross_entropy(x, t))
loss_case('CrossEntropyLoss custom ignoreIndex', 'CrossEntropyLoss', [logits, labels], {'ignoreIndex': 4}, lambda x, t: F.cross_entropy(x, t, ignore_index=4))
loss_case('CrossEntropyLoss [N, C, d] probabilities', 'CrossEntropyLoss', [arr(2, 5, 3), (arr(2, 5, 3, seed=2) * 2).softmax(1)], {},
          lambda x, t: F.cross_entropy(x, t))
loss_case('CrossEntropyLoss large logits', 'CrossEntropyLoss', [torch.tensor([[100.0, -100.0, 0.0], [-80.0, 90.0, 85.0]]), torch.tensor([1, 2])], {},
          lambda x, t: F.cross_entropy(x, t))
for beta in [1.0, 0.5, 0.0]:
    loss_case(f'SmoothL1Loss beta={beta}', 'SmoothL1Loss', [arr(3, 4), arr(3, 4, seed=1)], {'beta': beta}, lambda x, t: F.smooth_l1_loss(x, t, beta=beta))
for delta in [1.0, 2.0, 0.3]:
    loss_case(f'HuberLoss delta={delta}', 'HuberLoss', [arr(3, 4), arr(3, 4, seed=1)], {'delta': delta, 'reduction': 'sum'},
              lambda x, t: F.huber_loss(x, t, delta=delta, reduction='sum'))
loss_case('BCELoss saturated inputs', 'BCELoss', [torch.tensor([0.0, 1.0, 0.0, 1.0, 0.5, 1e-30]), torch.tensor([0.0, 1.0, 1.0, 0.0, 0.25, 1.0])], {},
          lambda x, t: F.binary_cross_entropy(x, t))
loss_case('BCEWithLogitsLoss extreme logits', 'BCEWithLogitsLoss', [torch.tensor([-60.0, -20.0, 0.0, 0.0, 25.0, 90.0]), torch.tensor([1.0, 0.0, 1.0, 0.3, 0.0, 1.0])], {},
          lambda x, t: F.binary_cross_entropy_with_logits(x, t))
loss_case('BCEWithLogitsLoss posWeight per class', 'BCEWithLogitsLoss', [arr(3, 4) * 3, (pos(3, 4, seed=1) > 1.5).float(), pos(4, seed=3)], {'posWeight': True},
          lambda x, t, pw: F.binary_cross_entropy_with_logits(x, t, pos_weight=pw))
loss_case('KLDivLoss batchmean', 'KLDivLoss', [probs.log(), arr(4, 5, seed=9).softmax(1)], {'reduction': 'batchmean'}, lambda x, t: F.kl_div(x, t, reduction='batchmean'))
loss_case('KLDivLoss logTarget batchmean', 'KLDivLoss', [probs.log(), arr(4, 5, seed=9).log_softmax(1)], {'reduction': 'batchmean', 'logTarget': True},
          lambda x, t: F.kl_div(x, t, reduction='batchmean', log_target=True))
case('KLDivLoss zero targets', 'KLDivLoss', [probs.log(), torch.tensor([[0.5, 0.5, 0.0, 0.0, 0.0]] * 4)], {'reduction': 'sum'},
     fn=lambda x, t: F.kl_div(x, t, reduction='sum'), grad=False)

# ---- second derivatives (the gradient, built with create_graph, differentiated again) --------------------
grad_case('d/dx CrossEntropyLoss labelSmoothing weight', 'CrossEntropyLoss', [logits, labels_ignored, class_w], {'labelSmoothing': 0.2, 'weight': True},
          lambda x, t, w: F.cross_entropy(x, t, weight=w.detach(), label_smoothing=0.2))
grad_case('d/dx CrossEntropyLoss probabilities', 'CrossEntropyLoss', [logits, probs], {}, lambda x, t: F.cross_entropy(x, t))
grad_case('d/dx BCELoss', 'BCELoss', [arr(3, 4).sigmoid(), pos(3, 4, seed=1) / 3], {}, lambda x, t: F.binary_cross_entropy(x, t))
grad_case('d/dx BCEWithLogitsLoss posWeight', 'BCEWithLogitsLoss', [arr(3, 4) * 3, pos(3, 4, seed=1) / 3, pos(4, seed=3)], {'posWeight': True},
          lambda x, t, pw: F.binary_cross_entropy_with_logits(x, t, pos_weight=pw.detach()))
grad_case('d/dx SmoothL1Loss', 'SmoothL1Loss', [arr(3, 4), arr(3, 4, seed=1)], {'beta': 0.5}, lambda x, t: F.smooth_l1_loss(x, t, beta=0.5))
grad_case('d/dx KLDivLoss', 'KLDivLoss', [probs.log(), arr(4, 5, seed=9).softmax(1)], {'reduction': 'batchmean'}, lambda x, t: F.kl_div(x, t, reduction='batchmean'))
grad_case('d/dx LayerNorm', 'LayerNorm', [arr(3, 6) * 3, pos(6, seed=1), arr(6, seed=2)], {'shape': [6], 'params': ['weight', 'bias'], 'train': False},
          lambda x, w, b: F.layer_norm(x, [6], w, b))
grad_case('d/dx GroupNorm', 'GroupNorm', [arr(2, 4, 3) * 2, pos(4, seed=3), arr(4, seed=4)], {'groups': 2, 'channels': 4, 'params': ['weight', 'bias'], 'train': False},
          lambda x, w, b: F.group_norm(x, 2, w, b))
grad_case('d/dx BatchNorm1d train', 'BatchNorm1d', [arr(5, 4) * 2 + 0.5, pos(4, seed=5), arr(4, seed=6)], {'features': 4, 'params': ['weight', 'bias'], 'train': True},
          lambda x, w, b: F.batch_norm(x, None, None, w, b, training=True))
grad_case('d/dx scaledDotProductAttention', 'scaledDotProductAttention', [sq, sk, sv], {}, sdpa)

fx.save()
