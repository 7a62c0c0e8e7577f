"""Fixtures for resampling and padding: pad (every mode, negative pads), interpolate (every mode,
size or scale factor, align_corners both ways), pixel_shuffle/unshuffle, unfold/fold, affine_grid
and grid_sample. Inputs marked `transposed` are swapped in their last two dims first (non-contiguous)."""
import torch
import torch.nn.functional as F

from common import Fixture, arr

fx = Fixture('resample')


def pre(t, args):
    """The input as the flint table sees it: broadcast along dim 0 (a stride-0 view) and/or with its
    last two dims swapped (non-contiguous) when the case asks."""
    if args.get('broadcast'):
        t = t.expand(args['broadcast'], *t.shape[1:])
    return t.transpose(-2, -1) if args.get('transposed') else t


def c(name, op, inputs, args, fn):
    fx.case(name, op, inputs, args, fn=lambda *ts: fn(pre(ts[0], args), *ts[1:]))


x1 = arr(2, 3, 5)
x2 = arr(2, 2, 4, 5, seed=1)
x3 = arr(1, 2, 3, 4, 5, seed=2)
for mode in ['constant', 'reflect', 'replicate', 'circular']:
    for src, p in [(x1, [2, 1]), (x1, [-1, 2]), (x2, [1, 2, 3, 0]), (x2, [-1, 1, 2, -2]), (x3, [1, 0, 2, 1, 1, 2])]:
        c(f'pad {mode} {list(src.shape)} {p}', 'pad', [src], {'pad': p, 'mode': mode}, lambda t: F.pad(t, p, mode=mode))
    c(f'pad {mode} transposed', 'pad', [x2], {'pad': [1, 2, 1, 1], 'mode': mode, 'transposed': True}, lambda t: F.pad(t, [1, 2, 1, 1], mode=mode))
c('pad constant value', 'pad', [x2], {'pad': [1, 1, 0, 2], 'mode': 'constant', 'value': 2.5}, lambda t: F.pad(t, [1, 1, 0, 2], value=2.5))
c('pad constant on a 1-D tensor', 'pad', [arr(4)], {'pad': [2, 3], 'mode': 'constant'}, lambda t: F.pad(t, [2, 3]))
c('pad constant all dims of 3-D', 'pad', [x1], {'pad': [1, 1, -1, 0, 1, 0], 'mode': 'constant'}, lambda t: F.pad(t, [1, 1, -1, 0, 1, 0]))
c('pad reflect unbatched', 'pad', [arr(3, 4, 5)], {'pad': [3, 4, 1, 2], 'mode': 'reflect'}, lambda t: F.pad(t, [3, 4, 1, 2], mode='reflect'))
c('pad replicate unbatched 1-D', 'pad', [arr(3, 4)], {'pad': [4, 2], 'mode': 'replicate'}, lambda t: F.pad(t, [4, 2], mode='replicate'))
c('pad circular full wrap', 'pad', [x1], {'pad': [5, 5], 'mode': 'circular'}, lambda t: F.pad(t, [5, 5], mode='circular'))
c('pad constant int32', 'pad', [torch.arange(6, dtype=torch.int32).reshape(2, 3)], {'pad': [1, 0], 'mode': 'constant', 'value': 7}, lambda t: F.pad(t, [1, 0], value=7))

def nearest_by_index_select(interpolate, src, scale):
    """Nearest interpolation with a given scale factor as index_select with the source indices of
    torch's forward (floor(o * float32(1 / scale))), checked equal to F.interpolate. Its gradient is
    the one recorded: torch 1.13's nearest backward picks other indices where a dim keeps its size or
    exactly doubles (output_index >> 1), so its gradient is not that of its own forward there."""
    scales = scale if isinstance(scale, list) else [scale] * (src.ndim - 2)

    def fn(t):
        out = t
        for d, s in enumerate(scales):
            n = t.shape[d + 2]
            step = torch.tensor(1.0 / s, dtype=torch.float32)
            o = torch.arange(int(n * s), dtype=torch.float32)
            index = torch.clamp(torch.floor(o * step).long(), max=n - 1)
            out = out.index_select(d + 2, index)
        assert torch.equal(out, interpolate(t)), 'index_select emulation differs from F.interpolate'
        return out
    return fn


i1 = arr(2, 3, 5, seed=3)
i2 = arr(2, 2, 4, 5, seed=4)
i3 = arr(1, 2, 3, 4, 2, seed=5)
sizes = {3: [(None, 2.0), (None, 1.5), (None, 0.5), (7, None), (3, None), (None, 2.3), (None, 1.1)],
         4: [(None, 2.0), (None, 1.5), (None, 0.5), ([7, 3], None), ([3, 8], None), (None, [1.7, 0.6]), (None, [1.1, 2.1])],
         5: [(None, 2.0), (None, 1.5), ([5, 3, 3], None), (None, [1.1, 2.1, 1.5])]}
