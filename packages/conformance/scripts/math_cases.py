"""Fixtures for the math ops and activations of @flint/core: inverse trigonometric and hyperbolic
functions, special functions, division with rounding, norms and distances, NaN-skipping reductions
and torch.nn.functional's activations, on edge values, broadcast and non-contiguous inputs."""
import math

import torch
import torch.nn.functional as F

from common import Fixture, arr, pos

fx = Fixture('math')


def spelled(v):
    """A number for a fixture's args: JSON has no infinities, so they are spelled as the encoder spells values."""
    return ('inf' if v > 0 else '-inf') if isinstance(v, float) and math.isinf(v) else v


case = fx.case
nan, inf = float('nan'), float('inf')

edge = torch.tensor([0.0, -0.0, 1e-8, -1e-8, 1e-30, -3.5, 2.5, 0.5, -0.5, 1.0, -1.0, 1.5, 40.0, -40.0, 100.0, -100.0, 1e30, -1e30, nan, inf, -inf])
x = arr(3, 4)
unit = arr(3, 4, lo=-0.95, hi=0.95)

# ---- unary math: values with gradients, edge values forward only, and a transposed (non-contiguous) input
unary = {
    'asin': (torch.asin, unit), 'acos': (torch.acos, unit), 'atan': (torch.atan, x * 3), 'sinh': (torch.sinh, x * 2),
    'cosh': (torch.cosh, x * 2), 'asinh': (torch.asinh, x * 3), 'acosh': (torch.acosh, pos(3, 4) + 1), 'atanh': (torch.atanh, unit),
    'expm1': (torch.expm1, x * 3), 'exp2': (torch.exp2, x * 3), 'log2': (torch.log2, pos(3, 4)), 'log10': (torch.log10, pos(3, 4)),
    'erfinv': (torch.erfinv, arr(3, 4, lo=-0.99, hi=0.99)), 'lgamma': (torch.lgamma, pos(3, 4) * 3),
    'digamma': (torch.digamma, pos(3, 4) * 3), 'trunc': (torch.trunc, x * 3), 'frac': (torch.frac, x * 3),
    'sgn': (torch.sgn, x), 'square': (torch.square, x),
}
# PyTorch's zero gradients of trunc and sgn are unallocated expanded zeros, which do not serialise:
# adding 0 * t materialises them without changing the values (these inputs are finite).
zero_grad = {'trunc', 'sgn'}
for name, (fn, values) in unary.items():
    case(f'{name} values', name, [values], fn=(lambda t, fn=fn: fn(t) + 0 * t) if name in zero_grad else fn)
    case(f'{name} edge values', name, [edge], fn=fn, grad=False)
    case(f'{name} transposed', 'unaryT', [values.T.contiguous()], {'fn': name}, fn=lambda t: fn(t.mT), grad=name not in zero_grad)
small = torch.tensor([1e-7, -1e-7, 1e-5, -1e-5, 1e-3, -1e-3, 0.1, -0.1, 3e-4, -2e-6])
for name, fn in {'expm1': torch.expm1, 'sinh': torch.sinh, 'asinh': torch.asinh, 'atanh': torch.atanh, 'asin': torch.asin, 'atan': torch.atan}.items():
    case(f'{name} near 0', name, [small], fn=fn)
case('expm1 negative', 'expm1', [torch.linspace(-25, -0.5, 50)], fn=torch.expm1)
case('acosh near 1', 'acosh', [1 + torch.tensor([1e-6, 1e-4, 1e-2, 0.5])], fn=torch.acosh)
case('sinh cosh large', 'sinh', [torch.tensor([10.0, -20.0, 60.0, 88.5, -89.0])], fn=torch.sinh)
case('cosh large', 'cosh', [torch.tensor([10.0, -20.0, 60.0, 88.5, -89.0])], fn=torch.cosh)
# PyTorch's float32 erfinv refines with erf, which cannot resolve 1 - x near 1; the reference runs in float64.
case('erfinv tails', 'erfinv', [torch.tensor([0.999, -0.9999, 0.99999, 0.9999999, 1e-6])], fn=lambda t: torch.erfinv(t.double()).float())
case('lgamma small and large', 'lgamma', [torch.tensor([1e-6, 0.01, 0.5, 1.0, 2.0, 0.999, 1.001, 2.0001, 7.0, 50.0, 1000.0, 1e6])], fn=torch.lgamma)
case('lgamma negative', 'lgamma', [torch.tensor([-0.5, -1.5, -2.3, -3.7, -0.1, -4.9])], fn=torch.lgamma)
case('digamma negative', 'digamma', [torch.tensor([-0.5, -1.5, -2.3, -3.7, -0.1, -4.9])], fn=torch.digamma)
case('digamma around its root', 'digamma', [torch.tensor([1.2, 1.4, 1.46, 1.47, 1.5, 1.7])], fn=torch.digamma)
case('digamma signed zero', 'reciprocalOf', [torch.tensor([0.0, -0.0])], {'fn': 'digamma'}, fn=lambda t: 1 / torch.digamma(t), grad=False)
for name in ['asin', 'atan', 'sinh', 'asinh', 'atanh', 'expm1', 'trunc']:
    case(f'{name} keeps the sign of zero', 'reciprocalOf', [torch.tensor([0.0, -0.0])], {'fn': name}, fn=lambda t: 1 / getattr(torch, name)(t), grad=False)
