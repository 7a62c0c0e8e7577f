"""Fixtures for flint.optim: optimizer trajectories and learning-rate schedules, made with torch.optim.

Writes fixtures/optim/trajectories.json and fixtures/optim/schedulers.json (a subfolder, because the
generic op-fixture runner reads every top-level fixtures/*.json). Options are spelled as flint spells
them (camelCase) and translated to torch's keyword names here, so the suite can pass them through.
"""
import json
import math
import os
import re
import warnings

import torch

from common import OUT, arr, enc, pos

STEPS = 10

# ---- the fixed problem ---------------------------------------------------------------------------
# loss(W, b) = sum((W x + b - y)^2) + sum(b^2 c): a least-squares fit plus a weighted L2 term on b,
# so both parameters get gradients of different sizes and the loss changes every step.
PROBLEM = {
    'W': arr(2, 3, lo=-1.0, hi=1.0, seed=1),
    'b': arr(2, 1, lo=-0.5, hi=0.5, seed=2),
    'x': arr(3, 4, lo=-1.0, hi=1.0, seed=3),
    'y': arr(2, 4, seed=4),
    'c': pos(2, 1, seed=5),
}


def loss_fn(W, b):
    p = PROBLEM
    return ((W @ p['x'] + b - p['y']) ** 2).sum() + (b * b * p['c']).sum()


def snake(options):
    """flint's camelCase option names as torch's keyword arguments (weightDecay -> weight_decay)."""
    out = {}
    for key, value in options.items():
        name = re.sub(r'([A-Z])', lambda m: '_' + m.group(1).lower(), key)
        out[name] = tuple(value) if isinstance(value, list) else value
    return out


OPTIMIZERS = {
    'SGD': torch.optim.SGD, 'Adam': torch.optim.Adam, 'AdamW': torch.optim.AdamW,
    'RMSprop': torch.optim.RMSprop, 'Adagrad': torch.optim.Adagrad,
}


def make_optimizer(kind, params, options, groups=None):
    """torch's optimizer of `kind`; `groups` lists {'params': [indices], ...options} like flint's input."""
    if groups is not None:
        params = [dict(snake({k: v for k, v in g.items() if k != 'params'}), params=[params[i] for i in g['params']]) for g in groups]
    # foreach=False: the single-tensor implementations are the reference formulas.
    return OPTIMIZERS[kind](params, **snake(options), foreach=False)


def trajectory(name, kind, options, groups=None):
    params = [PROBLEM['W'].clone().requires_grad_(), PROBLEM['b'].clone().requires_grad_()]
    opt = make_optimizer(kind, params, options, groups)
    losses, states = [], []
    for _ in range(STEPS):
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(*params)
        loss.backward()
        opt.step()
        losses.append(loss.item())
        states.append([enc(p) for p in params])
    case = {'name': name, 'optimizer': kind, 'options': options, 'losses': losses, 'params': states}
    if groups is not None:
        case['groups'] = groups
    return case


