"""Fixtures for flint's transformer family: MultiheadAttention's kdim/vdim, add_bias_kv and add_zero_attn,
TransformerEncoder, TransformerDecoderLayer, TransformerDecoder, Transformer, and
generate_square_subsequent_mask.

Modules are recorded by layer_case.py's layer_case in eval mode (dropout off), every parameter a fixed
array given as an extra input. Each case also lists the module's state-dict keys and shapes
(args['keys'], args['shapes']), which flint's module must reproduce. A case returns one tensor: an
attention case its output and (when asked) its weights, flattened and concatenated.
"""
import torch
import torch.nn as nn

from common import Fixture, arr
from layer_case import layer_recorder

fx = Fixture('transformer')
layer_case = layer_recorder(fx)

E, H, FF = 8, 2, 16  # head dim 4: the 1/sqrt(4) scale is exact in float32
L, S, N = 4, 3, 2


def weights(module):
    """A fixed array for every parameter, in state-dict order; LayerNorm weights near 1."""
    out = {}
    for i, (name, p) in enumerate(module.named_parameters()):
        a = arr(*p.shape, seed=i + 1)
        out[name] = 1 + 0.2 * a if '.norm' in f'.{name}' and name.endswith('weight') else 0.3 * a
    return out


def record(name, op, module, xs, inputs, ctor, run, options=None):
    state = module.state_dict()
    args = {'ctor': ctor, 'inputs': inputs, 'options': options or {}, 'keys': list(state), 'shapes': [list(t.shape) for t in state.values()]}
    layer_case(name, op, module, xs, weights(module), args, run=run)


def flat(*ts):
    return torch.cat([t.reshape(-1) for t in ts if t is not None])


# ---- MultiheadAttention: separate projections, bias_k/bias_v, zero attention ---------------------------------------
MHA_NAMES = {'kdim': 'kdim', 'vdim': 'vdim', 'addBiasKv': 'add_bias_kv', 'addZeroAttn': 'add_zero_attn', 'bias': 'bias', 'batchFirst': 'batch_first'}


def mha(name, ctor, xs, inputs, kw=None):
    """MultiheadAttention(E, H, **ctor) on `xs` named `inputs` (query, key, value, keyPaddingMask, attnMask),
    returning output and weights (unless kw needWeights is false)."""
    kw = kw or {}
    layer = nn.MultiheadAttention(E, H, **{MHA_NAMES[k]: v for k, v in ctor.items()})

    def run(call, *ts):
        named = dict(zip(inputs, ts))
        out, w = call(named['query'], named['key'], named['value'], key_padding_mask=named.get('keyPaddingMask'), attn_mask=named.get('attnMask'),
                      need_weights=kw.get('needWeights', True), average_attn_weights=kw.get('averageAttnWeights', True))
        return flat(out, w)
    record(name, 'MultiheadAttentionModule', layer, xs, inputs, ctor, run, kw)


q, k5, v3, kv8 = arr(L, N, E), arr(S, N, 5, seed=5), arr(S, N, 3, seed=6), arr(S, N, E, seed=5)
padding = torch.tensor([[False, False, True], [False, False, False]])
bool_attn = torch.tensor([[False, True, False], [False, False, True], [True, False, False], [False, False, False]])
float_attn = arr(L, S, seed=7)
QKV = ['query', 'key', 'value']

sep = {'kdim': 5, 'vdim': 3}
mha('MHA kdim vdim', sep, [q, k5, v3], QKV)
mha('MHA kdim vdim key padding and bool attn mask', sep, [q, k5, v3, padding, bool_attn], QKV + ['keyPaddingMask', 'attnMask'])
mha('MHA kdim vdim 3-D float attn mask', sep, [q, k5, v3, arr(N * H, L, S, seed=8)], QKV + ['attnMask'])
mha('MHA kdim only', {'kdim': 5}, [q, k5, kv8], QKV)
mha('MHA kdim vdim batchFirst per-head weights', {**sep, 'batchFirst': True}, [q.transpose(0, 1), k5.transpose(0, 1), v3.transpose(0, 1), padding],
    QKV + ['keyPaddingMask'], {'averageAttnWeights': False})
