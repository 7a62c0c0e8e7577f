"""Fixtures for the rearranging ops: triangles and diagonals, repeats, flips and rolls, moved dims,
grids, small products, scans (cumprod, cummax/cummin, logcumsumexp) and masks (maskedFill, take)."""
import torch

from common import Fixture, arr

fx = Fixture('shape')
case = fx.case
nan, inf = float('nan'), float('inf')


def pre(t, args):
    """The input as the flint table sees it: transposed first when the case asks (a non-contiguous view)."""
    return t.transpose(-2, -1) if args.get('transposed') else t


def c(name, op, inputs, args=None, fn=None, grad=True):
    args = args or {}
    case(name, op, inputs, args, grad=grad, fn=lambda *ts: fn(pre(ts[0], args), *ts[1:]))


m = arr(4, 5)
b3 = arr(2, 3, 4, seed=1)
for k in [0, 1, -1, 3, -5]:
    c(f'tril diagonal={k}', 'tril', [m], {'diagonal': k}, lambda t: torch.tril(t, k))
    c(f'triu diagonal={k}', 'triu', [m], {'diagonal': k}, lambda t: torch.triu(t, k))
c('tril batched transposed', 'tril', [b3], {'diagonal': 0, 'transposed': True}, lambda t: torch.tril(t))
c('triu int32', 'triu', [torch.arange(12, dtype=torch.int32).reshape(3, 4)], {'diagonal': 1}, lambda t: torch.triu(t, 1))
c('tril bool', 'tril', [torch.ones(3, 3, dtype=torch.bool)], {'diagonal': 0}, lambda t: torch.tril(t))

for off, d1, d2 in [(0, 0, 1), (1, 0, 1), (-2, 0, 1), (0, 1, 2), (1, -1, 0), (7, 0, 1)]:
    src = m if d2 == 1 and d1 == 0 else b3
    c(f'diagonal offset={off} dims={d1},{d2}', 'diagonal', [src], {'offset': off, 'dim1': d1, 'dim2': d2}, lambda t: torch.diagonal(t, off, d1, d2))
c('diagonal transposed', 'diagonal', [m], {'offset': 1, 'dim1': 0, 'dim2': 1, 'transposed': True}, lambda t: torch.diagonal(t, 1))
for off in [0, 2, -1]:
    c(f'diag of vector offset={off}', 'diag', [arr(3)], {'diagonal': off}, lambda t: torch.diag(t, off))
    c(f'diag of matrix offset={off}', 'diag', [m], {'diagonal': off}, lambda t: torch.diag(t, off))
for off, d1, d2 in [(0, -2, -1), (1, 0, 2), (-1, 2, 0)]:
    c(f'diagEmbed offset={off} dims={d1},{d2}', 'diagEmbed', [arr(2, 3)], {'offset': off, 'dim1': d1, 'dim2': d2}, lambda t: torch.diag_embed(t, off, d1, d2))
c('trace', 'trace', [m], {}, lambda t: torch.trace(t))
c('trace transposed', 'trace', [m], {'transposed': True}, lambda t: torch.trace(t))

for sizes in [[2, 1], [1, 3], [2, 2, 2], [0, 1]]:
    src = arr(2, 3)
    c(f'repeat {sizes}', 'repeat', [src], {'sizes': sizes}, lambda t: t.repeat(*sizes))
c('repeat transposed', 'repeat', [arr(2, 3)], {'sizes': [2, 1], 'transposed': True}, lambda t: t.repeat(2, 1))
for dims in [[2], [2, 1, 2]]:
    c(f'tile {dims}', 'tile', [arr(2, 3)], {'dims': dims}, lambda t: torch.tile(t, dims))
c('repeatInterleave 2', 'repeatInterleave', [arr(2, 3)], {'repeats': 2}, lambda t: torch.repeat_interleave(t, 2))
c('repeatInterleave dim=1', 'repeatInterleave', [arr(2, 3)], {'repeats': 3, 'dim': 1}, lambda t: torch.repeat_interleave(t, 3, dim=1))
c('repeatInterleave counts dim=0', 'repeatInterleave', [arr(3, 2)], {'repeats': [1, 0, 2], 'dim': 0}, lambda t: torch.repeat_interleave(t, torch.tensor([1, 0, 2]), dim=0))

