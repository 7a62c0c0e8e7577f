"""Fixtures for PyTorch's indexing model: int and bool tensor indices (with numpy's placement
rule), index assignment, index_put_ (accumulate), index_add/copy/fill, scatter, masked_select,
masked_scatter, nonzero. A case's `spec` lists the index entries: {'t': k} is input k, ':' a full
slice, None a new dim, '...' an ellipsis, a number, or [start, stop, step]."""
import torch

from common import Fixture, arr

fx = Fixture('index')


def entry(e, ts):
    if isinstance(e, dict):
        return ts[e['t']].long() if ts[e['t']].dtype == torch.int32 else ts[e['t']]
    if e == ':':
        return slice(None)
    if e == '...':
        return Ellipsis
    if isinstance(e, list):
        return slice(*e)
    return e


def key(spec, ts):
    return tuple(entry(e, ts) for e in spec)


def T(k):
    return {'t': k}


i32 = lambda *v: torch.tensor(v, dtype=torch.int32)
x = arr(4, 5, 3)
idx = i32(2, 0, 3, 2)
rows = torch.tensor([True, False, True, True])
mask = arr(4, 5, 3, seed=3) > 0.5
gets = [
    ('int index', [x, idx], [T(1)]),
    ('int index 2-D', [x, torch.tensor([[0, 1], [3, -1]], dtype=torch.int32)], [T(1)]),
    ('int index second dim', [x, i32(4, 0)], [':', T(1)]),
    ('two adjacent broadcast', [x, i32(0, 3), torch.tensor([[1], [4]], dtype=torch.int32)], [T(1), T(2)]),
    ('separated go first', [x, i32(0, 3), i32(2, 1)], [T(1), ':', T(2)]),
    ('number and tensor separated', [x, i32(0, 2)], [0, ':', T(1)]),
    ('number beside tensor', [x, i32(1, 3)], [T(1), 2]),
    ('ellipsis then tensor', [x, i32(2, 2, 0)], ['...', T(1)]),
    ('new dim and slice', [x, i32(3, 1)], [None, T(1), [1, 5, 2]]),
    ('bool mask full', [x, mask], [T(1)]),
    ('bool rows', [x, rows], [T(1)]),
    ('bool rows then number', [x, rows], [T(1), 1]),
    ('bool inner mask', [x, arr(5, 3, seed=4) > 0], [':', T(1)]),
    ('negative indices', [x, i32(-1, -4)], [T(1), ':', 0]),
]
for name, inputs, spec in gets:
    fx.case(f'index {name}', 'index', inputs, {'spec': spec}, fn=lambda *ts, spec=spec: ts[0][key(spec, ts)])

sets = [
    ('int rows tensor value', [x, idx[:3].clone(), arr(3, 5, 3, seed=5)], [T(1)], {'t': 2}),
    ('mask scalar value', [x, mask], [T(1)], 0.5),
    ('column broadcast value', [x, i32(1, 3), arr(3, seed=6)], [':', T(1)], {'t': 2}),
    # int32 beyond float32's 2^24, where a write through float32 would round.
    ('int32 beyond 2^24', [torch.tensor([[1, 2], [3, 4], [5, 6]], dtype=torch.int32), i32(2, 0),
                           torch.tensor([[16777217, -16777219], [2147483647, -2147483647]], dtype=torch.int32)], [T(1)], {'t': 2}),
]
for name, inputs, spec, value in sets:
    def fn(*ts, spec=spec, value=value):
        out = ts[0].clone()
        out[key(spec, ts)] = ts[value['t']] if isinstance(value, dict) else value
        return out
    fx.case(f'setIndex {name}', 'setIndex', inputs, {'spec': spec, 'value': value}, fn=fn)

fx.case('indexPut_ accumulate repeats', 'indexPutAccumulate', [arr(4, 3), i32(0, 2, 0, 0), arr(4, 3, seed=2)], {},
        fn=lambda a, i, v: a.clone().index_put_((i.long(),), v, accumulate=True))
fx.case('indexPut_ two index tensors', 'indexPut2', [arr(4, 3), i32(0, 3), i32(2, 1), arr(2, seed=3)], {},
        fn=lambda a, i, j, v: a.clone().index_put_((i.long(), j.long()), v))
fx.case('indexAdd dim 1 alpha', 'indexAdd', [arr(3, 4), i32(0, 3, 0), arr(3, 3, seed=1)], {'dim': 1, 'alpha': 2.0},
        fn=lambda a, i, s: a.index_add(1, i.long(), s, alpha=2.0))
fx.case('indexCopy dim 0', 'indexCopy', [arr(4, 3), i32(3, 1), arr(2, 3, seed=1)], {'dim': 0},
        fn=lambda a, i, s: a.index_copy(0, i.long(), s))
