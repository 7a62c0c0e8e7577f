"""Fixtures for the accuracy suite (src/suites/accuracy.ts): float32 inputs where float32 formulas
and drivers' built-ins go wrong (large sin/cos arguments, exp and log near the subnormal range,
log1p and softplus of small and negative arguments, zero padding against infinite weights), with
their exact values: mpmath at 40 digits for the elementwise ops, PyTorch in float64 for conv2d.
Each case states its tolerance in float32 ulps of the exact value, and whether its results are
subnormal (drivers may flush those: WGSL allows it). Writes fixtures/accuracy/accuracy.json.
"""
import json
import math
import os
import struct

import mpmath as mp
import torch
import torch.nn.functional as F

mp.mp.dps = 40
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fixtures', 'accuracy', 'accuracy.json')
TINY = 2.0 ** -126


def f32(x):
    """x rounded to float32, as a Python float."""
    return struct.unpack('f', struct.pack('f', x))[0]


def encode(v):
    return ('nan' if math.isnan(v) else ('inf' if v > 0 else '-inf')) if not math.isfinite(v) else v


def tensor(values, shape=None):
    return {'shape': list(shape or [len(values)]), 'dtype': 'float32', 'data': [encode(v) for v in values]}


def sigmoid(x):
    return 1 / (1 + mp.exp(-x))


EXACT = {
    'sin': mp.sin,
    'cos': mp.cos,
    'exp': mp.exp,
    'log': mp.log,
    'log1p': mp.log1p,
    'sigmoid': sigmoid,
    'softplus': lambda x: mp.log1p(mp.exp(x)),
    'silu': lambda x: x * sigmoid(x),
    'gelu': lambda x: x * mp.erfc(-x / mp.sqrt(2)) / 2,
    'pow': lambda a, b: mp.power(a, b),
}

cases = []


def case(name, op, inputs, ulps, subnormal=False):
    """An elementwise case: `inputs` are lists of floats (rounded to float32 first), one per operand."""
    xs = [[f32(v) for v in operand] for operand in inputs]
    expected = [float(EXACT[op](*(mp.mpf(v) for v in args))) for args in zip(*xs)]
    has_subnormal = any(0 < abs(v) < TINY for v in expected)
    if has_subnormal != subnormal:
        raise ValueError(f'{name}: subnormal results {has_subnormal}, declared {subnormal}')
    cases.append({'name': name, 'op': op, 'inputs': [tensor(x) for x in xs], 'args': {}, 'expected': tensor(expected), 'ulps': ulps, 'subnormal': subnormal})


def conv_case(name, op, x, w, g, padding, fn):
    """A conv2d case computed by PyTorch in float64 from float32 inputs; exact agreement expected."""
    ts = [torch.tensor(v, dtype=torch.float32).to(torch.float64) for v in (x, w, g)]
    out = fn(*ts, padding)
    flat = out.reshape(-1).tolist()
    inputs = [tensor(t.reshape(-1).tolist(), t.shape) for t in ts[:2]] + ([tensor(ts[2].reshape(-1).tolist(), ts[2].shape)] if op != 'conv2d' else [])
    cases.append({'name': name, 'op': op, 'inputs': inputs, 'args': {'padding': padding}, 'expected': tensor(flat, out.shape), 'ulps': 0, 'subnormal': False})


# ---- sin and cos: Cody-Waite below 6434, Payne-Hanek beyond, up to the largest float ----------------------
trig = [0.5, 0.7853982, 1.5707964, 3.1415927, 100.0, 2023.1857, 6433.9, 6434.0, 8193.0, 1e5, 1e10, 9.65e15, 1.93e16,
        5.6022571e30, 1e38, 3.4e38, 3.4028235e38, -3.4e38, -1.93e16, -7000.0]
case('sin of large arguments', 'sin', [trig], 4)
case('cos of large arguments', 'cos', [trig], 4)

# ---- exp and log around the subnormal range ------------------------------------------------------------------
case('exp near the bottom of the normal range', 'exp', [[-81.13596, -87.0, -87.33, -20.0, 15.65, 88.7]], 2)
case('exp with subnormal results', 'exp', [[-87.4, -88.0, -90.0, -95.0, -100.0, -103.0, -103.9]], 2, subnormal=True)
case('log of subnormal inputs', 'log', [[1.4e-45, 2.8e-45, 1e-42, 1e-40, 1e-39, 1.1754942e-38]], 2)
case('log near 1', 'log', [[0.99999994, 0.9999999, 0.999999, 1.0000001, 1.0000002, 1.00001, 0.99, 1.01]], 2)

# ---- log1p and softplus of small and negative arguments ------------------------------------------------------
case('log1p of small arguments', 'log1p', [[-3e-8, 3e-8, -1e-7, 1e-7, -1e-5, 1e-5, 1e-20, -1e-20, 1e-3, -0.29, 0.41]], 2)
case('log1p away from 0', 'log1p', [[-0.999, -0.5, -0.39, 0.5, 2.0, 1e10, 1e38]], 4)
case('softplus of negative arguments', 'softplus', [[-16.0, -16.6, -17.0, -20.0, -30.0, -50.0, -80.0, -87.0]], 4)
case('softplus with subnormal results', 'softplus', [[-88.0, -90.0, -100.0, -103.0]], 4, subnormal=True)

# ---- functions made of exp near the subnormal range ---------------------------------------------------------
case('sigmoid with subnormal results', 'sigmoid', [[-88.0, -90.0, -95.0, -100.0]], 4, subnormal=True)
case('silu where sigmoid is subnormal', 'silu', [[-88.0, -90.0, -90.5]], 4)
case('gelu of negative arguments', 'gelu', [[-3.0, -4.5, -5.5, -6.15]], 8)
case('gelu of its deep negative tail', 'gelu', [[-7.0, -8.0, -10.0, -12.5]], 8)
# Small integer exponents multiply; others go through exp2 and log2 (the rounding of y log2(x) allows 64 ulps).
case('pow of subnormal bases', 'pow', [[1e-40, 1e-44, 2.9e-39], [0.5, 0.5, 0.75]], 64)

# ---- conv2d: the zero padding multiplies like any input (0 * inf is NaN), as im2col does ------------------
conv_case('conv2d with an infinite weight and zero padding', 'conv2d', [[[[1.0]]]], [[[[math.inf]]]], [[[[1.0]]]], [0, 1],
          lambda x, w, g, p: F.conv2d(x, w, padding=p))


def weight_grad(x, w, g, p):
    w = w.clone().requires_grad_(True)
    (F.conv2d(x, w, padding=p) * g).sum().backward()
    return w.grad


conv_case('conv2d weight gradient with an infinite output gradient over padding', 'conv2dWeightGrad', [[[[1.0, 2.0]]]],
          [[[[1.0, 1.0, 1.0]]]], [[[[math.inf, 1.0]]]], [0, 1], weight_grad)

with open(OUT, 'w') as f:
    json.dump({'generator': f'mpmath {mp.__version__}, torch {torch.__version__} float64', 'cases': cases}, f, separators=(',', ':'), sort_keys=True)
    f.write('\n')
print(f'accuracy: {len(cases)} cases')