for dims in [[0], [1], [0, 1], [-1], []]:
    c(f'flip {dims}', 'flip', [b3], {'dims': dims}, lambda t: torch.flip(t, dims))
c('flip transposed', 'flip', [m], {'dims': [0], 'transposed': True}, lambda t: torch.flip(t, [0]))
c('fliplr', 'fliplr', [m], {}, torch.fliplr)
c('flipud', 'flipud', [m], {}, torch.flipud)
for shifts, dims in [(1, None), (-7, None), (2, 1), ([1, -1], [0, 2]), (5, 0), (0, 1)]:
    c(f'roll {shifts} {dims}', 'roll', [b3], {'shifts': shifts, 'dims': dims}, lambda t: torch.roll(t, shifts, dims))
for k in [1, 2, 3, 4, -1]:
    c(f'rot90 k={k}', 'rot90', [m], {'k': k, 'dims': [0, 1]}, lambda t: torch.rot90(t, k, [0, 1]))
c('rot90 dims 2,0', 'rot90', [b3], {'k': 1, 'dims': [2, 0]}, lambda t: torch.rot90(t, 1, [2, 0]))
for src, dst in [(0, 2), (-1, 0), ([0, 1], [2, 0])]:
    c(f'movedim {src} {dst}', 'movedim', [b3], {'source': src, 'destination': dst}, lambda t: torch.movedim(t, src, dst))
c('unflatten', 'unflatten', [arr(2, 12)], {'dim': 1, 'sizes': [3, -1, 2]}, lambda t: t.unflatten(1, (3, -1, 2)))
c('unbind dim=1 stacked', 'unbindStack', [b3], {'dim': 1}, lambda t: torch.stack(torch.unbind(t, 1), 0) * torch.tensor([1.0, 2.0, 3.0]).reshape(3, 1, 1))
for indexing in ['ij', 'xy']:
    c(f'meshgrid {indexing}', 'meshgrid', [arr(3), arr(2, seed=2), arr(4, seed=3)], {'indexing': indexing},
      lambda a, b, d: torch.stack(torch.meshgrid(a, b, d, indexing=indexing), 0) * torch.tensor([1.0, 2.0, 3.0]).reshape(3, 1, 1, 1))

c('outer', 'outer', [arr(3), arr(4, seed=1)], {}, torch.outer)
c('kron matrices', 'kron', [arr(2, 3), arr(3, 2, seed=1)], {}, torch.kron)
c('kron ranks differ', 'kron', [arr(2), arr(2, 3, seed=1)], {}, torch.kron)
c('cross default dim', 'cross', [arr(4, 3), arr(4, 3, seed=1)], {}, lambda a, b: torch.cross(a, b))
c('cross dim 0 broadcast', 'cross', [arr(3, 2), arr(3, 1, seed=1)], {'dim': 0}, lambda a, b: torch.cross(a, b.expand(3, 2), dim=0))
c('diff', 'diff', [b3], {}, lambda t: torch.diff(t))
c('diff n=2 dim=1 prepend append', 'diffPad', [arr(3, 4), arr(3, 1, seed=1), arr(3, 2, seed=2)], {'n': 2, 'dim': 1},
  lambda t, p, a: torch.diff(t, n=2, dim=1, prepend=p, append=a))
c('diff bool', 'diff', [torch.tensor([True, False, False, True])], {}, lambda t: torch.diff(t))

for dim in [0, 1, -1]:
    c(f'cumprod dim={dim}', 'cumprod', [b3], {'dim': dim}, lambda t: torch.cumprod(t, dim))
    c(f'logcumsumexp dim={dim}', 'logcumsumexp', [b3 * 10], {'dim': dim}, lambda t: torch.logcumsumexp(t, dim))
    c(f'cummax dim={dim} values', 'cummaxValues', [b3], {'dim': dim}, lambda t: torch.cummax(t, dim).values)
    c(f'cummin dim={dim} values', 'cumminValues', [b3], {'dim': dim}, lambda t: torch.cummin(t, dim).values)
    c(f'cummax dim={dim} indices', 'cummaxIndices', [b3], {'dim': dim}, lambda t: torch.cummax(t, dim).indices, grad=False)
