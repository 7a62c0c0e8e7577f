"""Shared helpers for the fixture scripts: fixed inputs, tensor encoding, and case recording."""
import json
import math
import os

import torch

torch.set_default_dtype(torch.float32)
OUT = os.path.join(os.path.dirname(__file__), '..', 'fixtures')


def arr(*shape, lo=-2.0, hi=2.0, seed=0):
    """A fixed, irregular float array of `shape` (a deterministic formula, stored in the fixture)."""
    n = math.prod(shape) if shape else 1
    vals = [lo + (hi - lo) * (((i * 7919 + seed * 104729) % 1000) / 999.0) for i in range(n)]
    return torch.tensor(vals, dtype=torch.float32).reshape(shape)


def pos(*shape, seed=0):
    return arr(*shape, lo=0.1, hi=3.0, seed=seed)


def enc(t):
    if isinstance(t, torch.Tensor):
        t = t.detach()
        vals = t.reshape(-1).tolist()
        if t.dtype == torch.bool:
            vals = [bool(v) for v in vals]
        elif t.dtype.is_floating_point:
            vals = [('nan' if math.isnan(v) else ('inf' if v > 0 else '-inf')) if not math.isfinite(v) else v for v in vals]
        dtype = {torch.float32: 'float32', torch.int64: 'int32', torch.int32: 'int32', torch.bool: 'bool'}[t.dtype]
        return {'shape': list(t.shape), 'dtype': dtype, 'data': vals}
    return t


class Fixture:
    """Collects cases and writes them to fixtures/<name>.json (stable key order, so reruns diff clean)."""

    def __init__(self, name):
        self.name = name
        self.cases = []

    def save(self):
        with open(os.path.join(OUT, f'{self.name}.json'), 'w') as f:
            json.dump({'generator': f'torch {torch.__version__}', 'cases': self.cases}, f, separators=(',', ':'), sort_keys=True)
            f.write('\n')
        print(f'{self.name}: {len(self.cases)} cases')

    def second_derivative(self, name, inner, inputs, args, fn):
        """Records the gradient of the fixture op `inner` (its value when 0-d, else the sum of its cubed
        output) with respect to the first input, built with create_graph, as the op `gradOf`: the
        fixture's gradient check is then a second derivative."""
        def g(*ts):
            out = fn(*ts)
            s = out if out.dim() == 0 else out.pow(3).sum()
            return torch.autograd.grad(s, ts[0], create_graph=True)[0]
        self.case(name, 'gradOf', inputs, {**args, 'inner': inner}, fn=g)

    def case(self, name, op, inputs, args=None, grad=True, fn=None):
        """Runs `fn(*inputs)` in torch and records the forward result and, when an input is float,
        the gradients of sum(out * w) for a fixed weight w, so every output element's gradient counts."""
        ts = [t.clone().requires_grad_(grad and t.dtype.is_floating_point) for t in inputs]
        out = fn(*ts)
        entry = {'name': name, 'op': op, 'inputs': [enc(t) for t in inputs], 'args': args or {}, 'output': enc(out)}
        if grad and out.dtype.is_floating_point and any(t.requires_grad for t in ts):
            w = arr(*out.shape, lo=-1.0, hi=1.0, seed=7)
            (out * w).sum().backward()
            entry['gradWeight'] = enc(w)
            entry['grads'] = [enc(t.grad) if t.grad is not None else None for t in ts]
        if any(n['name'] == name for n in self.cases):
            raise ValueError(f'duplicate case name {name}')
        self.cases.append(entry)