OPTIMIZER_CASES = [
    ('SGD plain', 'SGD', {'lr': 0.02}),
    ('SGD momentum', 'SGD', {'lr': 0.02, 'momentum': 0.9}),
    ('SGD dampening', 'SGD', {'lr': 0.02, 'momentum': 0.9, 'dampening': 0.5}),
    ('SGD nesterov', 'SGD', {'lr': 0.02, 'momentum': 0.9, 'nesterov': True}),
    ('SGD weightDecay', 'SGD', {'lr': 0.02, 'momentum': 0.5, 'weightDecay': 0.1}),
    ('SGD maximize', 'SGD', {'lr': 0.01, 'momentum': 0.5, 'maximize': True}),
    ('Adam plain', 'Adam', {'lr': 0.05}),
    ('Adam weightDecay', 'Adam', {'lr': 0.05, 'weightDecay': 0.1}),
    ('Adam amsgrad', 'Adam', {'lr': 0.05, 'betas': [0.8, 0.99], 'amsgrad': True}),
    ('Adam maximize', 'Adam', {'lr': 0.05, 'maximize': True, 'eps': 1e-6}),
    ('Adam large eps', 'Adam', {'lr': 0.05, 'eps': 0.5}),
    ('AdamW default decay', 'AdamW', {'lr': 0.05}),
    ('AdamW amsgrad weightDecay', 'AdamW', {'lr': 0.05, 'weightDecay': 0.5, 'amsgrad': True}),
    ('RMSprop plain', 'RMSprop', {'lr': 0.01}),
    ('RMSprop centered', 'RMSprop', {'lr': 0.01, 'centered': True}),
    ('RMSprop momentum', 'RMSprop', {'lr': 0.01, 'momentum': 0.9, 'alpha': 0.9}),
    ('RMSprop weightDecay', 'RMSprop', {'lr': 0.01, 'weightDecay': 0.1}),
    ('RMSprop large eps', 'RMSprop', {'lr': 0.01, 'eps': 0.5}),
    ('RMSprop centered momentum maximize', 'RMSprop', {'lr': 0.005, 'centered': True, 'momentum': 0.5, 'maximize': True}),
    ('Adagrad plain', 'Adagrad', {'lr': 0.1}),
    ('Adagrad lrDecay', 'Adagrad', {'lr': 0.1, 'lrDecay': 0.2}),
    ('Adagrad weightDecay', 'Adagrad', {'lr': 0.1, 'weightDecay': 0.1}),
    ('Adagrad initialAccumulatorValue', 'Adagrad', {'lr': 0.1, 'initialAccumulatorValue': 0.5, 'eps': 1e-6}),
    ('Adagrad maximize', 'Adagrad', {'lr': 0.1, 'maximize': True}),
]
GROUP_CASES = [
    ('SGD two groups', 'SGD', {'lr': 0.02, 'momentum': 0.9}, [{'params': [0]}, {'params': [1], 'lr': 0.05, 'momentum': 0.5}]),
    ('Adam two groups', 'Adam', {'lr': 0.05}, [{'params': [0], 'betas': [0.5, 0.9]}, {'params': [1], 'lr': 0.01, 'weightDecay': 0.1}]),
]


# ---- learning-rate schedules -----------------------------------------------------------------------
# Functions cannot live in JSON: LambdaLR cases name one of these, and the suite defines the same.
LAMBDAS = {
    'power': lambda epoch: 0.95 ** epoch,
    'warmup': lambda epoch: min(1.0, (epoch + 1) / 5),
}
SCHEDULERS = {
    'StepLR': torch.optim.lr_scheduler.StepLR, 'MultiStepLR': torch.optim.lr_scheduler.MultiStepLR,
    'ExponentialLR': torch.optim.lr_scheduler.ExponentialLR, 'CosineAnnealingLR': torch.optim.lr_scheduler.CosineAnnealingLR,
    'LinearLR': torch.optim.lr_scheduler.LinearLR, 'LambdaLR': torch.optim.lr_scheduler.LambdaLR,
    'OneCycleLR': torch.optim.lr_scheduler.OneCycleLR, 'SequentialLR': torch.optim.lr_scheduler.SequentialLR,
    'ReduceLROnPlateau': torch.optim.lr_scheduler.ReduceLROnPlateau,
}


def make_scheduler(opt, spec):
    options = dict(spec.get('options', {}))
    if 'lrLambda' in options:
        names = options['lrLambda']
        options['lrLambda'] = [LAMBDAS[n] for n in names] if isinstance(names, list) else LAMBDAS[names]
    if 'schedulers' in options:
        options['schedulers'] = [make_scheduler(opt, s) for s in options['schedulers']]
    kwargs = snake(options)
    if 't_max' in kwargs:  # torch spells it T_max; flint's tMax follows the camelCase rule
        kwargs['T_max'] = kwargs.pop('t_max')
    return SCHEDULERS[spec['type']](opt, **kwargs)


