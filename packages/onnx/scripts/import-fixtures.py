"""Writes the ONNX import fixtures: small models exported by torch.onnx.export (opset 17, a dynamic
batch axis), with inputs, outputs at two batch sizes, the gradients of a fixed loss for every
parameter, and the loss after one SGD step. Run with Debian's python3-torch (1.13):
    /usr/bin/python3 packages/onnx/scripts/import-fixtures.py
"""
import json
import math
import os

import torch
from torch import nn

OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'import')
LR = 0.1


class Mlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(8, 16)
        self.drop = nn.Dropout(0.3)
        self.fc2 = nn.Linear(16, 4)

    def forward(self, x):
        return torch.log_softmax(self.fc2(self.drop(torch.relu(self.fc1(x)))), dim=1)


class Cnn(nn.Module):
    """Conv, BatchNorm after the ReLU (so it stays a BatchNormalization node), pools, view-flatten."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 3, padding=1)
        self.bn = nn.BatchNorm2d(4)
        self.conv2 = nn.Conv2d(4, 6, (3, 2), stride=(2, 1), padding=(1, 0))
        self.fc = nn.Linear(6 * 2 * 2, 5)

    def forward(self, x):
        x = torch.max_pool2d(self.bn(torch.relu(self.conv1(x))), 2)
        x = nn.functional.avg_pool2d(torch.tanh(self.conv2(x)), 2, ceil_mode=True)
        x = x.view(x.size(0), -1)
        return torch.softmax(self.fc(x), dim=-1)


class Attention(nn.Module):
    """Embedding, LayerNorm, one attention head by matmuls, exact GELU, a mean over time."""

    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(11, 8)
        self.norm = nn.LayerNorm(8)
        self.qkv = nn.Linear(8, 24)
        self.out = nn.Linear(8, 3)

    def forward(self, idx):
        h = self.norm(self.emb(idx))
        q, k, v = self.qkv(h).split(8, dim=-1)
        att = torch.softmax(q @ k.transpose(1, 2) / math.sqrt(8), dim=-1)
        y = nn.functional.gelu(att @ v + h)
        return self.out(y.mean(dim=1))


class LanguageModel(nn.Module):
    """Embedding, a 2-layer batch-first LSTM from given initial states, a Linear over every step."""

    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(11, 6)
        self.lstm = nn.LSTM(6, 5, num_layers=2, batch_first=True)
        self.fc = nn.Linear(5, 11)

    def forward(self, idx, h0, c0):
        y, _ = self.lstm(self.emb(idx), (h0, c0))
        return self.fc(y)


class BiGru(nn.Module):
    """A bidirectional GRU from zero states (sequence first), both directions' outputs and final states."""

    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(4, 3, bidirectional=True)

    def forward(self, x):
        y, h = self.gru(x)
        return torch.cat([y, h.transpose(0, 1).reshape(1, -1, 6)], dim=0)


class SelfAttention(nn.Module):
    """nn.MultiheadAttention over a batch-first sequence, with a key padding mask."""

    def __init__(self):
        super().__init__()
        self.att = nn.MultiheadAttention(8, 2, batch_first=True)

    def forward(self, x, mask):
        return self.att(x, x, x, key_padding_mask=mask)[0]


class Encoder(nn.Module):
    def __init__(self, norm_first):
        super().__init__()
        self.enc = nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, batch_first=True, norm_first=norm_first)

    def forward(self, x):
        return self.enc(x)


def padding_mask(batch, lengths):
    return torch.arange(5)[None, :] >= torch.tensor(lengths)[:, None]


# Per model: its inputs' names and batch dims, and the output's batch dim.
AXES = {
    'mlp': ({'input': 0}, 0), 'cnn': ({'input': 0}, 0), 'attention': ({'input': 0}, 0),
    'lstm': ({'input': 0, 'h0': 1, 'c0': 1}, 0), 'gru': ({'input': 1}, 1),
    'mha': ({'input': 0, 'mask': 0}, 0), 'encoder': ({'input': 0}, 0), 'encoder-norm-first': ({'input': 0}, 0),
}
SEEDS = {name: i + 1 for i, name in enumerate(AXES)}