ints = torch.tensor([[3, -2, 0], [1, 5, -7]], dtype=torch.int32)
for name in ['asin', 'atan', 'sinh', 'cosh', 'exp2', 'log2', 'lgamma', 'trunc', 'square', 'sgn', 'expm1']:
    case(f'{name} int32', name, [ints], fn=getattr(torch, name))

# ---- binary math ------------------------------------------------------------------------------------------
ys = torch.tensor([1.0, 1.0, -1.0, -1.0, 0.0, -0.0, 0.0, -0.0, inf, -inf, inf, 1.0, nan, 0.0, 3.0, -inf])
xs = torch.tensor([1.0, -1.0, 1.0, -1.0, 1.0, 1.0, -1.0, -1.0, inf, inf, -inf, 0.0, 1.0, 0.0, -0.0, -1.0])
case('atan2 quadrants and infinities', 'atan2', [ys, xs], fn=torch.atan2, grad=False)
case('atan2 signed zeros', 'atan2Signs', [ys[4:8], xs[4:8]], fn=lambda a, b: 1 / torch.atan2(a, b), grad=False)
case('atan2 broadcast', 'atan2', [arr(3, 4), arr(4, seed=3)], fn=torch.atan2)
case('atan2 transposed', 'binaryT', [arr(4, 3), arr(3, 4, seed=5)], {'fn': 'atan2'}, fn=lambda a, b: torch.atan2(a.mT, b))
case('atan2 int32', 'atan2', [ints, ints.flip(0)], fn=torch.atan2)
case('hypot broadcast', 'hypot', [arr(3, 4), arr(3, 1, seed=3)], fn=torch.hypot)
case('hypot huge and tiny', 'hypot', [torch.tensor([1e30, 3e-30, 0.0, inf, nan, 3.0, -inf]), torch.tensor([1e30, 4e-30, 0.0, nan, inf, -4.0, 2.0])], fn=torch.hypot, grad=False)
case('xlogy broadcast', 'xlogy', [arr(3, 4), pos(4, seed=3)], fn=torch.xlogy)
case('xlogy zeros and NaN', 'xlogy', [torch.tensor([0.0, 0.0, 0.0, 2.0, 0.0, 1.0]), torch.tensor([0.0, nan, -1.0, 0.0, inf, nan])], fn=torch.xlogy, grad=False)
case('xlogy gradient at x = 0', 'xlogy', [torch.tensor([0.0, 0.0, 1.5]), torch.tensor([2.0, 0.5, 3.0])], fn=torch.xlogy)
case('xlogy scalar x', 'xlogyScalar', [pos(3, 4)], {'x': 2.5}, fn=lambda t: torch.xlogy(2.5, t))
case('logaddexp broadcast', 'logaddexp', [arr(3, 4) * 10, arr(4, seed=3) * 10], fn=torch.logaddexp)
case('logaddexp infinities', 'logaddexp', [torch.tensor([inf, -inf, -inf, 1.0, 100.0, nan]), torch.tensor([inf, -inf, 2.0, -inf, -100.0, 1.0])], fn=torch.logaddexp, grad=False)
case('logaddexp far apart', 'logaddexp', [torch.tensor([100.0, -100.0, 0.0]), torch.tensor([-100.0, 100.0, 1e-8])], fn=torch.logaddexp)