def momentum_of(group):
    return group['betas'][0] if 'betas' in group else group['momentum']


def schedule(name, optimizer, scheduler, steps, metrics=None):
    """Records every group's lr after construction and after each of `steps` scheduler steps."""
    params = [torch.zeros(1, requires_grad=True), torch.zeros(1, requires_grad=True)]
    opt = make_optimizer(optimizer['type'], params, optimizer['options'], optimizer.get('groups'))
    sched = make_scheduler(opt, scheduler)
    lrs = [[g['lr'] for g in opt.param_groups]]
    momenta = [[momentum_of(g) for g in opt.param_groups]]
    for i in range(steps):
        opt.step()
        sched.step(metrics[i]) if metrics is not None else sched.step()
        lrs.append([g['lr'] for g in opt.param_groups])
        momenta.append([momentum_of(g) for g in opt.param_groups])
    case = {'name': name, 'optimizer': optimizer, 'scheduler': scheduler, 'lrs': lrs}
    if scheduler['type'] == 'OneCycleLR' and scheduler['options'].get('cycleMomentum', True):
        case['momenta'] = momenta
    if metrics is not None:
        case['metrics'] = metrics
    return case


# SequentialLR steps its schedulers with step(0) at milestones, which torch 1.13 itself warns about.
warnings.filterwarnings('ignore', message='The epoch parameter in `scheduler.step\\(\\)`')

SGD1 = {'type': 'SGD', 'options': {'lr': 0.1, 'momentum': 0.9}, 'groups': [{'params': [0, 1]}]}
SGD2 = {'type': 'SGD', 'options': {'lr': 0.1, 'momentum': 0.9}, 'groups': [{'params': [0]}, {'params': [1], 'lr': 0.03}]}
# Resuming (lastEpoch >= 0) needs each group's initialLr, as a loaded optimizer state would have.
SGD_RESUMED = {'type': 'SGD', 'options': {'lr': 0.1}, 'groups': [{'params': [0, 1], 'initialLr': 0.2}]}
ADAM = {'type': 'Adam', 'options': {'lr': 0.01}, 'groups': [{'params': [0, 1]}]}
# A plateau-ish metric: improves, stalls, wiggles within the threshold, improves again.
METRICS = [1.0, 0.9, 0.85, 0.85, 0.86, 0.8499, 0.849, 0.85, 0.7, 0.7, 0.7, 0.7, 0.7, 0.71, 0.69, 0.69,
           0.69, 0.69, 0.69, 0.69, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]