def make(name):
    torch.manual_seed(SEEDS[name])
    if name == 'lstm':
        return LanguageModel(), [torch.randint(0, 11, (2, 7)), torch.randn(2, 2, 5), torch.randn(2, 2, 5)], [torch.randint(0, 11, (3, 7)), torch.randn(2, 3, 5), torch.randn(2, 3, 5)]
    if name == 'gru':
        return BiGru(), [torch.randn(6, 2, 4)], [torch.randn(6, 3, 4)]
    if name == 'mha':
        return SelfAttention(), [torch.randn(2, 5, 8), padding_mask(2, [5, 3])], [torch.randn(3, 5, 8), padding_mask(3, [2, 5, 4])]
    if name.startswith('encoder'):
        model = Encoder(name == 'encoder-norm-first')
        with torch.no_grad():
            # Distinct norm parameters: the exporter merges initializers of equal values (ones, zeros) into one.
            for norm in (model.enc.norm1, model.enc.norm2):
                norm.weight.uniform_(0.5, 1.5)
                norm.bias.uniform_(-0.5, 0.5)
        return model, [torch.randn(2, 5, 8)], [torch.randn(3, 5, 8)]
    if name == 'mlp':
        return Mlp(), [torch.randn(3, 8)], [torch.randn(5, 8)]
    if name == 'cnn':
        model = Cnn()
        with torch.no_grad():
            model.bn.running_mean.uniform_(-0.5, 0.5)
            model.bn.running_var.uniform_(0.5, 2.0)
            model.bn.weight.uniform_(0.5, 1.5)
            model.bn.bias.uniform_(-0.5, 0.5)
        return model, [torch.randn(2, 1, 11, 9)], [torch.randn(4, 1, 11, 9)]
    return Attention(), [torch.randint(0, 11, (2, 5))], [torch.randint(0, 11, (3, 5))]


DTYPES = {torch.int64: 'int32', torch.bool: 'bool', torch.float32: 'float32'}


def data(x):
    return {'shape': list(x.shape), 'data': x.flatten().tolist(), 'dtype': DTYPES[x.dtype]}


def write(name):
    model, inputs, other = make(name)
    model.eval()
    axes, output_axis = AXES[name]
    path = os.path.join(OUT, f'{name}.onnx')
    dynamic = {n: {d: 'batch'} for n, d in axes.items()}
    dynamic['output'] = {output_axis: 'batch'}
    torch.onnx.export(model, tuple(inputs), path, opset_version=17, input_names=list(axes), output_names=['output'],
                      dynamic_axes=dynamic)
    out = model(*inputs)
    weights = torch.sin(torch.arange(out.numel(), dtype=torch.float32) * 1.7).reshape(out.shape)
    loss = (out * weights).sum()
    loss.backward()
    grads = {n: p.grad.flatten().tolist() for n, p in model.named_parameters()}
    with torch.no_grad():
        for p in model.parameters():
            p -= LR * p.grad
    after = (model(*inputs) * weights).sum().item()
    fixture = {
        'inputs': [data(x) for x in inputs],
        'other': [data(x) for x in other],
        'output': {'shape': list(out.shape), 'data': out.detach().flatten().tolist()},
        'otherOutput': None,
        'lossWeights': weights.flatten().tolist(),
        'loss': loss.item(),
        'grads': grads,
        'lr': LR,
        'lossAfterStep': after,
    }
    # The other batch size, from the original weights.
    model2, _, other2 = make(name)
    model2.eval()
    fixture['otherOutput'] = {'shape': list(model2(*other2).shape), 'data': model2(*other2).detach().flatten().tolist()}
    with open(os.path.join(OUT, f'{name}.json'), 'w') as f:
        json.dump(fixture, f)


if __name__ == '__main__':
    os.makedirs(OUT, exist_ok=True)
    for name in AXES:
        write(name)
        print('wrote', name)
