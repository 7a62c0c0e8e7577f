"""Fixtures for every tensor op of @flint/core: elementwise, reductions, views, matmul, conv, pooling, indexing."""
import math

import torch

from common import Fixture, arr, pos

fx = Fixture('ops')
case = fx.case

# ---- elementwise unary (including edge values) --------------------------------------------------
x = arr(3, 4)
edge = torch.tensor([0.0, -0.0, 1e-8, -3.5, 2.5, 0.5, -0.5, 1.5, 40.0, -40.0, float('nan'), float('inf'), float('-inf')])
unary = {
    'neg': torch.neg, 'abs': torch.abs, 'exp': torch.exp, 'sin': torch.sin, 'cos': torch.cos, 'tanh': torch.tanh,
    'sigmoid': torch.sigmoid, 'relu': torch.relu, 'silu': torch.nn.functional.silu, 'gelu': torch.nn.functional.gelu,
    'geluTanh': lambda t: torch.nn.functional.gelu(t, approximate='tanh'), 'softplus': torch.nn.functional.softplus,
    'erf': torch.erf, 'sign': torch.sign, 'floor': torch.floor, 'ceil': torch.ceil, 'round': torch.round,
    'leakyRelu': lambda t: torch.nn.functional.leaky_relu(t, 0.1),
}
for name, fn in unary.items():
    case(f'{name} values', name, [x], fn=fn)
    case(f'{name} edge values', name, [edge], fn=fn, grad=False)
for name, fn in {'log': torch.log, 'sqrt': torch.sqrt, 'rsqrt': torch.rsqrt, 'log1p': torch.log1p, 'reciprocal': torch.reciprocal}.items():
    case(f'{name} values', name, [pos(3, 4)], fn=fn)
    case(f'{name} edge values', name, [edge], fn=fn, grad=False)
case('softplus beta threshold', 'softplus', [x * 5], {'beta': 2, 'threshold': 3}, fn=lambda t: torch.nn.functional.softplus(t, beta=2, threshold=3))
case('clamp', 'clamp', [x], {'min': -0.5, 'max': 0.75}, fn=lambda t: torch.clamp(t, -0.5, 0.75))
case('clamp at bounds', 'clamp', [torch.tensor([-1.0, 0.0, 0.5, 1.0, 2.0])], {'min': 0.0, 'max': 1.0}, fn=lambda t: torch.clamp(t, 0.0, 1.0))

# ---- elementwise binary with broadcasting ------------------------------------------------------------
binary = {'add': torch.add, 'sub': torch.sub, 'mul': torch.mul, 'div': torch.div, 'maximum': torch.maximum, 'minimum': torch.minimum}
shapes = [((3, 4), (3, 4)), ((3, 4), (4,)), ((2, 1, 4), (3, 1)), ((1,), (2, 3))]
for name, fn in binary.items():
    for i, (sa, sb) in enumerate(shapes):
        case(f'{name} broadcast {sa} {sb}', name, [arr(*sa), arr(*sb, seed=3) + (3.0 if name == 'div' else 0.0)], fn=fn)
case('maximum ties', 'maximum', [torch.tensor([1.0, 2.0, 3.0]), torch.tensor([1.0, 5.0, 0.0])], fn=torch.maximum)
case('pow tensor tensor', 'pow', [pos(3, 4), arr(3, 4, seed=2)], fn=torch.pow)
case('pow scalar exponent', 'powScalar', [arr(3, 4)], {'exponent': 3}, fn=lambda t: torch.pow(t, 3))
case('pow zero base', 'pow', [torch.tensor([0.0, 0.0, 2.0]), torch.tensor([2.0, 0.0, 0.5])], fn=torch.pow)
case('add scalar alpha', 'addAlpha', [arr(2, 3), arr(2, 3, seed=5)], {'alpha': 2.5}, fn=lambda a, b: torch.add(a, b, alpha=2.5))
case('rsub scalar', 'rsubScalar', [arr(2, 3)], {'scalar': 1.5}, fn=lambda t: 1.5 - t)
case('where', 'where', [arr(3, 4), arr(4, seed=9)], fn=lambda a, b: torch.where(a > 0, a, b))

# ---- reductions ------------------------------------------------------------------------------------------
r = arr(2, 3, 4)
for dim in [None, 0, 1, 2, -1, [0, 2]]:
    for keep in [False, True]:
        if dim is None and keep:
            continue
        kw = {} if dim is None else {'dim': dim, 'keepdim': keep}
        case(f'sum dim={dim} keepdim={keep}', 'sum', [r], kw, fn=lambda t: t.sum(**kw) if kw else t.sum())
        case(f'mean dim={dim} keepdim={keep}', 'mean', [r], kw, fn=lambda t: t.mean(**kw) if kw else t.mean())
        case(f'var dim={dim} keepdim={keep}', 'var', [r], kw, fn=lambda t: t.var(**kw) if kw else t.var())
        case(f'amax dim={dim} keepdim={keep}', 'amax', [r], kw, fn=lambda t: t.amax(**kw) if kw else t.amax())
