"""PyTorch's side of the workloads, one process per (workload, size, threads).

Started by systems/pytorch.ts with the path of a safetensors file holding the workload's arrays
(and its description as JSON in the metadata). Speaks JSON lines on stdin/stdout:
  {"type": "warmup", "warmupMs", "sampleMs"} -> {"type": "ready", "steps", "iterations"}
  {"type": "sample", "iterations"}          -> {"type": "sample", "seconds", "values"}
  {"type": "result", "path"}                -> writes the last step's full result (float32) there
  {"type": "exit"}
Timing happens here, in the same loops as timing.ts, so no message passing falls inside a sample.
"""
import json
import math
import struct
import sys
import time

import torch
from torch import nn
import torch.nn.functional as F

DTYPES = {"F32": torch.float32, "I32": torch.int32}


def load_arrays(path):
    with open(path, "rb") as f:
        raw = f.read()
    (size,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + size])
    job = json.loads(header.pop("__metadata__")["job"])
    body = memoryview(raw)[8 + size :]
    arrays = {}
    for name, entry in header.items():
        start, end = entry["data_offsets"]
        flat = torch.frombuffer(bytearray(body[start:end]), dtype=DTYPES[entry["dtype"]])
        arrays[name] = flat.reshape(entry["shape"])
    return job, arrays


def layer_modules(layers, params):
    """The bench's layer list (models.ts) as modules holding the shared weights (linear ones arrive [in, out])."""
    supplied = iter(params)
    modules = []
    for spec in layers:
        kind = spec["kind"]
        if kind == "linear":
            m = nn.Linear(spec["in"], spec["out"])
            w, b = next(supplied)
            m.weight.data.copy_(w.reshape(spec["in"], spec["out"]).t())
            m.bias.data.copy_(b)
        elif kind == "conv2d":
            m = nn.Conv2d(spec["in"], spec["out"], spec["k"])
            w, b = next(supplied)
            m.weight.data.copy_(w.reshape(m.weight.shape))
            m.bias.data.copy_(b)
        elif kind == "relu":
            m = nn.ReLU()
        elif kind == "maxPool2d":
            m = nn.MaxPool2d(spec["k"])
        elif kind == "flatten":
            m = nn.Flatten()
        else:
            raise ValueError(f"unknown layer kind {kind}")
        modules.append(m)
    return nn.Sequential(*modules)


class GPT(nn.Module):
    """The gpt workload: token and position embeddings, pre-LN encoder layers under a causal mask, a head."""

    def __init__(self, c):
        super().__init__()
        width = c["width"]
        self.tok = nn.Embedding(c["vocab"], width)
        self.pos = nn.Embedding(c["context"], width)
        self.blocks = nn.ModuleList(
            nn.TransformerEncoderLayer(width, c["heads"], 4 * width, dropout=0.0, activation="gelu", batch_first=True, norm_first=True)
            for _ in range(c["layers"])
        )
        self.norm = nn.LayerNorm(width)
        self.head = nn.Linear(width, c["vocab"])
        self.register_buffer("mask", torch.triu(torch.full((c["context"], c["context"]), float("-inf")), 1))

    def forward(self, x):
        h = self.tok(x) + self.pos(torch.arange(x.shape[1]))
        for block in self.blocks:
            h = block(h, src_mask=self.mask)
        return self.head(self.norm(h))


class LSTMModel(nn.Module):
    """The lstm workload: word_language_model's RNNModel (embedding, LSTM, decoder), time-first."""

    def __init__(self, c):
        super().__init__()
        self.encoder = nn.Embedding(c["vocab"], c["width"])
        self.rnn = nn.LSTM(c["width"], c["width"], c["layers"])
        self.decoder = nn.Linear(c["width"], c["vocab"])

    def forward(self, x):
        out, _ = self.rnn(self.encoder(x))
        return self.decoder(out)