SCHEDULER_CASES = [
    ('StepLR', SGD2, {'type': 'StepLR', 'options': {'stepSize': 7, 'gamma': 0.5}}, 30),
    ('MultiStepLR repeated milestone', SGD1, {'type': 'MultiStepLR', 'options': {'milestones': [5, 12, 12, 20], 'gamma': 0.3}}, 30),
    ('ExponentialLR', SGD2, {'type': 'ExponentialLR', 'options': {'gamma': 0.9}}, 30),
    ('CosineAnnealingLR several periods', SGD1, {'type': 'CosineAnnealingLR', 'options': {'tMax': 7, 'etaMin': 0.001}}, 30),
    ('CosineAnnealingLR resumed at epoch 2', SGD_RESUMED, {'type': 'CosineAnnealingLR', 'options': {'tMax': 10, 'lastEpoch': 2}}, 30),
    ('CosineAnnealingLR two groups', SGD2, {'type': 'CosineAnnealingLR', 'options': {'tMax': 10}}, 30),
    ('LinearLR default', SGD1, {'type': 'LinearLR', 'options': {}}, 30),
    ('LinearLR decay', SGD2, {'type': 'LinearLR', 'options': {'startFactor': 1.0, 'endFactor': 0.1, 'totalIters': 10}}, 30),
    ('LambdaLR', SGD1, {'type': 'LambdaLR', 'options': {'lrLambda': 'power'}}, 30),
    ('LambdaLR per group', SGD2, {'type': 'LambdaLR', 'options': {'lrLambda': ['power', 'warmup']}}, 30),
    ('OneCycleLR cos', SGD2, {'type': 'OneCycleLR', 'options': {'maxLr': 0.5, 'totalSteps': 30}}, 29),
    ('OneCycleLR linear three phase', SGD1, {'type': 'OneCycleLR', 'options': {'maxLr': [0.5], 'totalSteps': 30, 'annealStrategy': 'linear', 'threePhase': True, 'pctStart': 0.25}}, 29),
    ('OneCycleLR Adam epochs', ADAM, {'type': 'OneCycleLR', 'options': {'maxLr': 0.02, 'epochs': 3, 'stepsPerEpoch': 10, 'divFactor': 10.0, 'finalDivFactor': 100.0, 'baseMomentum': 0.8, 'maxMomentum': 0.9}}, 29),
    ('OneCycleLR no momentum', SGD1, {'type': 'OneCycleLR', 'options': {'maxLr': 0.3, 'totalSteps': 20, 'cycleMomentum': False}}, 19),
    ('SequentialLR warmup then decay', SGD2, {'type': 'SequentialLR', 'options': {'schedulers': [
        {'type': 'LinearLR', 'options': {'startFactor': 0.1, 'totalIters': 5}},
        {'type': 'ExponentialLR', 'options': {'gamma': 0.9}}], 'milestones': [5]}}, 30),
    ('SequentialLR three schedulers', SGD1, {'type': 'SequentialLR', 'options': {'schedulers': [
        {'type': 'LinearLR', 'options': {'startFactor': 0.5, 'totalIters': 4}},
        {'type': 'StepLR', 'options': {'stepSize': 3, 'gamma': 0.5}},
        {'type': 'CosineAnnealingLR', 'options': {'tMax': 6, 'etaMin': 0.01}}], 'milestones': [4, 12]}}, 30),
]
PLATEAU_CASES = [
    ('ReduceLROnPlateau min rel', SGD2, {'type': 'ReduceLROnPlateau', 'options': {'patience': 2}}),
    ('ReduceLROnPlateau abs cooldown minLr', SGD2, {'type': 'ReduceLROnPlateau', 'options': {'factor': 0.5, 'patience': 1, 'threshold': 0.005, 'thresholdMode': 'abs', 'cooldown': 2, 'minLr': [0.02, 0.01]}}),
    ('ReduceLROnPlateau max eps', SGD1, {'type': 'ReduceLROnPlateau', 'options': {'mode': 'max', 'factor': 0.2, 'patience': 0, 'minLr': 0.0005, 'eps': 0.001}}),
]


def save(name, payload):
    """Writes fixtures/optim/<name>.json with stable key order, so reruns reproduce it byte for byte."""
    folder = os.path.join(OUT, 'optim')
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, f'{name}.json'), 'w') as f:
        json.dump({'generator': f'torch {torch.__version__}', **payload}, f, separators=(',', ':'), sort_keys=True)
        f.write('\n')
    print(f'optim/{name}: {len(payload["cases"])} cases')


def main():
    cases = [trajectory(*c) for c in OPTIMIZER_CASES] + [trajectory(*c) for c in GROUP_CASES]
    for c in cases:
        if not all(math.isfinite(v) for v in c['losses']):
            raise ValueError(f'{c["name"]}: the trajectory diverged; pick a smaller lr')
    save('trajectories', {'steps': STEPS, 'problem': {k: enc(v) for k, v in PROBLEM.items()}, 'cases': cases})
    schedules = [schedule(*c) for c in SCHEDULER_CASES] + [schedule(n, o, s, len(METRICS), METRICS) for n, o, s in PLATEAU_CASES]
    save('schedulers', {'cases': schedules})


main()
