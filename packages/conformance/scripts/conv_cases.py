"""Fixtures for the convolutions beyond conv2d: conv2d with 'same' padding of even kernels and
unbatched input, conv1d, and the transposed convolutions (stride, padding, output padding,
dilation, groups), forward, gradients and second derivatives."""
import torch
import torch.nn.functional as F

from common import Fixture, arr

fx = Fixture('conv')
case = fx.case

x4 = arr(2, 4, 5, 6)
case('conv2d same even kernel', 'conv2dWith', [x4, arr(3, 4, 2, 4, seed=1), arr(3, seed=2)], {'padding': 'same'},
     fn=lambda x, w, b: F.conv2d(x, w, b, padding='same'))
case('conv2d same dilated even', 'conv2dWith', [x4, arr(2, 2, 3, 2, seed=3)], {'padding': 'same', 'dilation': [1, 3], 'groups': 2},
     fn=lambda x, w: F.conv2d(x, w, padding='same', dilation=(1, 3), groups=2))
case('conv2d unbatched', 'conv2dWith', [arr(4, 5, 6), arr(3, 4, 3, 3, seed=1)], {'padding': 1}, fn=lambda x, w: F.conv2d(x, w, padding=1))

x3 = arr(2, 4, 9)
for name, w, kw in [
    ('plain', arr(3, 4, 3, seed=1), {}),
    ('stride padding dilation', arr(3, 4, 3, seed=1), {'stride': 2, 'padding': 2, 'dilation': 2}),
    ('groups', arr(6, 2, 2, seed=4), {'groups': 2}),
    ('same even', arr(3, 4, 4, seed=5), {'padding': 'same'}),
]:
    case(f'conv1d {name}', 'conv1d', [x3, w, arr(w.shape[0], seed=6)], kw, fn=lambda x, w, b, kw=kw: F.conv1d(x, w, b, **kw))
case('conv1d unbatched', 'conv1d', [arr(4, 9), arr(3, 4, 3, seed=1)], {}, fn=lambda x, w: F.conv1d(x, w))

for name, w, kw in [
    ('plain', arr(4, 3, 3, 3, seed=1), {}),
    ('stride 2 padding 1 output padding 1', arr(4, 3, 3, 3, seed=1), {'stride': 2, 'padding': 1, 'outputPadding': 1}),
    ('asymmetric stride and kernel', arr(4, 2, 2, 3, seed=2), {'stride': [3, 2], 'padding': [0, 1]}),
    ('dilation', arr(4, 3, 2, 2, seed=3), {'dilation': 2, 'outputPadding': 1}),
    ('groups', arr(4, 3, 3, 3, seed=4), {'groups': 2, 'stride': 2}),
]:
    opts = {'stride': kw.get('stride', 1), 'padding': kw.get('padding', 0), 'output_padding': kw.get('outputPadding', 0),
            'dilation': kw.get('dilation', 1), 'groups': kw.get('groups', 1)}
    case(f'convTranspose2d {name}', 'convTranspose2d', [arr(2, 4, 4, 5, seed=9), w, arr(w.shape[1] * opts['groups'], seed=6)], kw,
         fn=lambda x, w, b, o=opts: F.conv_transpose2d(x, w, b, **o))
case('convTranspose2d unbatched no bias', 'convTranspose2d', [arr(4, 3, 3), arr(4, 2, 3, 3, seed=1)], {'stride': 2},
     fn=lambda x, w: F.conv_transpose2d(x, w, stride=2))
case('convTranspose2d transposed input', 'convTranspose2dT', [arr(2, 4, 5, 4, seed=9), arr(4, 3, 3, 3, seed=1)], {'stride': 2},
     fn=lambda x, w: F.conv_transpose2d(x.transpose(-2, -1), w, stride=2))
case('convTranspose1d stride output padding', 'convTranspose1d', [arr(2, 4, 7), arr(4, 3, 3, seed=1), arr(3, seed=2)], {'stride': 3, 'padding': 1, 'outputPadding': 2},
     fn=lambda x, w, b: F.conv_transpose1d(x, w, b, stride=3, padding=1, output_padding=2))
case('convTranspose1d groups dilation', 'convTranspose1d', [arr(2, 4, 7), arr(4, 1, 3, seed=1)], {'groups': 2, 'dilation': 2},
     fn=lambda x, w: F.conv_transpose1d(x, w, groups=2, dilation=2))

x5 = arr(2, 4, 4, 5, 6, seed=11)
for name, w, kw in [
    ('plain', arr(3, 4, 2, 3, 3, seed=1), {}),
    ('stride padding dilation', arr(3, 4, 3, 2, 3, seed=2), {'stride': [2, 1, 2], 'padding': [1, 0, 2], 'dilation': [1, 2, 1]}),
    ('groups', arr(6, 2, 2, 2, 2, seed=3), {'groups': 2}),
    ('same even', arr(3, 4, 2, 3, 4, seed=4), {'padding': 'same'}),
]:
    case(f'conv3d {name}', 'conv3d', [x5, w, arr(w.shape[0], seed=6)], kw, fn=lambda x, w, b, kw=kw: F.conv3d(x, w, b, **kw))
case('conv3d unbatched', 'conv3d', [arr(4, 4, 5, 6, seed=12), arr(3, 4, 2, 2, 2, seed=1)], {'stride': 2}, fn=lambda x, w: F.conv3d(x, w, stride=2))
fx.second_derivative('d/dx conv3d', 'conv3d', [arr(1, 2, 3, 4, 4, seed=13), arr(2, 2, 2, 2, 2, seed=1)], {}, lambda x, w: F.conv3d(x, w))

fx.second_derivative('d/dx convTranspose2d', 'convTranspose2d', [arr(1, 4, 3, 3, seed=9) * 0.5, arr(4, 3, 3, 3, seed=1) * 0.5], {'stride': 2, 'padding': 1},
                     lambda x, w: F.conv_transpose2d(x, w, stride=2, padding=1))
fx.second_derivative('d/dx conv1d', 'conv1d', [arr(2, 4, 9), arr(3, 4, 3, seed=1)], {'stride': 2}, lambda x, w: F.conv1d(x, w, stride=2))

fx.save()
