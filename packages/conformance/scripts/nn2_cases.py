"""Fixtures for flint.nn's second set of modules: the activations as modules, instance, RMS and local
response normalisation, BatchNorm3d, LayerNorm without bias, channel and alpha dropout in evaluation,
Unflatten, Identity's ignored arguments, CosineSimilarity, PairwiseDistance, Bilinear and EmbeddingBag.

`args['ctor']` are flint's constructor arguments, positional, in the form flint takes them; the
torch module is built from the same values. Modules torch 1.13 lacks (RMSNorm, LayerNorm's
bias=False) are written out below from torch 2.4's definitions.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

from common import Fixture, arr, pos
from layer_case import layer_recorder

fx = Fixture('nn2')
layer_case = layer_recorder(fx)


def module_case(name, op, layer, xs, ctor=(), params=None, train=False, run=None, grad=True, **args):
    layer_case(name, op, layer, xs, params, {'ctor': list(ctor), **args}, train=train, grad=grad, run=run)


def pair(call, x1, x2):
    return call(x1, x2)


# ---- activations --------------------------------------------------------------------------------
act_in = arr(3, 5) * 3
for op, layer, ctor in [
    ('ELU', nn.ELU(), []), ('ELU', nn.ELU(0.5), [0.5]), ('SELU', nn.SELU(), []), ('CELU', nn.CELU(), []), ('CELU', nn.CELU(1.5), [1.5]),
    ('Mish', nn.Mish(), []), ('Hardtanh', nn.Hardtanh(), []), ('Hardtanh', nn.Hardtanh(-2.5, 1.5), [-2.5, 1.5]), ('ReLU6', nn.ReLU6(), []),
    ('Hardswish', nn.Hardswish(), []), ('Hardsigmoid', nn.Hardsigmoid(), []), ('LogSigmoid', nn.LogSigmoid(), []),
    ('Softsign', nn.Softsign(), []), ('Tanhshrink', nn.Tanhshrink(), []), ('Softshrink', nn.Softshrink(), []),
    ('Softshrink', nn.Softshrink(1.3), [1.3]), ('Hardshrink', nn.Hardshrink(), []), ('Hardshrink', nn.Hardshrink(2.5), [2.5]),
    ('Threshold', nn.Threshold(0.3, -1.5), [0.3, -1.5]), ('RReLU', nn.RReLU(), []), ('RReLU', nn.RReLU(0.2, 0.6), [0.2, 0.6]),
    ('Softmin', nn.Softmin(1), [1]), ('Softmin', nn.Softmin(0), [0]), ('Softplus', nn.Softplus(), []), ('Softplus', nn.Softplus(2, 1.5), [2, 1.5]),
]:
    # RReLU in evaluation: the mean slope (training draws are checked in the modules2 suite).
    module_case(f'{op} {ctor}', op, layer, [act_in], ctor)
module_case('GLU default dim', 'GLU', nn.GLU(), [arr(3, 6)])
module_case('GLU dim 0', 'GLU', nn.GLU(0), [arr(4, 3)], [0])
module_case('Softmax2d 4-D', 'Softmax2d', nn.Softmax2d(), [arr(2, 3, 2, 2) * 2])
module_case('Softmax2d 3-D', 'Softmax2d', nn.Softmax2d(), [arr(3, 2, 4) * 2])
module_case('PReLU shared', 'PReLU', nn.PReLU(), [arr(2, 3, 4) * 2], params={'weight': torch.tensor([0.3])})
module_case('PReLU per channel', 'PReLU', nn.PReLU(3), [arr(2, 3, 4) * 2], [3], params={'weight': torch.tensor([0.3, -0.2, 1.5])})
module_case('PReLU per channel, 4-D', 'PReLU', nn.PReLU(3), [arr(2, 3, 2, 2) * 2], [3], params={'weight': torch.tensor([0.3, -0.2, 1.5])})

# ---- normalisation ------------------------------------------------------------------------------
# LayerNorm(bias=False), torch 2.1: the module's zero bias is left out of the parameters given, so
# torch uses it unchanged, and the case has no bias gradient.
layer_case('LayerNorm bias=False', 'LayerNorm', nn.LayerNorm(6), [arr(3, 6) * 3], {'weight': pos(6, seed=1)}, {'shape': [6], 'bias': False})
layer_case('LayerNorm [3, 6] bias=False', 'LayerNorm', nn.LayerNorm([3, 6]), [arr(2, 3, 6)], {'weight': pos(3, 6, seed=2)}, {'shape': [3, 6], 'bias': False})


class RMSNormReference(nn.Module):
    """torch 2.4's nn.RMSNorm: x * rsqrt(mean(x^2) + eps) * weight, eps = finfo(float32).eps when None."""

    def __init__(self, shape, eps=None, affine=True):
        super().__init__()
        self.shape, self.eps = tuple(shape), eps
        self.weight = nn.Parameter(torch.ones(shape)) if affine else None

    def forward(self, x):
        dims = tuple(range(-len(self.shape), 0))
        eps = torch.finfo(x.dtype).eps if self.eps is None else self.eps
        y = x * torch.rsqrt(x.pow(2).mean(dims, keepdim=True) + eps)
        return y * self.weight if self.weight is not None else y