fx.case('indexFill dim 1', 'indexFill', [arr(3, 4), i32(1, 2)], {'dim': 1, 'value': -2.0}, fn=lambda a, i: a.index_fill(1, i.long(), -2.0))
fx.case('scatter src dim 1', 'scatter', [arr(3, 5), torch.tensor([[0, 4], [2, 1], [3, 0]], dtype=torch.int32), arr(3, 2, seed=2)], {'dim': 1},
        fn=lambda a, i, s: a.scatter(1, i.long(), s))
fx.case('scatter value dim 0', 'scatterValue', [arr(3, 4), torch.tensor([[2, 0, 1, 2]], dtype=torch.int32)], {'dim': 0, 'value': 9.0},
        fn=lambda a, i: a.scatter(0, i.long(), 9.0))
fx.case('scatter reduce add', 'scatterAddReduce', [arr(3, 4), torch.tensor([[2, 0, 1, 2], [2, 2, 1, 0]], dtype=torch.int32), arr(2, 4, seed=3)], {'dim': 0},
        fn=lambda a, i, s: a.scatter(0, i.long(), s, reduce='add'), grad=False)

def scatter_multiply(a, i, s, dim):
    """scatter(reduce='multiply') as products of one scatter per slice of the index along dim (whose
    targets are distinct), which torch differentiates; checked against torch's own forward."""
    out = a
    for k in range(i.shape[dim]):
        at, src = i.narrow(dim, k, 1).long(), s.narrow(dim, k, 1)
        out = out * torch.ones_like(a).scatter(dim, at, src)
    assert torch.equal(out, a.scatter(dim, i.long(), s[tuple(slice(0, n) for n in i.shape)], reduce='multiply'))
    return out


fx.case('scatter reduce multiply dim 0', 'scatterMultiplyReduce', [arr(3, 4), torch.tensor([[2, 0, 1, 2], [2, 2, 1, 0], [2, 0, 0, 0]], dtype=torch.int32), arr(3, 4, seed=3)],
        {'dim': 0}, fn=lambda a, i, s: scatter_multiply(a, i, s, 0))
fx.case('scatter reduce multiply dim 1 larger src', 'scatterMultiplyReduce', [arr(2, 5), torch.tensor([[4, 4, 0], [1, 3, 1]], dtype=torch.int32), arr(3, 4, seed=4)],
        {'dim': 1}, fn=lambda a, i, s: scatter_multiply(a, i, s[:2, :3], 1))
fx.case('scatter reduce multiply int32', 'scatterMultiplyReduce', [torch.tensor([[2, -3], [5, 7]], dtype=torch.int32), torch.tensor([[1, 0], [1, 1]], dtype=torch.int32),
        torch.tensor([[-4, 6], [3, 2]], dtype=torch.int32)], {'dim': 0}, fn=lambda a, i, s: a.scatter(0, i.long(), s, reduce='multiply'), grad=False)
big = torch.tensor([[16777217, -16777219, 2147483647], [33554435, 7, -2147483647]], dtype=torch.int32)
fx.case('scatter int32 beyond 2^24', 'scatter', [torch.zeros(3, 3, dtype=torch.int32), torch.tensor([[2, 0, 1], [0, 1, 2]], dtype=torch.int32), big], {'dim': 0},
        fn=lambda a, i, s: a.scatter(0, i.long(), s))
fx.case('scatter reduce add int32 beyond 2^24', 'scatterAddReduce', [torch.full((2, 3), 3, dtype=torch.int32), torch.tensor([[1, 0, 1], [1, 1, 0]], dtype=torch.int32), big], {'dim': 0},
        fn=lambda a, i, s: a.scatter(0, i.long(), s, reduce='add'))
fx.case('indexCopy int32 beyond 2^24', 'indexCopy', [torch.zeros(3, 3, dtype=torch.int32), i32(2, 0), big], {'dim': 0}, fn=lambda a, i, s: a.index_copy(0, i.long(), s))
fx.case('maskedSelect broadcast', 'maskedSelect', [arr(3, 4), torch.tensor([True, False, False, True])], {}, fn=lambda a, m: a.masked_select(m))
fx.case('maskedScatter', 'maskedScatter', [arr(3, 4), arr(3, 4, seed=8) > 0, arr(12, seed=9)], {}, fn=lambda a, m, s: a.masked_scatter(m, s))
fx.case('nonzero', 'nonzero', [torch.tensor([[0.0, 1.5, 0.0], [2.0, 0.0, -1.0]])], {}, fn=lambda a: a.nonzero().int(), grad=False)
fx.case('nonzero int32 3-D', 'nonzero', [torch.tensor([[[0, 1], [1, 0]], [[0, 0], [7, 0]]], dtype=torch.int32)], {}, fn=lambda a: a.nonzero().int(), grad=False)
fx.case('argwhere bool', 'argwhere', [torch.tensor([True, False, True])], {}, fn=lambda a: torch.argwhere(a).int(), grad=False)

fx.save()
