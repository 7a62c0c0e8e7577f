"""The default training run of src/train.ts in PyTorch 1.13, to compare settings one core apiece.

Run with Debian's python3 and python3-torch (1.13), after `pnpm install`:
`/usr/bin/python3 apps/char-gpt/scripts/torch_curve.py --n-layer 4 --lr 3e-3 --min-lr 3e-4`.
The options and defaults are train.ts's; the model, batches, optimiser, schedule and loss estimate
are nanoGPT's (nanogpt.py) as the app has them. It prints the train and validation estimates at
every evaluation. Debian's torch links the reference BLAS: with the OpenBLAS that
apps/bench/scripts/setup-pytorch.sh unpacks on LD_LIBRARY_PATH, a step on one thread takes about
as long as flint's on wasm-simd's two. Its random numbers are torch's, so its curve matches a flint
run in trend, not digit for digit.
"""
import argparse
import os
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from corpus import encoded_splits  # noqa: E402
from nanogpt import GPT, configure_optimizer, get_lr  # noqa: E402

DEFAULTS = {'max-iters': 3000, 'eval-interval': 750, 'eval-iters': 40, 'batch-size': 16, 'block-size': 64, 'n-layer': 3,
            'n-head': 4, 'n-embd': 128, 'lr': 5e-3, 'min-lr': 5e-4, 'warmup-iters': 100, 'weight-decay': 0.1, 'grad-clip': 1.0,
            'seed': 1337, 'threads': 1}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    for name, value in DEFAULTS.items():
        parser.add_argument(f'--{name}', type=type(value), default=value)
    a = parser.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    vocab_size, train, val = encoded_splits()
    model = GPT({'n_layer': a.n_layer, 'n_head': a.n_head, 'n_embd': a.n_embd, 'block_size': a.block_size,
                 'vocab_size': vocab_size, 'dropout': 0.0, 'bias': True})
    optim = {'learning_rate': a.lr, 'warmup_iters': a.warmup_iters, 'lr_decay_iters': a.max_iters, 'min_lr': a.min_lr}
    optimizer = configure_optimizer(model, a.weight_decay, a.lr, (0.9, 0.99))

    def batch(data):
        starts = torch.randint(len(data) - a.block_size, (a.batch_size,))
        x = torch.stack([data[s:s + a.block_size] for s in starts]).long()
        return x, torch.stack([data[s + 1:s + 1 + a.block_size] for s in starts]).long()

    @torch.no_grad()
    def estimate(data):
        model.eval()
        mean = sum(model(*batch(data)).item() for _ in range(a.eval_iters)) / a.eval_iters
        model.train()
        return mean

    started = time.time()
    for it in range(a.max_iters + 1):
        if it % a.eval_interval == 0 or it == a.max_iters:
            print(f'step {it}: train loss {estimate(train):.4f}, val loss {estimate(val):.4f} ({time.time() - started:.0f} s)', flush=True)
            if it == a.max_iters:
                break
        for group in optimizer.param_groups:
            group['lr'] = get_lr(it, optim)
        model(*batch(train)).backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), a.grad_clip)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)


if __name__ == '__main__':
    main()