module_case('RMSNorm 6', 'RMSNorm', RMSNormReference([6]), [arr(3, 6) * 3], [6], {'weight': pos(6, seed=1)})
module_case('RMSNorm [3, 6] eps', 'RMSNorm', RMSNormReference([3, 6], eps=1e-2), [arr(2, 3, 6) * 0.1], [[3, 6], {'eps': 1e-2}], {'weight': pos(3, 6, seed=2)})
module_case('RMSNorm no affine', 'RMSNorm', RMSNormReference([6], affine=False), [arr(2, 3, 6)], [6, {'elementwiseAffine': False}])

in_params = {'weight': pos(4, seed=5), 'bias': arr(4, seed=6)}
in_stats = {'running_mean': arr(4, seed=7) * 0.5, 'running_var': pos(4, seed=8)}
for op, shape in [('InstanceNorm1d', (3, 4, 5)), ('InstanceNorm1d', (4, 5)), ('InstanceNorm2d', (2, 4, 3, 3)), ('InstanceNorm2d', (4, 3, 2))]:
    ctor = getattr(nn, op)
    x = arr(*shape) * 2 + 0.5
    module_case(f'{op} {shape}', op, ctor(4), [x], [4])
    module_case(f'{op} {shape} affine', op, ctor(4, affine=True), [x], [4, {'affine': True}], in_params)
    tracked = {'affine': True, 'trackRunningStats': True}
    module_case(f'{op} {shape} tracking, train', op, ctor(4, affine=True, track_running_stats=True), [x], [4, tracked], {**in_params, **in_stats}, train=True)
    module_case(f'{op} {shape} tracking, eval', op, ctor(4, affine=True, track_running_stats=True), [x], [4, tracked], {**in_params, **in_stats})
    module_case(f'{op} {shape} not tracking, eval', op, ctor(4, affine=True), [x], [4, {'affine': True}], in_params)


def running_stats(op, layer, ctor, batches):
    """The running mean and variance (concatenated) after training forwards on `batches`."""
    def run(call, *xs):
        for x in xs:
            call(x)
        return torch.cat([layer.running_mean, layer.running_var])
    module_case(f'{op} running stats {ctor}', 'RunningStats', layer, batches, ctor, train=True, run=run, grad=False, module=op)


running_stats('InstanceNorm1d', nn.InstanceNorm1d(4, track_running_stats=True), [4, {'trackRunningStats': True}],
              [arr(3, 4, 5) * 2 + 0.5, arr(2, 4, 3, seed=9) - 1])
running_stats('InstanceNorm2d', nn.InstanceNorm2d(4, momentum=0.3, track_running_stats=True), [4, {'trackRunningStats': True, 'momentum': 0.3}],
              [arr(2, 4, 3, 3) * 2 + 0.5])
running_stats('BatchNorm3d', nn.BatchNorm3d(4), [4], [arr(2, 4, 2, 3, 2) * 2 + 0.5, arr(3, 4, 1, 2, 2, seed=9) - 1])

bn_params = {'weight': pos(4, seed=5), 'bias': arr(4, seed=6)}
bn3_in = arr(2, 4, 2, 3, 2) * 2 + 0.5
module_case('BatchNorm3d train', 'BatchNorm3d', nn.BatchNorm3d(4), [bn3_in], [4], bn_params, train=True)
module_case('BatchNorm3d eval', 'BatchNorm3d', nn.BatchNorm3d(4), [bn3_in], [4], {**bn_params, **in_stats})
module_case('BatchNorm3d train no affine', 'BatchNorm3d', nn.BatchNorm3d(4, affine=False), [bn3_in], [4, {'affine': False}], train=True)

for size, shape, kw in [(2, (2, 5, 3), {}), (3, (2, 5, 3), {'alpha': 0.5, 'beta': 0.6, 'k': 2.0}), (1, (2, 5, 2, 2), {}),
                        (4, (2, 5, 2, 2), {'alpha': 0.3}), (3, (1, 5, 2, 2, 2), {'alpha': 0.2})]:
    module_case(f'LocalResponseNorm {size} {shape} {kw}', 'LocalResponseNorm', nn.LocalResponseNorm(size, **kw), [arr(*shape) * 2], [size, kw])

# ---- dropout in evaluation, and at p = 0 in training ---------------------------------------------
for op, shape in [('Dropout1d', (2, 3, 4)), ('Dropout1d', (3, 4)), ('Dropout2d', (2, 3, 2, 2)), ('Dropout3d', (2, 3, 2, 2, 1)), ('AlphaDropout', (3, 4))]:
    module_case(f'{op} {shape} eval', op, getattr(nn, op)(0.5), [arr(*shape)], [0.5])
    module_case(f'{op} {shape} p=0 train', op, getattr(nn, op)(0.0), [arr(*shape)], [0.0], train=True)