def trainer(job, arrays):
    model = job["model"]
    net = layer_modules(model["layers"], [(arrays[f"w{i}"], arrays[f"b{i}"]) for i in range(job["paramCount"])])
    x = arrays["x"].reshape([job["batch"], *model["input"]])
    y = arrays["y"].long()
    optimizer = torch.optim.SGD(net.parameters(), lr=job["lr"])

    def step():
        loss = F.cross_entropy(net(x), y)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        return loss.item()

    return step


def sequence_trainer(job, arrays):
    torch.manual_seed(job["seed"])
    x = arrays["x"].long().reshape(job["batch"], job["context"])
    y = arrays["y"].long().reshape(job["batch"], job["context"])
    if job["kind"] == "gpt":
        net = GPT(job)
        optimizer = torch.optim.AdamW(net.parameters(), lr=job["lr"])
        clip = None
    else:
        # word_language_model's batches are [bptt, batch]; the arrays arrive [batch, bptt].
        x, y = x.t().contiguous(), y.t().contiguous()
        net = LSTMModel(job)
        optimizer = torch.optim.SGD(net.parameters(), lr=job["lr"])
        clip = job["clip"]

    def step():
        logits = net(x)
        loss = F.cross_entropy(logits.reshape(-1, job["vocab"]), y.reshape(-1))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        if clip is not None:
            nn.utils.clip_grad_norm_(net.parameters(), clip)
        optimizer.step()
        return loss.item()

    return step


def instance(job, arrays):
    """(step, result): step runs once and returns the value it read back; result is the full last output."""
    kind = job["kind"]
    if kind == "matmul":
        a, b = arrays["a"].reshape(job["n"], job["n"]), arrays["b"].reshape(job["n"], job["n"])
        return (lambda: torch.mm(a, b)[-1, -1].item()), (lambda: torch.mm(a, b))
    if kind == "add":
        a, b = arrays["a"], arrays["b"]
        return (lambda: torch.add(a, b)[-1].item()), (lambda: torch.add(a, b))
    if kind == "add-into":
        acc, b = arrays["a"].clone(), arrays["b"]
        return (lambda: acc.add_(b)[-1].item()), (lambda: acc)
    if kind == "train":
        return trainer(job, arrays), None
    if kind in ("gpt", "lstm"):
        return sequence_trainer(job, arrays), None
    raise ValueError(f"PyTorch has no side for workload kind {kind}")


def warm_up(step, warmup_ms, sample_ms):
    """timing.ts's warmUp: at least 3 steps and warmup_ms; a sample holds as many steps as fill sample_ms."""
    durations = []
    start = time.perf_counter()
    while len(durations) < 3 or (time.perf_counter() - start) * 1000 < warmup_ms:
        t0 = time.perf_counter()
        step()
        durations.append((time.perf_counter() - t0) * 1000)
    steady = sorted(durations[len(durations) // 2 :])
    typical = steady[len(steady) // 2]
    return len(durations), max(1, round(sample_ms / typical))


def main():
    job, arrays = load_arrays(sys.argv[1])
    torch.set_num_threads(job["threads"])
    step, result = instance(job, arrays)

    def reply(message):
        sys.stdout.write(json.dumps(message) + "\n")
        sys.stdout.flush()

    for line in sys.stdin:
        message = json.loads(line)
        kind = message["type"]
        if kind == "warmup":
            steps, iterations = warm_up(step, message["warmupMs"], message["sampleMs"])
            reply({"type": "ready", "steps": steps, "iterations": iterations})
        elif kind == "sample":
            values = []
            t0 = time.perf_counter()
            for _ in range(message["iterations"]):
                values.append(step())
            seconds = time.perf_counter() - t0
            reply({"type": "sample", "seconds": seconds, "values": [v if math.isfinite(v) else None for v in values]})
        elif kind == "result":
            with open(message["path"], "wb") as f:
                f.write(result().detach().contiguous().float().numpy().tobytes())
            reply({"type": "result"})
        elif kind == "exit":
            return


if __name__ == "__main__":
    try:
        main()
    except Exception as error:  # reported to the harness, which prints it with the cell
        import traceback

        sys.stdout.write(json.dumps({"type": "error", "message": traceback.format_exc()}) + "\n")
        sys.stdout.flush()
        sys.exit(1)
