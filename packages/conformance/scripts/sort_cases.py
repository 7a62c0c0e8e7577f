"""Fixtures for sorting and selection: sort (stable, descending, NaN and ties), argsort, msort,
topk, kthvalue, median, mode, unique, unique_consecutive, searchsorted and bucketize."""
import torch

from common import Fixture, arr

fx = Fixture('sort')
nan, inf = float('nan'), float('inf')


def c(name, op, inputs, args=None, fn=None, grad=True):
    args = args or {}
    pre = (lambda t: t.transpose(-2, -1)) if args.get('transposed') else (lambda t: t)
    fx.case(name, op, inputs, args, grad=grad, fn=lambda *ts: fn(pre(ts[0]), *ts[1:]))


b3 = arr(2, 3, 5, seed=4)
ties = torch.tensor([[2.0, 1.0, 2.0, -0.0, 0.0, 1.0, 2.0], [nan, 3.0, -inf, nan, inf, 3.0, 0.5]])
ints = torch.tensor([[3, -1, 3, 7, -1, 0], [5, 5, 5, -2147483648, 2147483647, 0]], dtype=torch.int32)
for dim in [0, 1, -1]:
    for desc in [False, True]:
        c(f'sort dim={dim} descending={desc} values', 'sortValues', [b3], {'dim': dim, 'descending': desc},
          lambda t: torch.sort(t, dim=dim, descending=desc, stable=True).values)
        c(f'sort dim={dim} descending={desc} indices', 'sortIndices', [b3], {'dim': dim, 'descending': desc},
          lambda t: torch.sort(t, dim=dim, descending=desc, stable=True).indices, grad=False)
for desc in [False, True]:
    c(f'sort ties and NaN descending={desc} values', 'sortValues', [ties], {'dim': 1, 'descending': desc},
      lambda t: torch.sort(t, dim=1, descending=desc, stable=True).values, grad=False)
    c(f'sort ties and NaN descending={desc} indices', 'sortIndices', [ties], {'dim': 1, 'descending': desc},
      lambda t: torch.sort(t, dim=1, descending=desc, stable=True).indices, grad=False)
    c(f'sort int32 descending={desc} indices', 'sortIndices', [ints], {'dim': 1, 'descending': desc},
      lambda t: torch.sort(t, dim=1, descending=desc, stable=True).indices, grad=False)
    c(f'sort bool descending={desc} indices', 'sortIndices', [torch.tensor([True, False, True, False, False])], {'dim': 0, 'descending': desc},
      lambda t: torch.sort(t, dim=0, descending=desc, stable=True).indices, grad=False)
long_row = arr(3, 1000, seed=5)
c('sort long rows values', 'sortValues', [long_row], {'dim': 1, 'descending': False}, lambda t: torch.sort(t, dim=1, stable=True).values)
c('sort long rows indices', 'sortIndices', [long_row], {'dim': 1, 'descending': True}, lambda t: torch.sort(t, dim=1, descending=True, stable=True).indices, grad=False)
c('sort transposed values', 'sortValues', [arr(4, 3)], {'dim': 1, 'descending': False, 'transposed': True}, lambda t: torch.sort(t, dim=1, stable=True).values)
c('argsort', 'argsort', [b3], {'dim': 1, 'descending': True}, lambda t: torch.argsort(t, dim=1, descending=True, stable=True) if hasattr(torch, 'argsort') else None, grad=False)
c('msort', 'msort', [arr(4, 3)], {}, lambda t: torch.msort(t))

for k, largest in [(1, True), (3, True), (2, False), (0, True), (5, True)]:
    c(f'topk k={k} largest={largest} values', 'topkValues', [b3], {'k': k, 'largest': largest}, lambda t: torch.topk(t, k, largest=largest).values)
    c(f'topk k={k} largest={largest} indices', 'topkIndices', [b3], {'k': k, 'largest': largest}, lambda t: torch.topk(t, k, largest=largest).indices, grad=False)
c('topk dim=0 values', 'topkValues', [b3], {'k': 2, 'dim': 0}, lambda t: torch.topk(t, 2, dim=0).values)
for k, dim, keep in [(1, -1, False), (3, 1, True), (5, -1, False)]:
    c(f'kthvalue k={k} dim={dim} keepdim={keep} values', 'kthvalueValues', [b3], {'k': k, 'dim': dim, 'keepdim': keep}, lambda t: torch.kthvalue(t, k, dim, keep).values)
    c(f'kthvalue k={k} dim={dim} keepdim={keep} indices', 'kthvalueIndices', [b3], {'k': k, 'dim': dim, 'keepdim': keep}, lambda t: torch.kthvalue(t, k, dim, keep).indices, grad=False)
for dim, keep in [(0, False), (1, True), (-1, False)]:
    c(f'median dim={dim} keepdim={keep} values', 'medianValues', [b3], {'dim': dim, 'keepdim': keep}, lambda t: torch.median(t, dim, keep).values)
    c(f'median dim={dim} keepdim={keep} indices', 'medianIndices', [b3], {'dim': dim, 'keepdim': keep}, lambda t: torch.median(t, dim, keep).indices, grad=False)
c('median even length values', 'medianValues', [arr(3, 4)], {'dim': 1, 'keepdim': False}, lambda t: torch.median(t, 1).values)
with_nan = torch.tensor([[1.0, nan, 3.0, 0.0], [2.0, 1.0, 4.0, 3.0], [nan, nan, 1.0, 0.0]])
c('median with NaN values', 'medianValues', [with_nan], {'dim': 1, 'keepdim': False}, lambda t: torch.median(t, 1).values, grad=False)
c('median with NaN indices', 'medianIndices', [with_nan], {'dim': 1, 'keepdim': False}, lambda t: torch.median(t, 1).indices, grad=False)
c('median all', 'medianAll', [b3], {}, lambda t: torch.median(t))
c('median all with NaN', 'medianAll', [with_nan], {}, lambda t: torch.median(t), grad=False)
c('median int32', 'medianValues', [ints], {'dim': 1, 'keepdim': False}, lambda t: torch.median(t, 1).values)

