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


def make(name):
    torch.manual_seed({'mlp': 1, 'cnn': 2, 'attention': 3}[name])
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


def write(name):
    model, inputs, other = make(name)
    model.eval()
    names = ['input']
    path = os.path.join(OUT, f'{name}.onnx')
    torch.onnx.export(model, tuple(inputs), path, opset_version=17, input_names=names, output_names=['output'],
                      dynamic_axes={'input': {0: 'batch'}, 'output': {0: 'batch'}})
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
        'inputs': [{'shape': list(x.shape), 'data': x.flatten().tolist(), 'dtype': 'int32' if x.dtype == torch.int64 else 'float32'} for x in inputs],
        'other': [{'shape': list(x.shape), 'data': x.flatten().tolist(), 'dtype': 'int32' if x.dtype == torch.int64 else 'float32'} for x in other],
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
    for name in ['mlp', 'cnn', 'attention']:
        write(name)
        print('wrote', name)
