"""Checks flint's safetensors files against PyTorch, without the safetensors package.

Run with Debian's python3 and python3-torch (1.13): `/usr/bin/python3 scripts/safetensors_check.py`.
1. Writes fixtures/io/from_torch.safetensors from torch tensors, and from_torch.json beside it with
   the values flint must load from it (after its dtype conversions); the io suite checks both.
2. Reads fixtures/io/from_flint.safetensors, which the io suite writes (FLINT_UPDATE_IO_FIXTURES=1),
   and checks its layout and values with torch.
The reader and writer below follow the format's spec and share nothing with flint's code.
"""
import json
import math
import os
import struct
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from common import enc  # noqa: E402

DIR = os.path.join(HERE, '..', 'fixtures', 'io')
# The reference implementation's Dtype enum, in increasing alignment order; its writer lays data
# out by descending position, then by name.
ALIGNMENT = ['BOOL', 'U8', 'I8', 'F8_E5M2', 'F8_E4M3', 'I16', 'U16', 'F16', 'BF16', 'I32', 'U32', 'F32', 'F64', 'I64', 'U64']
TORCH = {'BOOL': torch.bool, 'U8': torch.uint8, 'I8': torch.int8, 'I16': torch.int16, 'F16': torch.float16,
         'BF16': torch.bfloat16, 'I32': torch.int32, 'F32': torch.float32, 'F64': torch.float64, 'I64': torch.int64}
NAME = {t: n for n, t in TORCH.items()}
assert sys.byteorder == 'little', 'numpy tobytes()/frombuffer below assume a little-endian host'


def layout_order(header):
    return sorted(header, key=lambda n: (-ALIGNMENT.index(header[n]['dtype']), n.encode()))


def write(path, tensors, metadata):
    """Data in the reference writer's order; header in that order too, padded with spaces to 8 bytes."""
    info = {n: {'dtype': NAME[t.dtype], 'shape': list(t.shape)} for n, t in tensors.items()}
    header, blobs, offset = ({} if metadata is None else {'__metadata__': metadata}), [], 0
    for name in layout_order(info):
        t = tensors[name].contiguous()
        blob = (t.view(torch.int16) if t.dtype == torch.bfloat16 else t).numpy().tobytes()
        header[name] = {**info[name], 'data_offsets': [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header, separators=(',', ':')).encode()
    text += b' ' * (-len(text) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(text)) + text + b''.join(blobs))


def read(path):
    """Tensors (in header order), metadata and the raw header; asserts the spec's layout rules."""
    with open(path, 'rb') as f:
        data = f.read()
    (n,) = struct.unpack('<Q', data[:8])
    raw, buf = data[8:8 + n], data[8 + n:]
    header = json.loads(raw)
    metadata = header.pop('__metadata__', {})
    covered = 0
    for begin, end in sorted(tuple(v['data_offsets']) for v in header.values()):
        assert begin == covered, f'hole or overlap at byte {begin}'
        covered = end
    assert covered == len(buf), 'data section not exactly covered'
    tensors = {}
    for name, v in header.items():
        begin, end = v['data_offsets']
        dtype = TORCH[v['dtype']]
        flat = torch.frombuffer(bytearray(buf[begin:end]), dtype=dtype) if end > begin else torch.empty(0, dtype=dtype)
        assert end - begin == math.prod(v['shape']) * flat.element_size(), f'{name}: size does not match shape'
        tensors[name] = flat.reshape(v['shape'])
    return tensors, metadata, raw, header


def make_from_torch():
    """Every dtype torch state dicts hold, 0-d and empty tensors, and dotted names."""
    f32 = torch.float32
    tensors = {
        'features.0.weight': torch.tensor([[0.5, -1.25, 3.0], [1e-3, -7.5, 2.0]], dtype=f32),
        'features.0.bias': torch.tensor([0.1, -0.2], dtype=f32),
        'bn.num_batches_tracked': torch.tensor(42, dtype=torch.int64),
        'embedding.ids': torch.tensor([-2**31, 2**31 - 1, 0, 7], dtype=torch.int64),
        'mask': torch.tensor([[True, False], [False, True]]),
        'double': torch.tensor([0.1, 1 / 3, -1e300, float('inf')], dtype=torch.float64),
        'half': torch.tensor([65504.0, 6e-8, -0.0, float('-inf'), float('nan')], dtype=torch.float16),
        'bfloat': torch.tensor([1.5, -3e38, 1e-39], dtype=torch.bfloat16),
        'i32': torch.tensor([-5, 2**31 - 1], dtype=torch.int32),
        'i16': torch.tensor([-32768, 32767], dtype=torch.int16),
        'i8': torch.tensor([-128, 127], dtype=torch.int8),
        'u8': torch.tensor([0, 255], dtype=torch.uint8),
        'scalar': torch.tensor(2.5, dtype=f32),
        'empty': torch.zeros(0, 4, dtype=f32),
    }
    write(os.path.join(DIR, 'from_torch.safetensors'), tensors, {'format': 'pt'})
    # What flint loads: floats as float32, integers as int32, in the file's header order.
    loaded, metadata, _, _ = read(os.path.join(DIR, 'from_torch.safetensors'))
    expected = {n: enc(t if t.dtype in (torch.bool, f32) else t.float() if t.is_floating_point() else t.long())
                for n, t in loaded.items()}
    with open(os.path.join(DIR, 'from_torch.json'), 'w') as f:
        json.dump({'generator': f'torch {torch.__version__}', 'metadata': metadata, 'tensors': expected}, f, separators=(',', ':'))
        f.write('\n')
    print(f'from_torch: {len(tensors)} tensors')


def check_from_flint():
    """The state the io suite saves (see fromFlintState in src/suites/io.ts), checked with torch."""
    tensors, metadata, raw, header = read(os.path.join(DIR, 'from_flint.safetensors'))
    compact = raw.rstrip(b' ')
    assert len(raw) % 8 == 0 and len(raw) - len(compact) < 8, 'header not padded to 8 bytes with spaces'
    assert compact == json.dumps(json.loads(raw), separators=(',', ':'), ensure_ascii=False).encode(), 'header not compact JSON'
    offset = 0
    for name in layout_order(header):
        assert header[name]['data_offsets'][0] == offset, f'{name} is not where the reference writer puts it'
        offset = header[name]['data_offsets'][1]
    assert metadata == {'format': 'pt', 'producer': 'flint'}, metadata
    expected = {
        'features.0.weight': (torch.arange(12, dtype=torch.float32) * 0.25 - 1).reshape(3, 4).T,
        'features.0.bias': torch.tensor([0.1, -2.5, float('inf'), float('-inf'), float('nan')]),
        'step': torch.tensor(7, dtype=torch.int32),
        '10': torch.tensor([1.5]),
        'counts': torch.tensor([-2**31, 2**31 - 1, 0, -1], dtype=torch.int32),
        'mask': torch.tensor([[True, False, True], [False, False, True]]),
        'empty': torch.zeros(0, 3),
    }
    assert list(header) == list(expected), f'header order {list(header)}: flint keeps the order saved'
    for name, want in expected.items():
        torch.testing.assert_close(tensors[name], want, rtol=0, atol=0, equal_nan=True, msg=lambda m: f'{name}: {m}')
    print(f'from_flint: {len(expected)} tensors match torch')


if __name__ == '__main__':
    make_from_torch()
    check_from_flint()