for mode, src in [('nearest', i1), ('nearest', i2), ('nearest', i3), ('nearest-exact', i1), ('nearest-exact', i2), ('nearest-exact', i3),
                  ('linear', i1), ('bilinear', i2), ('bicubic', i2), ('trilinear', i3)]:
    interp = mode not in ('nearest', 'nearest-exact')
    for size, scale in sizes[src.ndim]:
        for align in ([False, True] if interp else [None]):
            for recompute in ([None, True] if scale is not None else [None]):
                args = {'mode': mode, 'size': size, 'scaleFactor': scale, 'alignCorners': align, 'recomputeScaleFactor': recompute}
                name = f'interpolate {mode} {src.ndim}D size={size} scale={scale} align={align} recompute={recompute}'
                fn = lambda t: F.interpolate(t, size=size, scale_factor=scale, mode=mode, align_corners=align, recompute_scale_factor=recompute)
                if mode == 'nearest' and recompute is None and scale is not None:
                    fn = nearest_by_index_select(fn, src, scale)
                c(name, 'interpolate', [src], args, fn)
for mode in ['nearest', 'bilinear', 'bicubic']:
    c(f'interpolate {mode} transposed', 'interpolate', [i2], {'mode': mode, 'scaleFactor': 1.5, 'transposed': True},
      lambda t: F.interpolate(t, scale_factor=1.5, mode=mode))
c('interpolate bilinear size 1 align', 'interpolate', [i2], {'mode': 'bilinear', 'size': 1, 'alignCorners': True},
  lambda t: F.interpolate(t, size=1, mode='bilinear', align_corners=True))

c('pixelShuffle r=2', 'pixelShuffle', [arr(2, 8, 2, 3)], {'r': 2}, lambda t: F.pixel_shuffle(t, 2))
c('pixelShuffle r=3 unbatched', 'pixelShuffle', [arr(9, 2, 2)], {'r': 3}, lambda t: F.pixel_shuffle(t, 3))
c('pixelShuffle 5-D transposed', 'pixelShuffle', [arr(2, 1, 4, 3, 2)], {'r': 2, 'transposed': True}, lambda t: F.pixel_shuffle(t, 2))
c('pixelUnshuffle r=2', 'pixelUnshuffle', [arr(2, 2, 4, 6)], {'r': 2}, lambda t: F.pixel_unshuffle(t, 2))
c('pixelUnshuffle r=3 transposed', 'pixelUnshuffle', [arr(1, 6, 3)], {'r': 3, 'transposed': True}, lambda t: F.pixel_unshuffle(t, 3))

fold_opts = [({}, 2), ({'stride': 2}, 3), ({'padding': 1}, 3), ({'dilation': 2, 'padding': [1, 0]}, [2, 3]), ({'stride': [1, 2], 'dilation': [1, 2], 'padding': 2}, 2)]


def torch_opts(o):
    return {k: (tuple(v) if isinstance(v, list) else v) for k, v in o.items()}


for opts, k in fold_opts:
    kk = tuple(k) if isinstance(k, list) else k
    c(f'unfold k={k} {opts}', 'unfold', [arr(2, 3, 5, 6, seed=6)], {'kernelSize': k, **opts}, lambda t: F.unfold(t, kk, **torch_opts(opts)))
    cols = F.unfold(torch.zeros(2, 3, 5, 6), kk, **torch_opts(opts))
    c(f'fold k={k} {opts}', 'fold', [arr(*cols.shape, seed=7)], {'outputSize': [5, 6], 'kernelSize': k, **opts},
      lambda t: F.fold(t, (5, 6), kk, **torch_opts(opts)))
c('unfold unbatched transposed', 'unfold', [arr(2, 5, 4, seed=8)], {'kernelSize': 2, 'stride': 2, 'transposed': True},
  lambda t: F.unfold(t, 2, stride=2))
c('fold unbatched', 'fold', [arr(8, 6, seed=9)], {'outputSize': [3, 4], 'kernelSize': 2}, lambda t: F.fold(t, (3, 4), 2))
c('fold of unfold is overlap-weighted', 'foldUnfold', [arr(1, 2, 4, 5, seed=10)], {'kernelSize': 3, 'padding': 1},
  lambda t: F.fold(F.unfold(t, 3, padding=1), (4, 5), 3, padding=1))

theta = torch.tensor([[[0.9, -0.3, 0.1], [0.2, 1.1, -0.2]], [[1.3, 0.4, -0.5], [-0.6, 0.7, 0.3]]])
for align in [False, True]:
    for size in [[2, 3, 4, 5], [2, 1, 1, 3]]:
        c(f'affineGrid size={size} align={align}', 'affineGrid', [theta], {'size': size, 'alignCorners': align},
          lambda t: F.affine_grid(t, size, align_corners=align))