# ---- division with rounding --------------------------------------------------------------------------------
a_div, b_div = arr(3, 4) * 5, arr(4, seed=3)
for name, fn in {'fmod': torch.fmod, 'remainder': torch.remainder, 'floorDivide': torch.floor_divide}.items():
    case(f'{name} broadcast', name, [a_div, b_div], fn=fn, grad=name != 'floorDivide')
    case(f'{name} int32', name, [torch.tensor([7, -7, 7, -7, 0, 5, -5, 2147483647, -2147483647], dtype=torch.int32),
                                 torch.tensor([2, 2, -2, -2, 3, -3, 3, 10, -10], dtype=torch.int32)], fn=fn)
    case(f'{name} int32 scalar', f'{name}Scalar', [torch.tensor([7, -7, 0, 5, -5], dtype=torch.int32)], {'other': 3}, fn=lambda t: fn(t, 3))
    case(f'{name} int32 by a float scalar', f'{name}Scalar', [torch.tensor([7, -7, 0, 5, -5], dtype=torch.int32)], {'other': 2.5}, fn=lambda t: fn(t, 2.5))
    case(f'{name} float scalar', f'{name}Scalar', [arr(3, 4) * 5], {'other': -1.5}, fn=lambda t: fn(t, -1.5), grad=name != 'floorDivide')
    case(f'{name} edge values', name, [torch.tensor([5.0, -5.0, 0.0, -0.0, inf, nan, 5.0, -5.0, 1e-9, -1e-9, 6.0, -6.0, 0.0, -7.5]),
                                       torch.tensor([0.0, 0.0, 3.0, 3.0, 3.0, 3.0, inf, inf, 3.0, 3.0, 0.2, 0.2, -2.0, -inf])], fn=fn, grad=False)
    case(f'{name} transposed', 'binaryT', [arr(4, 3) * 5, arr(3, 4, seed=5)], {'fn': name}, fn=lambda a, b: fn(a.mT, b), grad=name != 'floorDivide')

# ---- interpolation, fused multiply-adds, clamping -------------------------------------------------------
case('lerp tensor weight', 'lerp', [arr(3, 4), arr(3, 4, seed=2), arr(4, lo=-0.5, hi=1.5, seed=3)], fn=torch.lerp)
case('lerp scalar weight 0.3', 'lerpScalar', [arr(3, 4), arr(4, seed=2)], {'weight': 0.3}, fn=lambda a, b: torch.lerp(a, b.expand(3, 4), 0.3))
case('lerp scalar weight 0.75', 'lerpScalar', [arr(3, 4), arr(4, seed=2)], {'weight': 0.75}, fn=lambda a, b: torch.lerp(a, b.expand(3, 4), 0.75))
case('lerp weight 1 gives end', 'lerpScalar', [torch.tensor([1e8, -3.0]), torch.tensor([1.0, 1e-8])], {'weight': 1.0}, fn=lambda a, b: torch.lerp(a, b, 1.0))
case('addcmul broadcast', 'addcmul', [arr(3, 4), arr(3, 1, seed=2), arr(4, seed=3)], {'value': 0.5}, fn=lambda a, b, c: torch.addcmul(a, b, c, value=0.5))
case('addcdiv broadcast', 'addcdiv', [arr(3, 4), arr(3, 1, seed=2), pos(4, seed=3)], {'value': -2.0}, fn=lambda a, b, c: torch.addcdiv(a, b, c, value=-2.0))
case('clampMin', 'clampMin', [x], {'min': -0.5}, fn=lambda t: torch.clamp_min(t, -0.5))
case('clampMax', 'clampMax', [x], {'max': 0.25}, fn=lambda t: torch.clamp_max(t, 0.25))
case('clampMin tensor bound', 'clampMinTensor', [x, arr(4, seed=9)], fn=lambda t, m: torch.clamp_min(t, m))
with_specials = torch.tensor([nan, inf, -inf, 1.5, -2.0, 0.0])
case('nanToNum defaults', 'nanToNum', [with_specials], fn=torch.nan_to_num)
case('nanToNum int32', 'nanToNum', [ints], fn=torch.nan_to_num)
case('nanToNum bool', 'nanToNum', [torch.tensor([True, False, True])], fn=torch.nan_to_num)
case('nanToNum replacements', 'nanToNum', [with_specials], {'nan': 1.0, 'posinf': 9.0, 'neginf': -9.0}, fn=lambda t: torch.nan_to_num(t, 1.0, 9.0, -9.0))

# ---- predicates ----------------------------------------------------------------------------------------
for name, fn in {'isinf': torch.isinf, 'isposinf': torch.isposinf, 'isneginf': torch.isneginf}.items():
    case(f'{name} edge values', name, [edge], fn=fn, grad=False)
    case(f'{name} int32', name, [ints], fn=fn, grad=False)
