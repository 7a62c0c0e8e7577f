"""Moby Dick and its character ids as src/corpus.ts makes them, for the PyTorch scripts."""
import json
import os

import torch

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'node_modules', '@stdlib', 'datasets-moby-dick', 'data')


def read_moby_dick():
    """The chapters in file_list.json's order, as readMobyDick() reads them (newline='' keeps any \\r)."""
    with open(os.path.join(DATA, 'file_list.json'), encoding='utf-8') as f:
        files = json.load(f)
    parts = []
    for name in files:
        with open(os.path.join(DATA, name), encoding='utf-8', newline='') as f:
            parts.append(f.read())
    return ''.join(parts)


def encoded_ids(dtype=torch.int32):
    """(vocabulary size, the whole book's ids): Vocabulary.fromText's sorted distinct characters, each mapped to its index."""
    text = read_moby_dick()
    chars = sorted(set(text))
    assert all(ord(c) < 0x10000 for c in chars), 'code-point order equals the UTF-16 order of src/corpus.ts only within the BMP'
    stoi = {c: i for i, c in enumerate(chars)}
    return len(chars), torch.tensor([stoi[c] for c in text], dtype=dtype)


def encoded_splits():
    """(vocabulary size, train ids, validation ids): the 90/10 split of splitIds()."""
    vocab, ids = encoded_ids()
    n = int(len(ids) * 0.9)
    return vocab, ids[:n], ids[n:]
