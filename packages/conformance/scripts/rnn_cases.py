"""Fixtures for flint's recurrent modules: RNN, LSTM and GRU (layers, directions, projections, initial
states, batch-first, unbatched and packed input), the three cells, and pad_sequence.

A module case records the module's parameters as extra inputs after the forward inputs (their names
in args['params'], in state-dict order, which args['keys'] lists in full), binds exactly those tensors
into the module so torch records their gradients, and returns the output and final states flattened
and concatenated: one tensor whose gradient reaches every input, initial state and weight through time.
"""
import json
import os

import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence, pad_sequence

from common import OUT, Fixture, arr, enc
from safetensors_check import write

fx = Fixture('rnn')
case = fx.case


def bind(module, params):
    """Points the module's parameters at `params` (name -> tensor). functional_call does not reach
    torch 1.13's RNN flat weights; RNNBase.__setattr__ updates them when an attribute is assigned."""
    for name, t in params.items():
        del module._parameters[name]
        setattr(module, name, t)


def weights(module, scale=0.3):
    """A fixed array for every parameter, in the module's own order."""
    return {name: arr(*p.shape, seed=i + 1) * scale for i, (name, p) in enumerate(module.named_parameters())}


def flat(*ts):
    return torch.cat([t.reshape(-1) for t in ts])


def module_case(name, op, module, xs, inputs, ctor, train=False, packed=None):
    """`module` run on `xs` (named `inputs`: input, then h0 [and c0]); with `packed` (lengths,
    batchFirst, enforceSorted), the input goes through pack_padded_sequence and the output back
    through pad_packed_sequence."""
    params = weights(module)
    names = list(params)
    module.train(train)
    args = {'inputSize': module.input_size, 'hiddenSize': module.hidden_size, 'ctor': ctor, 'inputs': inputs, 'params': names,
            'keys': list(module.state_dict().keys()), 'train': train}
    if packed:
        args['packed'] = packed

    def fn(*ts):
        bind(module, dict(zip(names, ts[len(xs):])))
        x, *states = ts[:len(xs)]
        if packed:
            x = pack_padded_sequence(x, packed['lengths'], batch_first=packed['batchFirst'], enforce_sorted=packed['enforceSorted'])
        hx = None if not states else (tuple(states) if op == 'LSTM' else states[0])
        out, hn = module(x, hx)
        if packed:
            out, _ = pad_packed_sequence(out, batch_first=packed['batchFirst'])
        return flat(out, *(hn if op == 'LSTM' else (hn,)))

    case(name, op, [*xs, *params.values()], args, fn=fn)


TORCH_NAMES = {'numLayers': 'num_layers', 'bias': 'bias', 'batchFirst': 'batch_first', 'dropout': 'dropout', 'bidirectional': 'bidirectional',
               'projSize': 'proj_size', 'nonlinearity': 'nonlinearity'}


def build(op, ctor, i=3, h=4):
    return getattr(nn, op)(i, h, **{TORCH_NAMES[k]: v for k, v in ctor.items()})


T, B, I, H = 5, 2, 3, 4


def states(op, ctor, batch=B, seed=20):
    """Initial states for `ctor`: h0 [layers * directions, batch, out], and LSTM's c0."""
    layers = ctor.get('numLayers', 1) * (2 if ctor.get('bidirectional') else 1)
    out = ctor.get('projSize') or H
    shape = [layers, batch] if batch else [layers]
    hs = [arr(*shape, out, seed=seed) * 0.5]
    if op == 'LSTM':
        hs.append(arr(*shape, H, seed=seed + 1) * 0.5)
    return hs


configs = [
    {},
    {'numLayers': 2},
    {'bidirectional': True},
    {'numLayers': 2, 'bidirectional': True, 'batchFirst': True},
    {'bias': False},
    {'numLayers': 2, 'dropout': 0.0},
]
for op, extra in [('RNN', {}), ('RNN', {'nonlinearity': 'relu'}), ('LSTM', {}), ('GRU', {})]:
    for cfg in configs + ([{'projSize': 2}, {'projSize': 3, 'numLayers': 2, 'bidirectional': True}] if op == 'LSTM' else []):
        ctor = {**extra, **cfg}
        label = f'{op} {ctor}'
        x = arr(B, T, I) if ctor.get('batchFirst') else arr(T, B, I)
        names = ['input'] + (['h0', 'c0'] if op == 'LSTM' else ['h0'])
        module_case(f'{label} zero state', op, build(op, ctor), [x], ['input'], ctor, train=cfg.get('dropout') == 0.0)
        module_case(f'{label} initial state', op, build(op, ctor), [x, *states(op, ctor)], names, ctor)
    for cfg in [{}, {'numLayers': 2, 'bidirectional': True}]:
        ctor = {**extra, **cfg}
        names = ['input'] + (['h0', 'c0'] if op == 'LSTM' else ['h0'])
        module_case(f'{op} {ctor} unbatched', op, build(op, ctor), [arr(T, I), *states(op, ctor, batch=None)], names, ctor)
    ctor = {**extra, 'numLayers': 2, 'dropout': 0.5}
    module_case(f'{op} {ctor} dropout in eval', op, build(op, ctor), [arr(T, B, I)], ['input'], ctor)

