"""Fixtures for torch.optim.LBFGS: several step(closure) calls on two fixed problems, without and
with the strong-Wolfe line search, recording after each step the loss step returned, the parameters,
and the state's counters and history length.

Writes fixtures/lbfgs/trajectories.json.
"""
import json
import os

import torch

import optim_cases as base
from common import OUT, arr, enc

# Rosenbrock's function of the six values of a ([2]) and B ([2, 2]), flattened in order.
# Linear regression: mean squared error of X W^T + b against y, X and y fixed arrays.
X = arr(12, 3, lo=-1.0, hi=1.0, seed=7)
PROBLEMS = {
    'rosenbrock': {
        'params': [torch.tensor([-1.2, 1.0]), torch.tensor([[0.8, -0.6], [1.1, 0.3]])],
        'data': {},
    },
    'regression': {
        'params': [arr(1, 3, lo=-0.5, hi=0.5, seed=9), torch.zeros(1)],
        'data': {'x': X, 'y': X @ torch.tensor([[0.5], [-1.2], [2.0]]) + 0.3 + 0.1 * arr(12, 1, seed=8)},
    },
}


def loss_fn(problem, params):
    if problem == 'rosenbrock':
        x = torch.cat([p.reshape(-1) for p in params])
        return (100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2).sum()
    W, b = params
    d = PROBLEMS['regression']['data']
    return ((d['x'] @ W.t() + b - d['y']) ** 2).mean()


CASES = [
    ('rosenbrock fixed step', 'rosenbrock', {'lr': 0.05, 'maxIter': 10}, 4),
    # Rosenbrock's valley amplifies float32 rounding along a line-searched path (a start perturbed by
    # 1e-7 ends a 10-iteration second step 1e-3 away); these short steps stay within 4e-5 of it.
    ('rosenbrock strong_wolfe', 'rosenbrock', {'maxIter': 5, 'lineSearchFn': 'strong_wolfe'}, 3),
    ('rosenbrock strong_wolfe history 3', 'rosenbrock', {'maxIter': 5, 'historySize': 3, 'lineSearchFn': 'strong_wolfe'}, 3),
    ('rosenbrock fixed step history 2', 'rosenbrock', {'lr': 0.05, 'maxIter': 8, 'historySize': 2}, 3),
    ('regression fixed step history 2', 'regression', {'lr': 0.5, 'maxIter': 5, 'historySize': 2}, 4),
    ('regression strong_wolfe', 'regression', {'lineSearchFn': 'strong_wolfe', 'toleranceGrad': 1e-4}, 3),
    ('regression strong_wolfe maxEval', 'regression', {'maxIter': 10, 'maxEval': 4, 'lineSearchFn': 'strong_wolfe'}, 3),
    ('regression fixed step toleranceChange', 'regression', {'lr': 0.2, 'maxIter': 30, 'toleranceChange': 1e-3}, 3),
]


def trajectory(name, problem, options, steps):
    params = [p.clone().requires_grad_() for p in PROBLEMS[problem]['params']]
    opt = torch.optim.LBFGS(params, **base.snake(options))

    def closure():
        opt.zero_grad()
        loss = loss_fn(problem, params)
        loss.backward()
        return loss

    record = []
    for _ in range(steps):
        loss = opt.step(closure)
        state = opt.state[params[0]]
        record.append({
            'loss': loss.item(), 'params': [enc(p) for p in params],
            'funcEvals': state['func_evals'], 'nIter': state['n_iter'], 'history': len(state.get('old_dirs', [])),
        })
    return {'name': name, 'problem': problem, 'options': options, 'steps': record}


def main():
    cases = [trajectory(*c) for c in CASES]
    problems = {name: {'params': [enc(p) for p in p_['params']], 'data': {k: enc(v) for k, v in p_['data'].items()}} for name, p_ in PROBLEMS.items()}
    folder = os.path.join(OUT, 'lbfgs')
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, 'trajectories.json'), 'w') as f:
        json.dump({'generator': f'torch {torch.__version__}', 'problems': problems, 'cases': cases}, f, separators=(',', ':'), sort_keys=True)
        f.write('\n')
    print(f'lbfgs/trajectories: {len(cases)} cases')
    for c in cases:
        print(c['name'], [(round(s['loss'], 6), s['funcEvals'], s['nIter'], s['history']) for s in c['steps']])


main()