mha('MHA addBiasKv', {'addBiasKv': True}, [q, kv8, kv8], QKV)
mha('MHA addBiasKv key padding and bool attn mask', {'addBiasKv': True}, [q, kv8, kv8, padding, bool_attn], QKV + ['keyPaddingMask', 'attnMask'])
mha('MHA addBiasKv float attn mask per-head weights', {'addBiasKv': True}, [q, kv8, kv8, float_attn], QKV + ['attnMask'], {'averageAttnWeights': False})
mha('MHA addBiasKv no bias', {'addBiasKv': True, 'bias': False}, [q, kv8, kv8, padding], QKV + ['keyPaddingMask'])
mha('MHA addZeroAttn', {'addZeroAttn': True}, [q, kv8, kv8], QKV)
mha('MHA addZeroAttn key padding and float attn mask', {'addZeroAttn': True}, [q, kv8, kv8, padding, float_attn], QKV + ['keyPaddingMask', 'attnMask'])
mha('MHA addZeroAttn 3-D bool attn mask per-head weights', {'addZeroAttn': True}, [q, kv8, kv8, bool_attn.repeat(N * H, 1, 1)], QKV + ['attnMask'],
    {'averageAttnWeights': False})
mha('MHA addBiasKv addZeroAttn kdim vdim with masks', {**sep, 'addBiasKv': True, 'addZeroAttn': True}, [q, k5, v3, padding, bool_attn],
    QKV + ['keyPaddingMask', 'attnMask'], {'averageAttnWeights': False})
mha('MHA addBiasKv addZeroAttn needWeights false', {'addBiasKv': True, 'addZeroAttn': True}, [q, kv8, kv8, padding], QKV + ['keyPaddingMask'],
    {'needWeights': False})
mha('MHA addBiasKv addZeroAttn unbatched', {'addBiasKv': True, 'addZeroAttn': True, **sep}, [q[:, 0], k5[:, 0], v3[:, 0], padding[0]],
    QKV + ['keyPaddingMask'])

# ---- encoder and decoder stacks, the whole Transformer -------------------------------------------------------------
LAYER_NAMES = {'normFirst': 'norm_first', 'batchFirst': 'batch_first', 'activation': 'activation'}


def layer_kw(ctor):
    return {'dim_feedforward': FF, 'dropout': 0.0, **{LAYER_NAMES[k]: v for k, v in ctor.items() if k in LAYER_NAMES}}


# Each mask: (flint name, torch keyword, tensor).
T = 5
src, tgt, memory = arr(S, N, E, seed=11), arr(T, N, E, seed=12), arr(S, N, E, seed=13)
src_padding = torch.tensor([[False, False, True], [False, False, False]])
tgt_padding = torch.tensor([[False, False, False, False, True], [False, False, False, True, True]])
subsequent = nn.Transformer.generate_square_subsequent_mask(T)


def stack(name, op, module, xs, inputs, masks, ctor, options=None, torch_kw=None):
    def run(call, *ts):
        fixed = ts[:len(inputs)]
        return call(*fixed, **{m[1]: t for m, t in zip(masks, ts[len(inputs):])}, **(torch_kw or {}))
    record(name, op, module, [*xs, *(m[2] for m in masks)], inputs + [m[0] for m in masks], ctor, run, options)


def encoder(name, ctor, masks=(), **kw):
    layer = nn.TransformerEncoderLayer(E, H, **layer_kw(ctor))
    module = nn.TransformerEncoder(layer, ctor.get('numLayers', 2), nn.LayerNorm(E) if ctor.get('norm') else None)
    x = src.transpose(0, 1) if ctor.get('batchFirst') else src
    stack(name, 'TransformerEncoder', module, [x], ['src'], list(masks), ctor, **kw)


encoder('TransformerEncoder post-LN final norm masks', {'norm': True},
        [('mask', 'mask', arr(S, S, seed=14)), ('srcKeyPaddingMask', 'src_key_padding_mask', src_padding)])
encoder('TransformerEncoder pre-LN final norm masks', {'norm': True, 'normFirst': True},
        [('mask', 'mask', torch.ones(S, S, dtype=torch.bool).triu(1)), ('srcKeyPaddingMask', 'src_key_padding_mask', src_padding)])
encoder('TransformerEncoder pre-LN gelu no norm batchFirst', {'normFirst': True, 'activation': 'gelu', 'batchFirst': True, 'numLayers': 3},
        [('srcKeyPaddingMask', 'src_key_padding_mask', src_padding)])