# Packed batches: a reverse direction starts at each sequence's last valid step.
for op in ['RNN', 'LSTM', 'GRU']:
    for cfg, lengths, sorted_ in [({}, [5, 3, 2], True), ({'bidirectional': True, 'numLayers': 2}, [2, 5, 4], False),
                                  ({'bidirectional': True, 'batchFirst': True}, [3, 4, 1], False)]:
        batch_first = cfg.get('batchFirst', False)
        x = arr(3, 6, I) if batch_first else arr(6, 3, I)
        packed = {'lengths': lengths, 'batchFirst': batch_first, 'enforceSorted': sorted_}
        names = ['input'] + (['h0', 'c0'] if op == 'LSTM' else ['h0'])
        module_case(f'{op} {cfg} packed {lengths}', op, build(op, cfg), [x, *states(op, cfg, batch=3)], names, cfg, packed=packed)


# ---- cells ----------------------------------------------------------------------------------------------------
def cell_case(name, op, cell, xs, inputs, ctor):
    params = weights(cell)
    pnames = list(params)
    args = {'inputSize': cell.input_size, 'hiddenSize': cell.hidden_size, 'ctor': ctor, 'inputs': inputs, 'params': pnames,
            'keys': list(cell.state_dict().keys()), 'train': False}

    def fn(*ts):
        bind(cell, dict(zip(pnames, ts[len(xs):])))
        x, *hs = ts[:len(xs)]
        hx = None if not hs else (tuple(hs) if op == 'LSTMCell' else hs[0])
        out = cell(x, hx)
        return flat(*out) if op == 'LSTMCell' else out

    case(name, op, [*xs, *params.values()], args, fn=fn)


for op, ctor in [('RNNCell', {}), ('RNNCell', {'nonlinearity': 'relu', 'bias': False}), ('LSTMCell', {}), ('LSTMCell', {'bias': False}), ('GRUCell', {}),
                 ('GRUCell', {'bias': False})]:
    make = lambda: getattr(nn, op)(I, H, **{TORCH_NAMES[k]: v for k, v in ctor.items()})
    hs = [arr(B, H, seed=20) * 0.5] + ([arr(B, H, seed=21) * 0.5] if op == 'LSTMCell' else [])
    names = ['input'] + (['h0', 'c0'] if op == 'LSTMCell' else ['h0'])
    cell_case(f'{op} {ctor} zero state', op, make(), [arr(B, I)], ['input'], ctor)
    cell_case(f'{op} {ctor} given state', op, make(), [arr(B, I), *hs], names, ctor)
    cell_case(f'{op} {ctor} unbatched', op, make(), [arr(I), *(h[0] for h in hs)], names, ctor)

# ---- pad_sequence ---------------------------------------------------------------------------------------------
seqs = [arr(4, 3), arr(2, 3, seed=1), arr(5, 3, seed=2)]
for batch_first in [False, True]:
    for value in [0.0, -1.5]:
        case(f'padSequence batchFirst={batch_first} paddingValue={value}', 'padSequence', seqs, {'batchFirst': batch_first, 'paddingValue': value},
             fn=lambda *s: pad_sequence(list(s), batch_first=batch_first, padding_value=value))
case('padSequence 1-D sequences', 'padSequence', [arr(3), arr(1, seed=1)], {}, fn=lambda *s: pad_sequence(list(s)))

# ---- a checkpoint torch saves: torch's own initialisation, written as safetensors, and its output on a fixed input ------
torch.manual_seed(0)
saved = nn.LSTM(3, 4, 2, bidirectional=True, proj_size=2, batch_first=True).eval()
write(os.path.join(OUT, 'io', 'lstm_from_torch.safetensors'), {k: v.detach() for k, v in saved.state_dict().items()}, None)
saved_in = arr(2, 5, 3)
with torch.no_grad():
    saved_out, (saved_h, saved_c) = saved(saved_in)
with open(os.path.join(OUT, 'io', 'lstm_from_torch.json'), 'w') as f:
    json.dump({'keys': list(saved.state_dict().keys()), 'input': enc(saved_in), 'output': enc(saved_out), 'hN': enc(saved_h), 'cN': enc(saved_c)}, f,
              separators=(',', ':'), sort_keys=True)
    f.write('\n')

fx.save()