for dim in [0, 1, -1]:
    case(f'max dim={dim} values', 'maxValues', [r], {'dim': dim}, fn=lambda t: t.max(dim=dim).values)
    case(f'min dim={dim} values', 'minValues', [r], {'dim': dim}, fn=lambda t: t.min(dim=dim).values)
    case(f'argmax dim={dim}', 'argmax', [r], {'dim': dim}, fn=lambda t: t.argmax(dim=dim), grad=False)
    case(f'argmin dim={dim}', 'argmin', [r], {'dim': dim}, fn=lambda t: t.argmin(dim=dim), grad=False)
    case(f'prod dim={dim}', 'prod', [r], {'dim': dim}, fn=lambda t: t.prod(dim=dim))
    case(f'logsumexp dim={dim}', 'logsumexp', [r * 10], {'dim': dim}, fn=lambda t: t.logsumexp(dim=dim))
    case(f'softmax dim={dim}', 'softmax', [r * 5], {'dim': dim}, fn=lambda t: t.softmax(dim=dim))
    case(f'logSoftmax dim={dim}', 'logSoftmax', [r * 5], {'dim': dim}, fn=lambda t: t.log_softmax(dim=dim))
    case(f'cumsum dim={dim}', 'cumsum', [r], {'dim': dim}, fn=lambda t: t.cumsum(dim=dim))
case('prod with zeros', 'prod', [torch.tensor([[1.0, 0.0, 3.0], [2.0, 0.0, 0.0], [2.0, 3.0, 4.0]])], {'dim': 1}, fn=lambda t: t.prod(dim=1))
case('std correction 0', 'std', [r], {'dim': 1, 'correction': 0}, fn=lambda t: t.std(dim=1, unbiased=False))
case('max all', 'maxAll', [torch.tensor([[1.0, 3.0], [3.0, 2.0]])], fn=lambda t: t.max())

# ---- views on non-contiguous inputs ---------------------------------------------------------------------
v = arr(2, 3, 4)
case('permute then mul', 'permuteMul', [v], fn=lambda t: t.permute(2, 0, 1) * torch.arange(3.0).reshape(1, 1, 3))
case('transpose reshape', 'transposeReshape', [v], fn=lambda t: t.transpose(0, 2).reshape(4, 6))
case('slice with step', 'sliceStep', [v], fn=lambda t: t[:, 1:, ::2] * 2)
case('expand sum', 'expandSum', [arr(3, 1)], fn=lambda t: t.expand(3, 4) * arr(3, 4, seed=4))
case('cat dim 1', 'cat', [arr(2, 3), arr(2, 2, seed=1)], {'dim': 1}, fn=lambda a, b: torch.cat([a, b], 1))
case('stack dim 1', 'stack', [arr(2, 3), arr(2, 3, seed=1)], {'dim': 1}, fn=lambda a, b: torch.stack([a, b], 1))

# ---- matmul in its broadcasting forms ----------------------------------------------------------------
for sa, sb in [((3, 4), (4, 5)), ((4,), (4,)), ((4,), (4, 5)), ((3, 4), (4,)), ((2, 3, 4), (4, 5)), ((2, 3, 4), (2, 4, 5)),
               ((2, 1, 3, 4), (3, 4, 2)), ((4,), (2, 4, 3)), ((17, 33), (33, 9))]:
    case(f'matmul {sa} @ {sb}', 'matmul', [arr(*sa), arr(*sb, seed=2)], fn=torch.matmul)
case('matmul transposed operand', 'matmulT', [arr(5, 4), arr(3, 4, seed=2)], fn=lambda a, b: a @ b.T)

