"""Fixtures for the further torch.optim optimizers and schedulers, and for nn.init's exact values.

Writes fixtures/optim2/trajectories.json and fixtures/optim2/schedulers.json in the layout of
optim_cases.py (whose fixed problem, option spelling and recording this reuses), so the optim
suite's trajectory and schedule checks run on them unchanged.
"""
import json
import math
import os
import re

import torch

import optim_cases as base
from common import OUT, enc

# The optimizers and schedulers these cases add to optim_cases' tables (which build torch's objects).
base.OPTIMIZERS.update({
    'Adadelta': torch.optim.Adadelta, 'Adamax': torch.optim.Adamax, 'NAdam': torch.optim.NAdam,
    'RAdam': torch.optim.RAdam, 'Rprop': torch.optim.Rprop, 'ASGD': torch.optim.ASGD,
})
S = torch.optim.lr_scheduler
base.SCHEDULERS.update({
    'ConstantLR': S.ConstantLR, 'PolynomialLR': S.PolynomialLR, 'MultiplicativeLR': S.MultiplicativeLR,
    'CosineAnnealingWarmRestarts': S.CosineAnnealingWarmRestarts, 'CyclicLR': S.CyclicLR,
})
# Functions cannot live in JSON: cases name one of these, and the suite defines the same.
base.LAMBDAS.update({
    'shrink': lambda epoch: 0.9,
    'alternate': lambda epoch: 1.1 if epoch % 2 else 0.8,
    'halving': lambda x: 0.5 ** x,
})

OPTIMIZER_CASES = [
    ('Adadelta plain', 'Adadelta', {}),
    ('Adadelta rho eps weightDecay', 'Adadelta', {'lr': 0.5, 'rho': 0.8, 'eps': 1e-4, 'weightDecay': 0.1}),
    ('Adadelta maximize', 'Adadelta', {'lr': 0.5, 'maximize': True}),
    ('Adamax plain', 'Adamax', {'lr': 0.05}),
    ('Adamax betas weightDecay', 'Adamax', {'lr': 0.05, 'betas': [0.8, 0.9], 'weightDecay': 0.1}),
    ('Adamax maximize large eps', 'Adamax', {'lr': 0.05, 'maximize': True, 'eps': 0.5}),
    ('NAdam plain', 'NAdam', {'lr': 0.05}),
    ('NAdam momentumDecay weightDecay', 'NAdam', {'lr': 0.05, 'momentumDecay': 0.1, 'weightDecay': 0.1, 'betas': [0.8, 0.99]}),
    # rho_t passes 5 at step 6 for both beta2 (4.996 and 4.58 at step 5): both branches run.
    ('RAdam plain', 'RAdam', {'lr': 0.05}),
    ('RAdam betas weightDecay', 'RAdam', {'lr': 0.05, 'betas': [0.8, 0.9], 'weightDecay': 0.1, 'eps': 1e-6}),
    ('Rprop plain', 'Rprop', {'lr': 0.05}),
    ('Rprop etas stepSizes maximize', 'Rprop', {'lr': 0.1, 'etas': [0.3, 1.5], 'stepSizes': [0.02, 0.2], 'maximize': True}),
    ('ASGD plain', 'ASGD', {'lr': 0.01}),
    ('ASGD averaging from step 3', 'ASGD', {'lr': 0.02, 'lambd': 0.01, 'alpha': 0.5, 't0': 3, 'weightDecay': 0.1}),
    ('ASGD maximize', 'ASGD', {'lr': 0.005, 'maximize': True}),
]
GROUP_CASES = [
    ('NAdam two groups', 'NAdam', {'lr': 0.05}, [{'params': [0]}, {'params': [1], 'lr': 0.01, 'momentumDecay': 0.01}]),
    ('Rprop two groups', 'Rprop', {'lr': 0.05}, [{'params': [0], 'etas': [0.4, 1.3]}, {'params': [1], 'lr': 0.01}]),
]

SNAKE_EXCEPTIONS = {'t0': 'T_0', 't_mult': 'T_mult'}


def make_scheduler(opt, spec):
    """Builds torch's scheduler from a spec, as optim_cases does, adding ChainedScheduler (which takes
    no optimizer), scaleFn and torch's T_0 / T_mult spellings."""
    options = dict(spec.get('options', {}))
    nested = [make_scheduler(opt, s) for s in options.pop('schedulers', [])]
    if spec['type'] == 'ChainedScheduler':
        return S.ChainedScheduler(nested)
    extra = {'schedulers': nested} if nested else {}
    if 'lrLambda' in options:
        names = options.pop('lrLambda')
        extra['lr_lambda'] = [base.LAMBDAS[n] for n in names] if isinstance(names, list) else base.LAMBDAS[names]
    if 'scaleFn' in options:
        extra['scale_fn'] = base.LAMBDAS[options.pop('scaleFn')]
    kwargs = {SNAKE_EXCEPTIONS.get(k, k): v for k, v in base.snake(options).items()}
    return base.SCHEDULERS[spec['type']](opt, **kwargs, **extra)