encoder('TransformerEncoder isCausal', {'norm': True, 'numLayers': 1}, options={'isCausal': True}, torch_kw={'mask': torch.ones(S, S, dtype=torch.bool).triu(1)})

all_decoder_masks = [('tgtMask', 'tgt_mask', subsequent), ('memoryMask', 'memory_mask', arr(T, S, seed=15)),
                     ('tgtKeyPaddingMask', 'tgt_key_padding_mask', tgt_padding), ('memoryKeyPaddingMask', 'memory_key_padding_mask', src_padding)]


def decoder(name, op, ctor, masks=(), **kw):
    layer = nn.TransformerDecoderLayer(E, H, **layer_kw(ctor))
    module = layer if op == 'TransformerDecoderLayer' else nn.TransformerDecoder(layer, ctor.get('numLayers', 2), nn.LayerNorm(E) if ctor.get('norm') else None)
    xs = [tgt.transpose(0, 1), memory.transpose(0, 1)] if ctor.get('batchFirst') else [tgt, memory]
    stack(name, op, module, xs, ['tgt', 'memory'], list(masks), ctor, **kw)


decoder('TransformerDecoderLayer post-LN', 'TransformerDecoderLayer', {})
decoder('TransformerDecoderLayer post-LN all masks', 'TransformerDecoderLayer', {}, all_decoder_masks)
decoder('TransformerDecoderLayer pre-LN gelu all masks', 'TransformerDecoderLayer', {'normFirst': True, 'activation': 'gelu'}, all_decoder_masks)
decoder('TransformerDecoderLayer batchFirst bool memory mask', 'TransformerDecoderLayer', {'batchFirst': True},
        [('memoryMask', 'memory_mask', torch.tensor([[False, True, False]] * T)), ('memoryKeyPaddingMask', 'memory_key_padding_mask', src_padding)])
decoder('TransformerDecoderLayer tgtIsCausal', 'TransformerDecoderLayer', {}, options={'tgtIsCausal': True},
        torch_kw={'tgt_mask': torch.ones(T, T, dtype=torch.bool).triu(1)})
decoder('TransformerDecoder post-LN final norm all masks', 'TransformerDecoder', {'norm': True}, all_decoder_masks)
decoder('TransformerDecoder pre-LN no norm', 'TransformerDecoder', {'normFirst': True, 'numLayers': 1}, all_decoder_masks[:2])

TRANSFORMER_NAMES = {'numEncoderLayers': 'num_encoder_layers', 'numDecoderLayers': 'num_decoder_layers', 'normFirst': 'norm_first',
                     'batchFirst': 'batch_first', 'activation': 'activation'}


def transformer(name, ctor, masks=()):
    module = nn.Transformer(d_model=E, nhead=H, dim_feedforward=FF, dropout=0.0, **{TRANSFORMER_NAMES[k]: v for k, v in ctor.items()})
    xs = [src.transpose(0, 1), tgt.transpose(0, 1)] if ctor.get('batchFirst') else [src, tgt]
    stack(name, 'Transformer', module, xs, ['src', 'tgt'], list(masks), ctor)


transformer('Transformer 2+1 layers all masks', {'numEncoderLayers': 2, 'numDecoderLayers': 1},
            [('srcMask', 'src_mask', arr(S, S, seed=16)), ('tgtMask', 'tgt_mask', subsequent), ('memoryMask', 'memory_mask', arr(T, S, seed=15)),
             ('srcKeyPaddingMask', 'src_key_padding_mask', src_padding), ('tgtKeyPaddingMask', 'tgt_key_padding_mask', tgt_padding),
             ('memoryKeyPaddingMask', 'memory_key_padding_mask', src_padding)])
transformer('Transformer 1+2 layers pre-LN batchFirst gelu', {'numEncoderLayers': 1, 'numDecoderLayers': 2, 'normFirst': True, 'batchFirst': True, 'activation': 'gelu'},
            [('tgtMask', 'tgt_mask', subsequent), ('srcKeyPaddingMask', 'src_key_padding_mask', src_padding),
             ('memoryKeyPaddingMask', 'memory_key_padding_mask', src_padding)])

for sz in [1, 4]:
    fx.case(f'generateSquareSubsequentMask {sz}', 'generateSquareSubsequentMask', [], {'sz': sz}, grad=False,
            fn=lambda sz=sz: nn.Transformer.generate_square_subsequent_mask(sz))

fx.save()