close_a = torch.tensor([1.0, 1.0, 1.0, nan, inf, inf, -inf, 0.0, 1e-9, 100.0])
close_b = torch.tensor([1.0 + 1e-6, 1.0 + 1e-4, 1.1, nan, inf, -inf, 1e38, 1e-9, 0.0, 100.001])
case('isclose defaults', 'isclose', [close_a, close_b], fn=torch.isclose, grad=False)
case('isclose equalNan loose', 'isclose', [close_a, close_b], {'rtol': 1e-3, 'atol': 1e-6, 'equalNan': True}, fn=lambda a, b: torch.isclose(a, b, 1e-3, 1e-6, True), grad=False)
case('isclose broadcast', 'isclose', [arr(3, 4), arr(4) + 1e-6], fn=torch.isclose, grad=False)
case('isclose int32', 'isclose', [ints, ints + torch.tensor([0, 1, 0], dtype=torch.int32)], {'rtol': 0.0, 'atol': 0.0}, fn=lambda a, b: torch.isclose(a, b, 0.0, 0.0), grad=False)

# ---- reductions ------------------------------------------------------------------------------------------
holes = arr(2, 3, 4)
holes[0, 1, 2] = nan
holes[1, :, 3] = nan
for dim in [None, 0, 2, [0, 2]]:
    for keep in [False, True]:
        if dim is None and keep:
            continue
        kw = {} if dim is None else {'dim': dim, 'keepdim': keep}
        case(f'nansum dim={dim} keepdim={keep}', 'nansum', [holes], kw, fn=lambda t: torch.nansum(t, **kw))
        case(f'nanmean dim={dim} keepdim={keep}', 'nanmean', [holes], kw, fn=lambda t: torch.nanmean(t, **kw))
case('nanmean all NaN', 'nanmean', [torch.tensor([[nan, nan], [1.0, nan]])], {'dim': 1}, fn=lambda t: torch.nanmean(t, dim=1), grad=False)
counted = torch.tensor([[0.0, 1.0, nan], [-0.0, 0.0, 2.0]])
case('countNonzero all', 'countNonzero', [counted], fn=torch.count_nonzero)
case('countNonzero dim', 'countNonzero', [counted], {'dim': 1}, fn=lambda t: torch.count_nonzero(t, dim=1))
case('countNonzero int32', 'countNonzero', [ints], {'dim': 0}, fn=lambda t: torch.count_nonzero(t, dim=0))
case('aminmax all', 'aminmax', [arr(3, 4)], fn=lambda t: torch.stack(torch.aminmax(t)), grad=False)
case('aminmax dim keepdim', 'aminmax', [arr(3, 4)], {'dim': 1, 'keepdim': True}, fn=lambda t: torch.stack(torch.aminmax(t, dim=1, keepdim=True)), grad=False)
for dim, correction in [(None, 1), (1, 1), (0, 0), ([0, 2], 1)]:
    kw = {} if dim is None else {'dim': dim}
    case(f'stdMean dim={dim} correction={correction}', 'stdMean', [arr(2, 3, 4)], {**kw, 'correction': correction},
         fn=lambda t: torch.stack(torch.std_mean(t, **kw, unbiased=correction == 1)))
    case(f'varMean dim={dim} correction={correction}', 'varMean', [arr(2, 3, 4)], {**kw, 'correction': correction},
         fn=lambda t: torch.stack(torch.var_mean(t, **kw, unbiased=correction == 1)))

# ---- norms and distances -----------------------------------------------------------------------------------
with_zero_row = torch.cat([arr(2, 4), torch.zeros(1, 4)])
for ord_ in [2, 1, inf, -inf, 0, 3, 0.5]:
    case(f'vectorNorm ord={ord_}', 'vectorNorm', [arr(3, 4)], {'ord': spelled(ord_)}, fn=lambda t: torch.linalg.vector_norm(t, ord_))
    case(f'vectorNorm ord={ord_} dim=1 keepdim', 'vectorNorm', [arr(3, 4)], {'ord': spelled(ord_), 'dim': 1, 'keepdim': True}, fn=lambda t: torch.linalg.vector_norm(t, ord_, 1, True))
for ord_ in [2, 1, 3]:
    case(f'vectorNorm ord={ord_} zero row', 'vectorNorm', [with_zero_row], {'ord': spelled(ord_), 'dim': -1}, fn=lambda t: torch.linalg.vector_norm(t, ord_, -1))
