"""Native PyTorch: `nn.Module`s, `torch.optim.Adam`, eager or `torch.compile`."""

import torch
from torch import nn
from torch.nn import functional as F

from benchmarks.native import BATCH
from benchmarks.native import BETA_1
from benchmarks.native import BETA_2
from benchmarks.native import EPSILON
from benchmarks.native import GP_WEIGHT
from benchmarks.native import LATENT
from benchmarks.native import LR


class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(LATENT, 7 * 7 * 256, bias=False)
        self.bn0 = nn.BatchNorm1d(7 * 7 * 256, eps=1e-3, momentum=0.01)
        self.up1 = nn.ConvTranspose2d(256, 128, 5, stride=1, padding=2, bias=False)
        self.bn1 = nn.BatchNorm2d(128, eps=1e-3, momentum=0.01)
        self.up2 = nn.ConvTranspose2d(128, 64, 5, stride=2, padding=2, output_padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(64, eps=1e-3, momentum=0.01)
        self.up3 = nn.ConvTranspose2d(64, 1, 5, stride=2, padding=2, output_padding=1, bias=False)

    def forward(self, z):
        h = F.leaky_relu(self.bn0(self.fc(z)), 0.3).view(-1, 256, 7, 7)
        h = F.leaky_relu(self.bn1(self.up1(h)), 0.3)
        h = F.leaky_relu(self.bn2(self.up2(h)), 0.3)
        return torch.tanh(self.up3(h))


class Discriminator(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 64, 5, stride=2, padding=2)
        self.c2 = nn.Conv2d(64, 128, 5, stride=2, padding=2)
        self.fc = nn.Linear(7 * 7 * 128, 1)

    def forward(self, x):
        h = F.dropout(F.leaky_relu(self.c1(x), 0.3), 0.3, self.training)
        h = F.dropout(F.leaky_relu(self.c2(h), 0.3), 0.3, self.training)
        return self.fc(h.flatten(1))


def build(objective, compile=False):
    """Returns `(step, n_params)`; `step(x)` runs one GAN step on the NCHW batch `x`."""
    torch.manual_seed(0)
    G, D = Generator(), Discriminator()
    kw = dict(lr=LR, betas=(BETA_1, BETA_2), eps=EPSILON)
    g_opt, d_opt = torch.optim.Adam(G.parameters(), **kw), torch.optim.Adam(D.parameters(), **kw)

    def d_loss_fn(x, fake):
        real_logits, fake_logits = D(x), D(fake)
        if objective == "ns":
            return F.softplus(-real_logits).mean() + F.softplus(fake_logits).mean()
        eps = torch.rand(BATCH, 1, 1, 1)
        x_hat = (eps * x + (1 - eps) * fake).requires_grad_(True)
        (grads,) = torch.autograd.grad(D(x_hat).sum(), x_hat, create_graph=True)
        norm = torch.sqrt(grads.square().sum(dim=(1, 2, 3)) + 1e-12)
        return fake_logits.mean() - real_logits.mean() + GP_WEIGHT * (norm - 1).square().mean()

    def g_loss_fn(logits):
        return F.softplus(-logits).mean() if objective == "ns" else -logits.mean()

    def d_half(x):
        with torch.no_grad():
            fake = G(torch.randn(BATCH, LATENT))
        d_loss = d_loss_fn(x, fake)
        d_opt.zero_grad(set_to_none=True)
        d_loss.backward()
        return d_loss

    def g_half():
        g_loss = g_loss_fn(D(G(torch.randn(BATCH, LATENT))))
        g_opt.zero_grad(set_to_none=True)
        g_loss.backward()
        return g_loss

    if compile:  # the forward/backward halves; optimizer steps stay eager
        d_half, g_half = torch.compile(d_half), torch.compile(g_half)

    def step(x):
        d_loss = d_half(x)
        d_opt.step()
        g_loss = g_half()
        g_opt.step()
        return d_loss.detach(), g_loss.detach()

    n_params = sum(p.numel() for p in G.parameters()) + sum(
        b.numel() for n, b in G.named_buffers() if "running" in n) + sum(
        p.numel() for p in D.parameters())
    return step, n_params


def to_batch(x):
    return torch.from_numpy(x).permute(0, 3, 1, 2).contiguous()


def sync(out):
    return [float(t) for t in out]