# ---- convolution and pooling -------------------------------------------------------------------------
conv_cfgs = [
    {'stride': 1, 'padding': 0, 'dilation': 1, 'groups': 1},
    {'stride': 2, 'padding': 1, 'dilation': 1, 'groups': 1},
    {'stride': 1, 'padding': 2, 'dilation': 2, 'groups': 1},
    {'stride': [2, 1], 'padding': [1, 0], 'dilation': 1, 'groups': 2},
]
for cfg in conv_cfgs:
    xin = arr(2, 4, 7, 6)
    w = arr(6, 4 // cfg['groups'], 3, 3, seed=3) * 0.5
    b = arr(6, seed=4)
    case(f'conv2d {cfg}', 'conv2d', [xin, w, b], cfg,
         fn=lambda xx, ww, bb: torch.nn.functional.conv2d(xx, ww, bb, stride=cfg['stride'], padding=cfg['padding'], dilation=cfg['dilation'], groups=cfg['groups']))
pool_in = arr(2, 3, 7, 8)
for cfg in [{'kernel': 2}, {'kernel': 3, 'stride': 2, 'padding': 1}, {'kernel': [2, 3], 'stride': [1, 2], 'dilation': 2}, {'kernel': 3, 'stride': 2, 'ceilMode': True}]:
    case(f'maxPool2d {cfg}', 'maxPool2d', [pool_in], cfg,
         fn=lambda t: torch.nn.functional.max_pool2d(t, cfg['kernel'], stride=cfg.get('stride'), padding=cfg.get('padding', 0), dilation=cfg.get('dilation', 1), ceil_mode=cfg.get('ceilMode', False)))
for cfg in [{'kernel': 2}, {'kernel': 3, 'stride': 2, 'padding': 1}, {'kernel': 3, 'stride': 2, 'padding': 1, 'countIncludePad': False},
            {'kernel': 3, 'stride': 2, 'ceilMode': True}, {'kernel': [3, 2], 'stride': [2, 3], 'padding': 1, 'ceilMode': True},
            {'kernel': 3, 'stride': 2, 'padding': 1, 'ceilMode': True, 'countIncludePad': False}, {'kernel': 2, 'stride': 2, 'ceilMode': True, 'divisorOverride': 3}]:
    case(f'avgPool2d {cfg}', 'avgPool2d', [pool_in], cfg,
         fn=lambda t: torch.nn.functional.avg_pool2d(t, cfg['kernel'], stride=cfg.get('stride'), padding=cfg.get('padding', 0), ceil_mode=cfg.get('ceilMode', False),
                                                     count_include_pad=cfg.get('countIncludePad', True), divisor_override=cfg.get('divisorOverride')))
seq = arr(2, 3, 11)
for cfg in [{'kernel': 3}, {'kernel': 3, 'stride': 2, 'padding': 1, 'dilation': 2}, {'kernel': 4, 'stride': 3, 'ceilMode': True}]:
    case(f'maxPool1d {cfg}', 'maxPool1d', [seq], cfg, fn=lambda t: torch.nn.functional.max_pool1d(
        t, cfg['kernel'], stride=cfg.get('stride'), padding=cfg.get('padding', 0), dilation=cfg.get('dilation', 1), ceil_mode=cfg.get('ceilMode', False)))
for cfg in [{'kernel': 3}, {'kernel': 3, 'stride': 2, 'padding': 1, 'countIncludePad': False}, {'kernel': 4, 'stride': 3, 'ceilMode': True}]:
    case(f'avgPool1d {cfg}', 'avgPool1d', [seq], cfg, fn=lambda t: torch.nn.functional.avg_pool1d(
        t, cfg['kernel'], stride=cfg.get('stride'), padding=cfg.get('padding', 0), ceil_mode=cfg.get('ceilMode', False), count_include_pad=cfg.get('countIncludePad', True)))
for size in [1, 4, 5]:
    case(f'adaptiveAvgPool1d {size}', 'adaptiveAvgPool1d', [seq], {'size': size}, fn=lambda t: torch.nn.functional.adaptive_avg_pool1d(t, size))
for name, src, kernel, kw, size in [('kernel 2', arr(2, 3, 6, 8), 2, {}, None), ('stride padding output size', arr(2, 3, 7, 7), 3, {'stride': 2, 'padding': 1}, [7, 7])]:
    values, where = torch.nn.functional.max_pool2d(src, kernel, return_indices=True, **kw)
    case(f'maxUnpool2d {name}', 'maxUnpool2d', [values, where.int()], {'kernel': kernel, **kw, **({'outputSize': size} if size else {})},
         fn=lambda v, i, k=kernel, kw=kw, size=size: torch.nn.functional.max_unpool2d(v, i.long(), k, output_size=size, **kw))
for size in [[1, 1], [3, 3], [4, 2], [5, 3], [None, 2]]:
    case(f'adaptiveMaxPool2d {size} values', 'adaptiveMaxPool2d', [pool_in], {'size': size}, fn=lambda t: torch.nn.functional.adaptive_max_pool2d(t, size))
    case(f'adaptiveMaxPool2d {size} indices', 'adaptiveMaxPool2dIndices', [pool_in], {'size': size},
         fn=lambda t: torch.nn.functional.adaptive_max_pool2d(t, size, return_indices=True)[1].int(), grad=False)
case('adaptiveMaxPool2d unbatched', 'adaptiveMaxPool2d', [arr(3, 7, 8)], {'size': [3, 5]}, fn=lambda t: torch.nn.functional.adaptive_max_pool2d(t, [3, 5]))
case('maxPool1d unbatched', 'maxPool1d', [arr(3, 11)], {'kernel': 2}, fn=lambda t: torch.nn.functional.max_pool1d(t, 2))
for size in [[1, 1], [3, 3], [4, 2], [5, 3]]:
    case(f'adaptiveAvgPool2d {size}', 'adaptiveAvgPool2d', [pool_in], {'size': size}, fn=lambda t: torch.nn.functional.adaptive_avg_pool2d(t, size))

# ---- indexing ------------------------------------------------------------------------------------------
g_idx = torch.tensor([[0, 2, 2], [1, 0, 0]])
case('gather dim 1', 'gather', [arr(2, 4), g_idx], {'dim': 1}, fn=lambda t, i: torch.gather(t, 1, i))
case('gather dim 0', 'gather', [arr(3, 3), torch.tensor([[2, 0, 1], [2, 2, 0]])], {'dim': 0}, fn=lambda t, i: torch.gather(t, 0, i))
case('scatterAdd dim 1 repeated', 'scatterAdd', [arr(2, 4), g_idx, arr(2, 3, seed=6)], {'dim': 1}, fn=lambda t, i, s: torch.scatter_add(t, 1, i, s))
case('indexSelect dim 0', 'indexSelect', [arr(4, 3), torch.tensor([3, 0, 3])], {'dim': 0}, fn=lambda t, i: torch.index_select(t, 0, i))
case('indexSelect dim 1', 'indexSelect', [arr(2, 4), torch.tensor([1, 1, 0])], {'dim': 1}, fn=lambda t, i: torch.index_select(t, 1, i))
case('embedding', 'embedding', [torch.tensor([[0, 2], [4, 2]]), arr(5, 3)], fn=lambda i, w: torch.nn.functional.embedding(i, w))

# ---- gradient accuracy where float32 formulas cancel -------------------------------------------------
# References run in float64 and round once to float32. Where even float64 would cancel (1 + erf or
# 1 - sigmoid in a far tail), they are written in a form that does not, so they are correctly rounded.
def in_double(fn):
    return lambda *ts: fn(*(t.double() for t in ts)).float()


def logistic(t):
    return 1 / (1 + torch.exp(-t))


def gelu_tail(t):
    return t * 0.5 * torch.special.erfc(-t / math.sqrt(2))


def gelu_tanh_tail(t):
    return t * logistic(2 * math.sqrt(2 / math.pi) * (t + 0.044715 * t ** 3))


steep = torch.cat([torch.linspace(4, 9, 41), -torch.linspace(4, 9, 41)])
large = torch.cat([torch.linspace(5, 30, 51), -torch.linspace(5, 30, 51)])
case('tanh gradient 4 <= |x| <= 9', 'tanh', [steep], fn=in_double(torch.tanh))
case('sigmoid gradient 5 <= |x| <= 30', 'sigmoid', [large], fn=in_double(logistic))
case('silu gradient 5 <= |x| <= 30', 'silu', [large], fn=in_double(lambda t: t * logistic(t)))
case('softplus gradient 5 <= |x| <= 30', 'softplus', [large], fn=in_double(torch.nn.functional.softplus))
case('gelu gradient -10 <= x <= -3', 'gelu', [torch.linspace(-10, -3, 57)], fn=in_double(gelu_tail))
case('geluTanh gradient -9 <= x <= -3', 'geluTanh', [torch.linspace(-9, -3, 49)], fn=in_double(gelu_tanh_tail))
case('erfc values', 'erfc', [torch.linspace(-3, 9, 49)], fn=in_double(torch.special.erfc))
case('cumsum long', 'cumsum', [arr(3000)], {'dim': 0}, fn=in_double(lambda t: t.cumsum(0)))
case('std constant slice', 'std', [torch.tensor([[1.5, 1.5, 1.5], [1.0, 2.0, 3.0]])], {'dim': 1}, fn=lambda t: t.std(dim=1))
nan = float('nan')
with_nan = [torch.tensor([1.0, nan, 3.0, nan, 2.0]), torch.tensor([2.0, 2.0, nan, nan, 2.0])]
case('maximum NaN', 'maximum', with_nan, fn=torch.maximum)
case('minimum NaN', 'minimum', with_nan, fn=torch.minimum)
case('relu NaN', 'relu', [torch.tensor([nan, -1.0, 0.0, 2.0])], fn=torch.relu)

fx.save()
