"""Fixtures for the hooks suite (src/suites/hooks.ts): gradients changed by tensor hooks, module
forward pre-hooks, forward hooks and full backward hooks, and the values and gradients of weight
norm and spectral norm. Each case is a small program that the suite repeats step for step in
flint under the same name; inputs are fixed arrays, and the weights (and spectral norm's u and v)
are copied into the modules, so nothing depends on torch's random stream.
Writes fixtures/hooks/hooks.json.
"""
import json
import os

import torch
import torch.nn as nn
from torch.nn.utils import spectral_norm, weight_norm

from common import arr, enc

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fixtures', 'hooks', 'hooks.json')
cases = {}


def case(name, **values):
    if name in cases:
        raise ValueError(f'duplicate case name {name}')
    cases[name] = {k: enc(v) if isinstance(v, torch.Tensor) else [enc(t) for t in v] if isinstance(v, (list, tuple)) else v for k, v in values.items()}


def leaf(*shape, seed=0):
    return arr(*shape, seed=seed).requires_grad_()


def set_params(module, **values):
    with torch.no_grad():
        for name, v in values.items():
            getattr(module, name).copy_(v)


# ---- tensor hooks -------------------------------------------------------------------------------
x, w = leaf(2, 3), arr(2, 3, seed=1)
x.register_hook(lambda g: g * 3)
(x * x * w).sum().backward()
case('leaf hook scales the gradient before accumulation', x=x, w=w, grad=x.grad)

x, w = leaf(2, 3), arr(2, 3, seed=1)
z = x.tanh()
z.register_hook(lambda g: g * g)
(z * w).sum().backward()
case('non-leaf hook changes the gradient that flows on', x=x, w=w, grad=x.grad)

x, w = leaf(4), arr(4, seed=1)
x.register_hook(lambda g: g * 2)
x.register_hook(lambda g: g + 1)
z = x * x
z.register_hook(lambda g: g - 0.5)
z.register_hook(lambda g: g * g)
(z * w).sum().backward()
case('several hooks run in registration order', x=x, w=w, grad=x.grad)

x, w = leaf(4), arr(4, seed=1)
h = x.register_hook(lambda g: g * 100)
x.register_hook(lambda g: -g)
h.remove()
(x.exp() * w).sum().backward()
case('a removed hook no longer runs', x=x, w=w, grad=x.grad)

x, w = leaf(3), arr(3, seed=1)
x.register_hook(lambda g: g * g)
((x * w).sum() + (x * x).sum()).backward()
case('a leaf used twice: its hook sees the summed gradient once', x=x, w=w, grad=x.grad)

x, w = leaf(3), arr(3, seed=1)
z = x.sin()
z.register_hook(lambda g: g * 10)
z.retain_grad()
z.register_hook(lambda g: g + 1)
(z * w).sum().backward()
case('a retained grad sees the hooks', x=x, w=w, grad=x.grad, retained=z.grad)

# ---- module hooks -------------------------------------------------------------------------------
lin_w, lin_b = arr(2, 3, seed=2), arr(2, seed=3)


def linear():
    m = nn.Linear(3, 2)
    set_params(m, weight=lin_w, bias=lin_b)
    return m


m, x = linear(), arr(4, 3, seed=4)
m.register_forward_pre_hook(lambda mod, args: args[0] * 2)
out = m(x)
(out * out).sum().backward()
case('forward pre-hook replaces the arguments', weight=lin_w, bias=lin_b, x=x, out=out, weightGrad=m.weight.grad)

m = linear()
m.register_forward_hook(lambda mod, args, out: out.tanh())
out = m(x)
(out * out).sum().backward()
case('forward hook replaces the output', weight=lin_w, bias=lin_b, x=x, out=out, weightGrad=m.weight.grad)

m, xg = linear(), leaf(4, 3, seed=4)
seen = {}


def record_and_halve(mod, gi, go):
    seen['gi'], seen['go'] = [g.clone() for g in gi], [g.clone() for g in go]
    return (gi[0] * 0.5,)


m.register_full_backward_hook(record_and_halve)
out = m(xg)
(out * out).sum().backward()
case('full backward hook sees gradInput and gradOutput and replaces gradInput', weight=lin_w, bias=lin_b, x=xg,
     gradInput=seen['gi'], gradOutput=seen['go'], xGrad=xg.grad, weightGrad=m.weight.grad)