c('cumprod with zeros', 'cumprod', [torch.tensor([[2.0, 0.0, 3.0, 4.0], [0.0, 0.0, 1.5, 2.0]])], {'dim': 1}, lambda t: torch.cumprod(t, 1))
c('cumprod long row', 'cumprod', [1 + arr(37) / 50], {'dim': 0}, lambda t: torch.cumprod(t, 0))
c('cumprod int32', 'cumprod', [torch.tensor([1, -2, 3, 4, -5], dtype=torch.int32)], {'dim': 0}, lambda t: torch.cumprod(t, 0))
c('cumprod transposed', 'cumprod', [arr(3, 4)], {'dim': 1, 'transposed': True}, lambda t: torch.cumprod(t, 1))
ties = torch.tensor([1.0, 3.0, 3.0, nan, 2.0, nan, 5.0, -inf])
c('cummax ties and NaN values', 'cummaxValues', [ties], {'dim': 0}, lambda t: torch.cummax(t, 0).values, grad=False)
c('cummax ties and NaN indices', 'cummaxIndices', [ties], {'dim': 0}, lambda t: torch.cummax(t, 0).indices, grad=False)
c('cummin ties and NaN indices', 'cumminIndices', [ties], {'dim': 0}, lambda t: torch.cummin(t, 0).indices, grad=False)
c('cummin int32 indices', 'cumminIndices', [torch.tensor([3, 1, 1, 2, 0, 0], dtype=torch.int32)], {'dim': 0}, lambda t: torch.cummin(t, 0).indices, grad=False)
c('logcumsumexp infinities', 'logcumsumexp', [torch.tensor([-inf, -inf, 0.0, inf, 1.0, -inf])], {'dim': 0}, lambda t: torch.logcumsumexp(t, 0), grad=False)
c('logcumsumexp large', 'logcumsumexp', [torch.tensor([100.0, 100.0, -100.0, 101.0])], {'dim': 0}, lambda t: torch.logcumsumexp(t, 0))

mask = torch.tensor([[True, False, True, False, False]])
c('maskedFill broadcast mask', 'maskedFill', [m, mask], {'value': -1.5}, lambda t, k: t.masked_fill(k, -1.5))
c('maskedFill -inf causal softmax', 'maskedFillSoftmax', [arr(4, 4), torch.tril(torch.ones(4, 4)) == 0], {'value': '-inf'}, lambda t, k: t.masked_fill(k, -inf).softmax(-1))
c('maskedFill int32 value truncates', 'maskedFill', [torch.arange(6, dtype=torch.int32).reshape(2, 3), torch.tensor([True, False, True])], {'value': 2.7},
  lambda t, k: t.masked_fill(k, 2.7))
c('maskedFill tensor value', 'maskedFillTensor', [m, mask, torch.tensor(0.25)], {}, lambda t, k, v: t.masked_fill(k, v))
c('take', 'take', [arr(3, 4), torch.tensor([[0, 11], [-1, 5]], dtype=torch.int32)], {}, lambda t, i: torch.take(t, i.long()))
c('take transposed', 'take', [arr(3, 4), torch.tensor([1, 2, 3], dtype=torch.int32)], {'transposed': True}, lambda t, i: torch.take(t, i.long()))
c('takeAlongDim', 'takeAlongDim', [arr(3, 4), torch.tensor([[0], [3], [1]], dtype=torch.int32)], {'dim': 1}, lambda t, i: torch.take_along_dim(t, i.long(), 1))
c('takeAlongDim broadcast', 'takeAlongDim', [arr(1, 4), torch.tensor([[0, 2], [3, 3], [1, 0]], dtype=torch.int32)], {'dim': 1}, lambda t, i: torch.take_along_dim(t, i.long(), 1))
c('takeAlongDim flattened', 'takeAlongDim', [arr(3, 4), torch.tensor([[0, 7], [11, 2]], dtype=torch.int32)], {}, lambda t, i: torch.take_along_dim(t, i.long()))