case('vectorNorm dims 0 2', 'vectorNorm', [arr(2, 3, 4)], {'ord': 2, 'dim': [0, 2]}, fn=lambda t: torch.linalg.vector_norm(t, 2, [0, 2]))
case('vectorNorm transposed', 'vectorNormT', [arr(4, 3)], {'ord': 2, 'dim': 1}, fn=lambda t: torch.linalg.vector_norm(t.mT, 2, 1))
for ord_ in ['fro', 1, -1, inf, -inf]:
    case(f'matrixNorm ord={ord_}', 'matrixNorm', [arr(2, 3, 4)], {'ord': spelled(ord_)}, fn=lambda t: torch.linalg.matrix_norm(t, ord_))
for ord_ in [2, -2, 'nuc']:
    case(f'matrixNorm ord={ord_}', 'matrixNorm', [arr(2, 3, 4)], {'ord': spelled(ord_)}, fn=lambda t: torch.linalg.matrix_norm(t, ord_))
    case(f'matrixNorm ord={ord_} tall dims 2 0 keepdim', 'matrixNorm', [arr(3, 2, 5, seed=3)], {'ord': spelled(ord_), 'dim': [2, 0], 'keepdim': True},
         fn=lambda t: torch.linalg.matrix_norm(t, ord_, (2, 0), True))
# arr() matrices are low-rank, where the nuclear norm's gradient is not unique; a Gaussian one has full rank.
case('matrixNorm nuc 7x7', 'matrixNorm', [torch.randn(7, 7, generator=torch.Generator().manual_seed(5))], {'ord': 'nuc'}, fn=lambda t: torch.linalg.matrix_norm(t, 'nuc'))
case('norm nuc', 'norm', [arr(4, 3, seed=6)], {'p': 'nuc'}, fn=lambda t: torch.norm(t, 'nuc'))
case('svdvals batched', 'svdvals', [arr(2, 4, 3, seed=7)], fn=lambda t: torch.linalg.svdvals(t))
case('svdvals wide', 'svdvals', [arr(3, 6, seed=8)], fn=lambda t: torch.linalg.svdvals(t))
case('svdvals diagonal with zero', 'svdvals', [torch.tensor([[3.0, 0.0, 0.0], [0.0, -5.0, 0.0], [0.0, 0.0, 0.0]])], fn=lambda t: torch.linalg.svdvals(t), grad=False)
case('matrixNorm dims 0 2 keepdim', 'matrixNorm', [arr(2, 3, 4)], {'ord': 1, 'dim': [0, 2], 'keepdim': True}, fn=lambda t: torch.linalg.matrix_norm(t, 1, (0, 2), True))
case('norm default', 'norm', [arr(3, 4)], fn=lambda t: torch.norm(t))
case('norm p=1 dim=1', 'norm', [arr(3, 4)], {'p': 1, 'dim': 1}, fn=lambda t: torch.norm(t, 1, 1))
case('norm fro dims keepdim', 'norm', [arr(2, 3, 4)], {'p': 'fro', 'dim': [1, 2], 'keepdim': True}, fn=lambda t: torch.norm(t, 'fro', (1, 2), True))
for p in [2, 1, inf, 0.5]:
    case(f'dist p={p}', 'dist', [arr(3, 4), arr(4, seed=3)], {'p': spelled(p)}, fn=lambda a, b: torch.dist(a, b, p))
for p in [2, 1, 3]:
    case(f'cdist p={p}', 'cdist', [arr(5, 3), arr(4, 3, seed=2)], {'p': spelled(p)}, fn=lambda a, b: torch.cdist(a, b, p))
case('cdist batched', 'cdist', [arr(2, 3, 4), arr(2, 5, 4, seed=2)], {'p': 2}, fn=lambda a, b: torch.cdist(a, b))
case('cdist zero distance', 'cdist', [torch.tensor([[1.0, 2.0], [0.0, 0.0]]), torch.tensor([[1.0, 2.0], [3.0, -1.0]])], {'p': 2}, fn=lambda a, b: torch.cdist(a, b))
case('normalize default', 'normalize', [arr(3, 4)], fn=lambda t: F.normalize(t))
case('normalize p=1 dim=0', 'normalize', [arr(3, 4)], {'p': 1, 'dim': 0}, fn=lambda t: F.normalize(t, 1, 0))
case('normalize zero vector', 'normalize', [with_zero_row], {'dim': 1}, fn=lambda t: F.normalize(t, dim=1))