repeats = torch.tensor([[1.0, 2.0, 2.0, 3.0, 3.0, 1.0], [5.0, 5.0, 4.0, 4.0, 4.0, 0.0], [-1.0, 7.0, -0.0, 0.0, 7.0, -1.0]])
for dim, keep in [(1, False), (0, True), (-1, True)]:
    c(f'mode dim={dim} keepdim={keep} values', 'modeValues', [repeats], {'dim': dim, 'keepdim': keep}, lambda t: torch.mode(t, dim, keep).values)
    c(f'mode dim={dim} keepdim={keep} indices', 'modeIndices', [repeats], {'dim': dim, 'keepdim': keep}, lambda t: torch.mode(t, dim, keep).indices, grad=False)
c('mode transposed values', 'modeValues', [repeats], {'dim': 1, 'keepdim': False, 'transposed': True}, lambda t: torch.mode(t, 1).values)
c('mode transposed indices', 'modeIndices', [repeats], {'dim': 1, 'keepdim': False, 'transposed': True}, lambda t: torch.mode(t, 1).indices, grad=False)
c('mode int32 indices', 'modeIndices', [ints], {'dim': 1, 'keepdim': False}, lambda t: torch.mode(t, 1).indices, grad=False)
c('mode int32 values', 'modeValues', [ints], {'dim': 1, 'keepdim': False}, lambda t: torch.mode(t, 1).values, grad=False)

# unique of NaN is left out: torch 1.13 returns each NaN separately with a count of 0.
dup = torch.tensor([[3.0, 1.0, -2.0, 1.0], [3.0, 0.5, 1.0, -2.0]])
dup_rows = torch.tensor([[1, 2, 3], [0, 5, 3], [1, 2, 3], [0, 5, 2]], dtype=torch.int32)
for part, pick in [('values', 0), ('inverse', 1), ('counts', 2)]:
    kw = {'return_inverse': True, 'return_counts': True}
    c(f'unique {part}', f'unique', [dup], {'part': part}, lambda t: torch.unique(t, **kw)[pick].int() if pick else torch.unique(t), grad=False)
    for dim in [0, 1]:
        c(f'unique dim={dim} {part}', 'unique', [dup_rows], {'part': part, 'dim': dim}, lambda t: torch.unique(t, dim=dim, **kw)[pick].int(), grad=False)
    c(f'uniqueConsecutive {part}', 'uniqueConsecutive', [torch.tensor([1, 1, 2, 2, 3, 1, 1, 2], dtype=torch.int32)], {'part': part},
      lambda t: torch.unique_consecutive(t, **kw)[pick].int(), grad=False)
    c(f'uniqueConsecutive dim=1 {part}', 'uniqueConsecutive', [torch.tensor([[1.0, 1.0, 2.0, 1.0], [4.0, 4.0, 2.0, 4.0]])], {'part': part, 'dim': 1},
      lambda t: torch.unique_consecutive(t, dim=1, **kw)[pick] if pick == 0 else torch.unique_consecutive(t, dim=1, **kw)[pick].int(), grad=False)
c('unique transposed', 'unique', [dup], {'part': 'values', 'transposed': True}, lambda t: torch.unique(t), grad=False)
c('unique 0-d inverse', 'unique', [torch.tensor(5.0)], {'part': 'inverse'}, lambda t: torch.unique(t, return_inverse=True)[1].int(), grad=False)

bounds = torch.tensor([-1.0, 0.0, 0.5, 0.5, 2.0])
vals = torch.tensor([[-3.0, 0.5, 0.2, 2.0], [nan, inf, -inf, 0.0]])
for right in [False, True]:
    c(f'searchsorted 1-D right={right}', 'searchsorted', [bounds, vals], {'right': right}, lambda s, v: torch.searchsorted(s, v, right=right).int(), grad=False)
    c(f'bucketize right={right}', 'bucketize', [vals, bounds], {'right': right}, lambda v, s: torch.bucketize(v, s, right=right).int(), grad=False)
seqs = torch.tensor([[0.0, 1.0, 2.0, 3.0], [-5.0, -4.0, 10.0, 11.0]])
c('searchsorted batched', 'searchsorted', [seqs, torch.tensor([[0.5, 3.0, -1.0], [10.0, -4.5, 12.0]])], {'right': False}, lambda s, v: torch.searchsorted(s, v).int(), grad=False)
c('searchsorted int32', 'searchsorted', [torch.tensor([1, 3, 5, 7], dtype=torch.int32), torch.tensor([0, 3, 6, 9], dtype=torch.int32)], {'right': True},
  lambda s, v: torch.searchsorted(s, v, right=True).int(), grad=False)

fx.second_derivative('d/dx sort values', 'sortValues', [b3], {'dim': 1, 'descending': True}, lambda t: torch.sort(t, dim=1, descending=True, stable=True).values)
fx.second_derivative('d/dx topk values', 'topkValues', [b3], {'k': 2, 'largest': True}, lambda t: torch.topk(t, 2).values)
fx.second_derivative('d/dx mode values', 'modeValues', [repeats], {'dim': 1, 'keepdim': False}, lambda t: torch.mode(t, 1).values)

fx.save()