einsums = [
    ('ij,jk->ik', [(3, 4), (4, 5)]), ('bij,bjk->bik', [(2, 3, 4), (2, 4, 5)]), ('ii->i', [(4, 4)]), ('ii', [(4, 4)]),
    ('ij->', [(3, 4)]), ('ij->ji', [(3, 4)]), ('i,i->', [(5,), (5,)]), ('i,j->ij', [(3,), (4,)]), ('ij', [(3, 4)]), ('ji', [(3, 4)]),
    ('...ij->...ji', [(2, 3, 4)]), ('bhqd,bhkd->bhqk', [(2, 2, 3, 4), (2, 2, 5, 4)]), ('ij,ij->ij', [(3, 4), (3, 4)]),
    ('ijk,jl->ikl', [(2, 3, 4), (3, 5)]), ('...i,...i->...', [(2, 3, 4), (3, 4)]), ('iij->j', [(3, 3, 4)]),
    ('ab,bc,cd->ad', [(2, 3), (3, 4), (4, 5)]), ('i...->...', [(3, 2, 4)]), ('b i d, b j d -> b i j', [(2, 3, 4), (2, 5, 4)]),
    ('ij,j->i', [(3, 4), (4,)]), (',ij->ij', [(), (2, 3)]), ('ij,kj->ikj', [(2, 3), (1, 3)]),
]
for eq, shapes in einsums:
    c(f'einsum {eq} {shapes}', 'einsum', [arr(*sh, seed=k) for k, sh in enumerate(shapes)], {'equation': eq}, lambda *ts, eq=eq: torch.einsum(eq, *ts))
for dims in [2, 1, 0]:
    c(f'tensordot dims={dims}', 'tensordot', [arr(2, 3, 4), arr(3, 4, 5, seed=1)] if dims == 2 else [arr(2, 3, 4), arr(4, 5, seed=1)] if dims == 1 else [arr(2, 3), arr(4, seed=1)],
      {'dims': dims}, lambda a, b, dims=dims: torch.tensordot(a, b, dims))
c('tensordot dim lists', 'tensordot', [arr(3, 4, 5), arr(4, 3, 2, seed=1)], {'dims': [[1, 0], [0, 1]]}, lambda a, b: torch.tensordot(a, b, ([1, 0], [0, 1])))


def mingpt_attention(q, k, v):
    """minGPT's CausalSelfAttention core, as written there (block size 6, sequences of 5)."""
    import math
    T = q.size(-2)
    bias = torch.tril(torch.ones(6, 6)).view(1, 1, 6, 6)
    att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
    att = att.masked_fill(bias[:, :, :T, :T] == 0, float('-inf'))
    att = torch.nn.functional.softmax(att, dim=-1)
    return att @ v


case('minGPT masked attention', 'minGPTAttention', [arr(2, 3, 5, 4), arr(2, 3, 5, 4, seed=1), arr(2, 3, 5, 4, seed=2)], {}, fn=mingpt_attention)

# ---- second derivatives: d/dx of sum(op(x) ** 3), built with create_graph ------------------------------------
second = fx.second_derivative
second('d/dx cumprod', 'cumprod', [b3], {'dim': 1}, lambda t: torch.cumprod(t, 1))
second('d/dx logcumsumexp', 'logcumsumexp', [b3 * 3], {'dim': -1}, lambda t: torch.logcumsumexp(t, -1))
second('d/dx outer', 'outer', [arr(3), arr(4, seed=1)], {}, torch.outer)
second('d/dx kron', 'kron', [arr(2, 3), arr(3, 2, seed=1)], {}, torch.kron)
second('d/dx cross', 'cross', [arr(4, 3), arr(4, 3, seed=1)], {}, lambda a, b: torch.cross(a, b))

fx.save()
