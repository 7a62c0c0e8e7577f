"""Reference values for accuracy.ts. Reads {op: [x...]} as JSON on stdin (non-finite values and -0 as
strings) and writes {op: {"exact": {"value": [...], "grad": [...]}, "torch32": {...}}}: the op and
its derivative at each x computed with mpmath at 40 significant digits (by closed forms that do not
cancel; at poles and for non-finite and zero inputs, PyTorch's float64 limits), and PyTorch's own float32
results, for comparison."""
import json
import math
import sys

import mpmath as mp
import torch
import torch.nn.functional as F

mp.mp.dps = 40
SQRT_2_PI = mp.sqrt(2 / mp.pi)


def sigmoid(x):
    """1 / (1 + e^-x), and 1 - sigmoid(x) = sigmoid(-x), without cancellation on either side."""
    return 1 / (1 + mp.exp(-x))


def sech2(u):
    e = mp.exp(-2 * abs(u))
    return 4 * e / (1 + e) ** 2


def gelu_tanh(x):
    u = SQRT_2_PI * (x + mp.mpf('0.044715') * x ** 3)
    one_plus_tanh = 2 * sigmoid(2 * u)
    du = SQRT_2_PI * (1 + 3 * mp.mpf('0.044715') * x ** 2)
    return 0.5 * x * one_plus_tanh, 0.5 * one_plus_tanh + 0.5 * x * sech2(u) * du


def softplus(x):
    # torch.nn.functional.softplus with beta 1 returns x itself above its threshold of 20.
    return (x, mp.mpf(1)) if x > 20 else (mp.log1p(mp.exp(x)), sigmoid(x))


def normal_cdf(x):
    return mp.erfc(-x / mp.sqrt(2)) / 2


def normal_pdf(x):
    return mp.exp(-x * x / 2) / mp.sqrt(2 * mp.pi)


# op: (value and derivative at a finite nonzero x in mpmath, the same op in torch)
OPS = {
    'exp': (lambda x: (mp.exp(x), mp.exp(x)), torch.exp),
    'log': (lambda x: (mp.log(x), 1 / x) if x > 0 else (mp.nan, 1 / x), torch.log),
    'log1p': (lambda x: (mp.log1p(x), 1 / (1 + x)) if x > -1 else ((-mp.inf if x == -1 else mp.nan), 1 / (1 + x)), torch.log1p),
    'sqrt': (lambda x: (mp.sqrt(x), 1 / (2 * mp.sqrt(x))) if x > 0 else (mp.nan, mp.nan), torch.sqrt),
    'rsqrt': (lambda x: (1 / mp.sqrt(x), -0.5 * x ** mp.mpf(-1.5)) if x > 0 else (mp.nan, mp.nan), torch.rsqrt),
    'reciprocal': (lambda x: (1 / x, -1 / x ** 2), torch.reciprocal),
    'sin': (lambda x: (mp.sin(x), mp.cos(x)), torch.sin),
    'cos': (lambda x: (mp.cos(x), -mp.sin(x)), torch.cos),
    'tanh': (lambda x: (mp.tanh(x), sech2(x)), torch.tanh),
    'sigmoid': (lambda x: (sigmoid(x), sigmoid(x) * sigmoid(-x)), torch.sigmoid),
    'erf': (lambda x: (mp.erf(x), 2 / mp.sqrt(mp.pi) * mp.exp(-x * x)), torch.erf),
    'softplus': (softplus, F.softplus),
    'gelu': (lambda x: (x * normal_cdf(x), normal_cdf(x) + x * normal_pdf(x)), F.gelu),
    'geluTanh': (gelu_tanh, lambda x: F.gelu(x, approximate='tanh')),
    'silu': (lambda x: (x * sigmoid(x), sigmoid(x) * (1 + x * sigmoid(-x))), F.silu),
}


def torch_values(fn, xs, dtype):
    x = torch.tensor(xs, dtype=dtype, requires_grad=True)
    y = fn(x)
    (grad,) = torch.autograd.grad(y.sum(), x)
    return y.tolist(), grad.tolist()


def encode(values):
    return [v if math.isfinite(v) else str(v) for v in values]


out = {}
for op, xs in json.load(sys.stdin).items():
    xs = [float(x) for x in xs]
    exact_fn, torch_fn = OPS[op]
    limit_value, limit_grad = torch_values(torch_fn, xs, torch.float64)
    value, grad = [], []
    for i, x in enumerate(xs):
        try:
            if not math.isfinite(x) or x == 0:
                raise ZeroDivisionError
            v, g = exact_fn(mp.mpf(x))
            value.append(float(v))
            grad.append(float(g))
        except ZeroDivisionError:  # a pole or a limit: PyTorch's float64 gives its IEEE value
            value.append(limit_value[i])
            grad.append(limit_grad[i])
    v32, g32 = torch_values(torch_fn, xs, torch.float32)
    out[op] = {'exact': {'value': encode(value), 'grad': encode(grad)}, 'torch32': {'value': encode(v32), 'grad': encode(g32)}}
json.dump(out, sys.stdout)