# ---- shape, distance, bilinear --------------------------------------------------------------------
module_case('Identity with arguments', 'Identity', nn.Identity(54, unused='x'), [arr(2, 3)], [54, {'unused': 'x'}])
module_case('Unflatten', 'Unflatten', nn.Unflatten(1, (2, 3)), [arr(4, 6, 2)], [1, [2, 3]])
module_case('Unflatten -1 last dim', 'Unflatten', nn.Unflatten(-1, (2, -1)), [arr(4, 6)], [-1, [2, -1]])
module_case('CosineSimilarity', 'CosineSimilarity', nn.CosineSimilarity(), [arr(3, 5), arr(3, 5, seed=3)], run=pair)
module_case('CosineSimilarity dim -1, broadcast', 'CosineSimilarity', nn.CosineSimilarity(dim=-1), [arr(2, 3, 4), arr(3, 4, seed=3)], [{'dim': -1}], run=pair)
module_case('PairwiseDistance', 'PairwiseDistance', nn.PairwiseDistance(), [arr(3, 5), arr(3, 5, seed=3)], run=pair)
module_case('PairwiseDistance p=1 keepdim', 'PairwiseDistance', nn.PairwiseDistance(p=1, keepdim=True), [arr(3, 5), arr(3, 5, seed=3)],
            [{'p': 1, 'keepdim': True}], run=pair)
module_case('PairwiseDistance p=3 eps, broadcast', 'PairwiseDistance', nn.PairwiseDistance(p=3, eps=1e-3), [arr(2, 3, 4), arr(4, seed=3)],
            [{'p': 3, 'eps': 1e-3}], run=pair)
bl_params = {'weight': arr(4, 2, 3, seed=1) * 0.5, 'bias': arr(4, seed=2)}
module_case('Bilinear', 'Bilinear', nn.Bilinear(2, 3, 4), [arr(5, 2), arr(5, 3, seed=3)], [2, 3, 4], bl_params, run=pair)
module_case('Bilinear no bias, 3-D input', 'Bilinear', nn.Bilinear(2, 3, 4, bias=False), [arr(2, 5, 2), arr(2, 5, 3, seed=3)], [2, 3, 4, {'bias': False}],
            {'weight': bl_params['weight']}, run=pair)
module_case('Bilinear 1-D input', 'Bilinear', nn.Bilinear(2, 3, 4), [arr(2), arr(3, seed=3)], [2, 3, 4], bl_params, run=pair)

# ---- EmbeddingBag -----------------------------------------------------------------------------------
bag_weight = {'weight': arr(6, 3, seed=4)}
bag_rows = torch.tensor([[0, 2, 5], [4, 1, 1]])
bag_flat = torch.tensor([1, 2, 4, 5, 4, 3, 2, 0])
bag_offsets = torch.tensor([0, 2, 2, 5])


def bag_case(name, layer, xs, names, ctor, params=bag_weight):
    """EmbeddingBag on inputs `xs` named `names` (input, offsets, perSampleWeights)."""
    torch_names = {'input': 'input', 'offsets': 'offsets', 'perSampleWeights': 'per_sample_weights'}
    module_case(name, 'EmbeddingBag', layer, xs, ctor, params, inputs=names, run=lambda call, *ts: call(**{torch_names[n]: t for n, t in zip(names, ts)}))


for mode in ['sum', 'mean', 'max']:
    bag_case(f'EmbeddingBag 2-D {mode}', nn.EmbeddingBag(6, 3, mode=mode), [bag_rows], ['input'], [6, 3, {'mode': mode}])
    bag_case(f'EmbeddingBag offsets with an empty bag {mode}', nn.EmbeddingBag(6, 3, mode=mode), [bag_flat, bag_offsets], ['input', 'offsets'],
             [6, 3, {'mode': mode}])
    bag_case(f'EmbeddingBag paddingIdx {mode}', nn.EmbeddingBag(6, 3, mode=mode, padding_idx=4), [bag_flat, bag_offsets], ['input', 'offsets'],
             [6, 3, {'mode': mode, 'paddingIdx': 4}])
bag_case('EmbeddingBag includeLastOffset', nn.EmbeddingBag(6, 3, include_last_offset=True), [bag_flat, torch.tensor([0, 3, 8])], ['input', 'offsets'],
         [6, 3, {'includeLastOffset': True}])
bag_case('EmbeddingBag perSampleWeights', nn.EmbeddingBag(6, 3, mode='sum'), [bag_flat, bag_offsets, arr(8, seed=5)],
         ['input', 'offsets', 'perSampleWeights'], [6, 3, {'mode': 'sum'}])
bag_case('EmbeddingBag 2-D perSampleWeights', nn.EmbeddingBag(6, 3, mode='sum'), [bag_rows, arr(2, 3, seed=5)],
         ['input', 'perSampleWeights'], [6, 3, {'mode': 'sum'}])

fx.save()
