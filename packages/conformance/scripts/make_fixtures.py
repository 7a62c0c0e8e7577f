"""Writes the PyTorch-made fixtures the conformance suite checks every backend against.

Run with Debian's python3 and python3-torch (1.13): `/usr/bin/python3 scripts/make_fixtures.py`
(`pnpm --filter @flint/conformance fixtures`). Each *_cases.py module writes fixtures/<name>.json.
Inputs are fixed arrays stored in the fixtures, so no random stream has to match across languages.
"""
import glob
import importlib
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
for path in sorted(glob.glob(os.path.join(HERE, '*_cases.py'))):
    importlib.import_module(os.path.basename(path)[:-3])