bil = nn.Bilinear(2, 3, 2)
bil_w, bil_b = arr(2, 2, 3, seed=5), arr(2, seed=6)
set_params(bil, weight=bil_w, bias=bil_b)
x1, x2 = leaf(4, 2, seed=7), leaf(4, 3, seed=8)
seen = {}


def record_and_swap_signs(mod, gi, go):
    seen['gi'], seen['go'] = [g.clone() for g in gi], [g.clone() for g in go]
    return (gi[0] * 2, -gi[1])


bil.register_full_backward_hook(record_and_swap_signs)
out = bil(x1, x2)
(out * out).sum().backward()
case('full backward hook over two inputs', weight=bil_w, bias=bil_b, x1=x1, x2=x2, gradInput=seen['gi'], gradOutput=seen['go'],
     x1Grad=x1.grad, x2Grad=x2.grad)

# ---- weight norm --------------------------------------------------------------------------------
wn_w, wn_b = arr(4, 3, seed=9), arr(4, seed=10)
for dim in [0, 1, None]:
    m = nn.Linear(3, 4)
    set_params(m, weight=wn_w, bias=wn_b)
    weight_norm(m, dim=dim)
    x = arr(2, 3, seed=11)
    out = m(x)
    (out * out).sum().backward()
    case(f'weight norm of Linear, dim {dim}', weight=wn_w, bias=wn_b, x=x, dim=dim, g=m.weight_g, out=out, recomputed=m.weight,
         gGrad=m.weight_g.grad, vGrad=m.weight_v.grad, biasGrad=m.bias.grad, keys=list(m.state_dict().keys()))

conv_w, conv_b = arr(3, 2, 2, 2, seed=12), arr(3, seed=13)
m = nn.Conv2d(2, 3, 2)
set_params(m, weight=conv_w, bias=conv_b)
weight_norm(m)
x = arr(1, 2, 3, 3, seed=14)
out = m(x)
(out * out).sum().backward()
case('weight norm of Conv2d', weight=conv_w, bias=conv_b, x=x, g=m.weight_g, out=out, gGrad=m.weight_g.grad, vGrad=m.weight_v.grad)

# ---- spectral norm ------------------------------------------------------------------------------
sn_w, sn_b = arr(3, 4, seed=15), arr(3, seed=16)
u0, v0 = arr(3, seed=17), arr(4, seed=18)
for iters in [1, 3]:
    m = nn.Linear(4, 3)
    set_params(m, weight=sn_w, bias=sn_b)
    spectral_norm(m, n_power_iterations=iters)
    set_params(m, weight_u=u0, weight_v=v0)
    x = arr(2, 4, seed=19)
    out = m(x)
    (out * out).sum().backward()
    trained = {'out': out, 'normalized': m.weight, 'u': m.weight_u.clone(), 'v': m.weight_v.clone(), 'origGrad': m.weight_orig.grad.clone(), 'biasGrad': m.bias.grad.clone()}
    m.eval()
    m.weight_orig.grad = None
    out_eval = m(x)
    (out_eval * out_eval).sum().backward()
    case(f'spectral norm of Linear, {iters} power iterations', weight=sn_w, bias=sn_b, u0=u0, v0=v0, x=x, iterations=iters, **trained,
         evalOut=out_eval, evalU=m.weight_u, evalOrigGrad=m.weight_orig.grad, keys=list(m.state_dict().keys()))

ct_w, ct_b = arr(2, 3, 2, 2, seed=20), arr(3, seed=21)
m = nn.ConvTranspose2d(2, 3, 2)
set_params(m, weight=ct_w, bias=ct_b)
spectral_norm(m)
u0, v0 = arr(3, seed=22), arr(8, seed=23)
set_params(m, weight_u=u0, weight_v=v0)
x = arr(1, 2, 2, 2, seed=24)
out = m(x)
(out * out).sum().backward()
case('spectral norm of ConvTranspose2d (dim 1)', weight=ct_w, bias=ct_b, u0=u0, v0=v0, x=x, out=out, u=m.weight_u, v=m.weight_v,
     origGrad=m.weight_orig.grad)

with open(OUT, 'w') as f:
    json.dump({'generator': f'torch {torch.__version__}', 'cases': cases}, f, separators=(',', ':'), sort_keys=True)
    f.write('\n')
print(f'hooks: {len(cases)} cases')