def schedule(name, optimizer, scheduler, steps, epochs=None):
    """Every group's lr (and momentum, for CyclicLR) after construction and after each step;
    `epochs`, when given, are passed to step(epoch)."""
    params = [torch.zeros(1, requires_grad=True), torch.zeros(1, requires_grad=True)]
    opt = base.make_optimizer(optimizer['type'], params, optimizer['options'], optimizer.get('groups'))
    sched = make_scheduler(opt, scheduler)
    lrs = [[g['lr'] for g in opt.param_groups]]
    momenta = [[g.get('momentum') for g in opt.param_groups]]
    for i in range(steps):
        opt.step()
        sched.step(epochs[i]) if epochs is not None else sched.step()
        lrs.append([g['lr'] for g in opt.param_groups])
        momenta.append([g.get('momentum') for g in opt.param_groups])
    case = {'name': name, 'optimizer': optimizer, 'scheduler': scheduler, 'lrs': lrs}
    if scheduler['type'] == 'CyclicLR' and scheduler['options'].get('cycleMomentum', True):
        case['momenta'] = momenta
    if epochs is not None:
        case['epochs'] = epochs
    return case


SGD1, SGD2, ADAM = base.SGD1, base.SGD2, base.ADAM
CYCLIC = {'baseLr': [0.01, 0.02], 'maxLr': [0.1, 0.05], 'stepSizeUp': 4, 'stepSizeDown': 3}
SCHEDULER_CASES = [
    ('ConstantLR default', SGD1, {'type': 'ConstantLR', 'options': {}}, 30),
    ('ConstantLR factor', SGD2, {'type': 'ConstantLR', 'options': {'factor': 0.5, 'totalIters': 4}}, 30),
    ('PolynomialLR default', SGD1, {'type': 'PolynomialLR', 'options': {}}, 30),
    ('PolynomialLR power', SGD2, {'type': 'PolynomialLR', 'options': {'totalIters': 20, 'power': 2.5}}, 30),
    ('MultiplicativeLR', SGD1, {'type': 'MultiplicativeLR', 'options': {'lrLambda': 'shrink'}}, 30),
    ('MultiplicativeLR per group', SGD2, {'type': 'MultiplicativeLR', 'options': {'lrLambda': ['shrink', 'alternate']}}, 30),
    ('CosineAnnealingWarmRestarts', SGD2, {'type': 'CosineAnnealingWarmRestarts', 'options': {'t0': 5, 'etaMin': 0.001}}, 30),
    ('CosineAnnealingWarmRestarts tMult', SGD1, {'type': 'CosineAnnealingWarmRestarts', 'options': {'t0': 3, 'tMult': 2}}, 30),
    ('CyclicLR triangular', SGD2, {'type': 'CyclicLR', 'options': CYCLIC}, 30),
    ('CyclicLR triangular2', SGD2, {'type': 'CyclicLR', 'options': {**CYCLIC, 'mode': 'triangular2', 'baseMomentum': [0.7, 0.8], 'maxMomentum': 0.95}}, 30),
    ('CyclicLR exp_range', SGD1, {'type': 'CyclicLR', 'options': {'baseLr': 0.01, 'maxLr': 0.1, 'stepSizeUp': 5, 'mode': 'exp_range', 'gamma': 0.9}}, 30),
    ('CyclicLR scaleFn no momentum', ADAM, {'type': 'CyclicLR', 'options': {'baseLr': 0.001, 'maxLr': 0.01, 'stepSizeUp': 3, 'scaleFn': 'halving', 'cycleMomentum': False}}, 30),
    ('ChainedScheduler constant and exponential', SGD2, {'type': 'ChainedScheduler', 'options': {'schedulers': [
        {'type': 'ConstantLR', 'options': {'factor': 0.1, 'totalIters': 3}},
        {'type': 'ExponentialLR', 'options': {'gamma': 0.9}}]}}, 30),
    ('ChainedScheduler three', SGD1, {'type': 'ChainedScheduler', 'options': {'schedulers': [
        {'type': 'MultiplicativeLR', 'options': {'lrLambda': 'alternate'}},
        {'type': 'PolynomialLR', 'options': {'totalIters': 12, 'power': 0.5}},
        {'type': 'StepLR', 'options': {'stepSize': 4, 'gamma': 0.5}}]}}, 30),
    ('SequentialLR into warm restarts', SGD1, {'type': 'SequentialLR', 'options': {'schedulers': [
        {'type': 'ConstantLR', 'options': {'factor': 0.5, 'totalIters': 3}},
        {'type': 'CosineAnnealingWarmRestarts', 'options': {'t0': 4, 'tMult': 2}}], 'milestones': [6]}}, 30),
]
# Fractional epochs, as a per-batch schedule passes them.
EPOCHS = [i / 4 for i in range(1, 31)]
EPOCH_CASES = [
    ('CosineAnnealingWarmRestarts fractional epochs', SGD2, {'type': 'CosineAnnealingWarmRestarts', 'options': {'t0': 2, 'tMult': 2, 'etaMin': 0.01}}, EPOCHS),
]