# ---- activations ----------------------------------------------------------------------------------------
kinks = torch.tensor([-6.0, -3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0, 6.0, -2.5, 2.0, 7.0])
act_edge = torch.tensor([0.0, -0.0, 1e-8, -1e-8, -3.5, 2.5, 40.0, -40.0, -100.0, 100.0, nan, inf, -inf])
acts = {
    'elu': (F.elu, {}), 'eluAlpha': (lambda t: F.elu(t, 0.5), {}), 'selu': (torch.selu, {}), 'celu': (lambda t: torch.celu(t, 1.5), {}),
    'mish': (F.mish, {}), 'hardtanh': (lambda t: F.hardtanh(t, -0.5, 2.0), {}), 'relu6': (F.relu6, {}), 'hardswish': (F.hardswish, {}),
    'hardsigmoid': (F.hardsigmoid, {}), 'logsigmoid': (F.logsigmoid, {}), 'softsign': (F.softsign, {}), 'tanhshrink': (F.tanhshrink, {}),
    'softshrink': (lambda t: F.softshrink(t, 0.5), {}), 'hardshrink': (lambda t: F.hardshrink(t, 1.0), {}),
    'threshold': (lambda t: F.threshold(t, 0.5, -2.0), {}), 'rreluEval': (lambda t: F.rrelu(t, 0.1, 0.3, training=False), {}),
}
for name, (fn, _) in acts.items():
    case(f'{name} values', name, [x * 3], fn=fn)
    case(f'{name} at its kinks', name, [kinks], fn=fn)
    case(f'{name} edge values', name, [act_edge], fn=fn, grad=False)
    case(f'{name} transposed', 'unaryT', [arr(4, 3) * 3], {'fn': name}, fn=lambda t: fn(t.mT))
case('logsigmoid far tails', 'logsigmoid', [torch.tensor([-200.0, -90.0, -30.0, 30.0, 90.0, 200.0])], fn=F.logsigmoid)
case('prelu per channel', 'prelu', [arr(2, 3, 4), torch.tensor([0.1, -0.2, 0.3])], fn=F.prelu)
case('prelu shared', 'prelu', [arr(2, 3), torch.tensor([0.25])], fn=F.prelu)
case('prelu 1-D', 'prelu', [arr(5), torch.tensor([0.25])], fn=F.prelu)
for dim in [-1, 0, 1]:
    case(f'glu dim={dim}', 'glu', [arr(4, 6, 2)], {'dim': dim}, fn=lambda t: F.glu(t, dim))
    case(f'softmin dim={dim}', 'softmin', [arr(4, 6, 2) * 3], {'dim': dim}, fn=lambda t: F.softmin(t, dim))

# ---- second derivatives: d/dx of sum(op(x) ** 3), built with create_graph ------------------------------------
second = fx.second_derivative
for name in ['asin', 'acos', 'atan', 'sinh', 'cosh', 'asinh', 'acosh', 'atanh', 'expm1', 'exp2', 'log2', 'log10', 'erfinv', 'lgamma', 'digamma']:
    fn, values = unary[name]
    second(f'd/dx {name}', name, [values], {}, fn)
for name in ['elu', 'selu', 'celu', 'mish', 'logsigmoid', 'softsign', 'tanhshrink', 'hardswish']:
    second(f'd/dx {name}', name, [x * 3], {}, acts[name][0])
second('d/dx atan2', 'atan2', [arr(3, 4), arr(4, seed=3)], {}, torch.atan2)
second('d/dx hypot', 'hypot', [arr(3, 4), arr(3, 1, seed=3)], {}, torch.hypot)
second('d/dx xlogy', 'xlogy', [pos(3, 4, seed=2), pos(4, seed=3)], {}, torch.xlogy)
second('d/dx logaddexp', 'logaddexp', [arr(3, 4) * 3, arr(4, seed=3) * 3], {}, torch.logaddexp)
second('d/dx lerp', 'lerp', [arr(3, 4), arr(3, 4, seed=2), arr(4, lo=-0.5, hi=1.5, seed=3)], {}, torch.lerp)
second('d/dx vectorNorm ord=3', 'vectorNorm', [arr(3, 4)], {'ord': 3, 'dim': 1}, lambda t: torch.linalg.vector_norm(t, 3, 1))
second('d/dx glu', 'glu', [arr(4, 6, 2)], {'dim': 1}, lambda t: F.glu(t, 1))
second('d/dx softmin', 'softmin', [arr(4, 6, 2) * 3], {'dim': 1}, lambda t: F.softmin(t, 1))

fx.save()