image = arr(2, 3, 4, 5, seed=11)
grid = arr(2, 3, 4, 2, lo=-1.4, hi=1.3, seed=12)
for mode in ['bilinear', 'nearest']:
    for padding in ['zeros', 'border', 'reflection']:
        for align in [False, True]:
            c(f'gridSample {mode} {padding} align={align}', 'gridSample', [image, grid], {'mode': mode, 'paddingMode': padding, 'alignCorners': align},
              lambda t, g: F.grid_sample(t, g, mode=mode, padding_mode=padding, align_corners=align))
c('gridSample far outside reflection', 'gridSample', [image, arr(2, 2, 3, 2, lo=-4.3, hi=3.9, seed=13)], {'mode': 'bilinear', 'paddingMode': 'reflection', 'alignCorners': False},
  lambda t, g: F.grid_sample(t, g, padding_mode='reflection', align_corners=False))
c('gridSample transposed input', 'gridSample', [arr(2, 3, 5, 4, seed=14), grid], {'mode': 'bilinear', 'paddingMode': 'zeros', 'alignCorners': False, 'transposed': True},
  lambda t, g: F.grid_sample(t, g, align_corners=False))
c('gridSample of affineGrid', 'gridOfAffine', [image, theta], {'alignCorners': False},
  lambda t, th: F.grid_sample(t, F.affine_grid(th, [2, 3, 3, 4], align_corners=False), align_corners=False))

for mode in ['constant', 'reflect', 'circular']:
    c(f'pad {mode} broadcast input', 'pad', [arr(1, 2, 3, 4, seed=15)], {'pad': [2, 1, 1, 2], 'mode': mode, 'broadcast': 3},
      lambda t: F.pad(t, [2, 1, 1, 2], mode=mode))
for mode in ['nearest', 'bilinear', 'bicubic']:
    c(f'interpolate {mode} broadcast input', 'interpolate', [arr(1, 2, 3, 4, seed=16)], {'mode': mode, 'scaleFactor': 1.5, 'broadcast': 2},
      lambda t: F.interpolate(t, scale_factor=1.5, mode=mode))
c('unfold broadcast transposed input', 'unfold', [arr(1, 2, 4, 5, seed=17)], {'kernelSize': 2, 'broadcast': 2, 'transposed': True}, lambda t: F.unfold(t, 2))
c('pixelShuffle broadcast input', 'pixelShuffle', [arr(1, 4, 2, 3, seed=18)], {'r': 2, 'broadcast': 2}, lambda t: F.pixel_shuffle(t, 2))
c('gridSample broadcast input', 'gridSample', [arr(1, 3, 4, 5, seed=19), grid], {'mode': 'bilinear', 'paddingMode': 'border', 'alignCorners': True, 'broadcast': 2},
  lambda t, g: F.grid_sample(t, g, padding_mode='border', align_corners=True))
c('gridSample broadcast grid', 'gridSampleBroadcastGrid', [image, arr(1, 3, 4, 2, lo=-1.2, hi=1.1, seed=20)], {},
  lambda t, g: F.grid_sample(t, g.expand(2, 3, 4, 2), align_corners=False))



def second_derivative(name, inner, inputs, args, fn):
    """The gradient of sum(fn(x) ** 3) with respect to x, built with create_graph, so that the
    fixture's gradient check is a second derivative (torch has none for grid_sample's backward)."""
    fx.second_derivative(name, inner, inputs, args, lambda t, *rest: fn(pre(t, args), *rest))


second_derivative('second derivative of pad reflect', 'pad', [x2], {'pad': [2, 1, 1, 2], 'mode': 'reflect'}, lambda t: F.pad(t, [2, 1, 1, 2], mode='reflect'))
for mode in ['linear', 'nearest']:
    second_derivative(f'second derivative of interpolate {mode}', 'interpolate', [i1], {'mode': mode, 'scaleFactor': 1.5},
                      lambda t: F.interpolate(t, scale_factor=1.5, mode=mode))
second_derivative('second derivative of interpolate bicubic', 'interpolate', [i2], {'mode': 'bicubic', 'size': [5, 3], 'alignCorners': True},
                  lambda t: F.interpolate(t, size=[5, 3], mode='bicubic', align_corners=True))
second_derivative('second derivative of unfold', 'unfold', [arr(1, 2, 4, 5, seed=21)], {'kernelSize': 2, 'padding': 1}, lambda t: F.unfold(t, 2, padding=1))
second_derivative('second derivative of fold', 'fold', [arr(1, 8, 10, seed=22)], {'outputSize': [3, 4], 'kernelSize': 2, 'padding': [0, 1]},
                  lambda t: F.fold(t, (3, 4), 2, padding=(0, 1)))
second_derivative('second derivative of pixelShuffle', 'pixelShuffle', [arr(1, 4, 2, 3, seed=23)], {'r': 2}, lambda t: F.pixel_shuffle(t, 2))

fx.save()