# ---- nn.init ----------------------------------------------------------------------------------------
GAINS = [('linear', None), ('conv1d', None), ('conv2d', None), ('conv3d', None), ('conv_transpose1d', None),
         ('conv_transpose2d', None), ('conv_transpose3d', None), ('sigmoid', None), ('tanh', None),
         ('relu', None), ('leaky_relu', None), ('leaky_relu', 0.2), ('leaky_relu', 0), ('selu', None)]
DIRAC = [([4, 2, 3], 2), ([3, 5, 3], 1), ([2, 3, 3, 3], 1), ([6, 2, 3, 2], 3), ([4, 2, 1, 3, 3], 2)]
# Truncated normals (mean, std, a, b) whose sample moments the suite compares with the closed form.
TRUNCATED = [(0.0, 1.0, -2.0, 2.0), (0.5, 2.0, -1.0, 2.0), (-1.0, 0.5, -1.2, 0.0)]


def camel(name):
    return re.sub(r'_([a-z])', lambda m: m.group(1).upper(), name)


def truncated_moments(mean, std, a, b):
    """The mean and variance of N(mean, std^2) truncated to [a, b], from the closed form."""
    alpha, beta = (a - mean) / std, (b - mean) / std
    pdf = lambda x: math.exp(-x * x / 2) / math.sqrt(2 * math.pi)
    z = (math.erf(beta / math.sqrt(2)) - math.erf(alpha / math.sqrt(2))) / 2
    m = mean + std * (pdf(alpha) - pdf(beta)) / z
    var = std ** 2 * (1 + (alpha * pdf(alpha) - beta * pdf(beta)) / z - ((pdf(alpha) - pdf(beta)) / z) ** 2)
    return m, var


def init_cases():
    gains = [{'nonlinearity': camel(n), 'param': p, 'gain': torch.nn.init.calculate_gain(n, p)} for n, p in GAINS]
    eye = torch.nn.init.eye_(torch.empty(3, 5))
    dirac = [{'shape': s, 'groups': g, 'value': enc(torch.nn.init.dirac_(torch.empty(*s), groups=g))} for s, g in DIRAC]
    truncated = [{'mean': m, 'std': sd, 'a': a, 'b': b, 'moments': truncated_moments(m, sd, a, b)} for m, sd, a, b in TRUNCATED]
    return {'gains': gains, 'eye': enc(eye), 'dirac': dirac, 'truncated': truncated}


def main():
    cases = [base.trajectory(*c) for c in OPTIMIZER_CASES] + [base.trajectory(*c) for c in GROUP_CASES]
    for c in cases:
        if not all(math.isfinite(v) for v in c['losses']):
            raise ValueError(f'{c["name"]}: the trajectory diverged; pick a smaller lr')
    save('trajectories', {'steps': base.STEPS, 'problem': {k: enc(v) for k, v in base.PROBLEM.items()}, 'cases': cases})
    schedules = [schedule(*c) for c in SCHEDULER_CASES] + [schedule(n, o, s, len(e), e) for n, o, s, e in EPOCH_CASES]
    save('schedulers', {'cases': schedules})
    save('init', init_cases())


def save(name, payload):
    """Writes fixtures/optim2/<name>.json with stable key order, so reruns reproduce it byte for byte."""
    folder = os.path.join(OUT, 'optim2')
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, f'{name}.json'), 'w') as f:
        json.dump({'generator': f'torch {torch.__version__}', **payload}, f, separators=(',', ':'), sort_keys=True)
        f.write('\n')
    print(f'optim2/{name}: ' + ', '.join(f'{len(v)} {k}' for k, v in payload.items() if isinstance(v, list)))


main()
