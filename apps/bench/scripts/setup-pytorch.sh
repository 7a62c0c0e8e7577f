#!/usr/bin/env bash
# Makes PyTorch available as the bench's reference system and prints the OpenBLAS library folder
# to put on its LD_LIBRARY_PATH. Debian's python3-torch links the generic libblas.so.3, which
# resolves to the reference BLAS (3-6 GFLOP/s); OpenBLAS's OpenMP build is unpacked into DEST
# only, so the system's BLAS alternatives stay as they are. Idempotent; installing needs root.
set -euo pipefail
DEST=${DEST:-$PWD/.cache/openblas}
PYTHON=${PYTHON:-/usr/bin/python3}
export DEBIAN_FRONTEND=noninteractive
apt() { apt-get -q -o DPkg::Lock::Timeout=600 "$@" >&2; }
if ! "$PYTHON" -c 'import torch' 2>/dev/null; then
  [ "$(id -u)" = 0 ] || { echo "setup-pytorch: $PYTHON cannot import torch; run as root to install Debian's python3-torch, or: apt-get install python3-torch" >&2; exit 1; }
  apt update && apt install -y --no-install-recommends python3-torch
fi
LIB=$DEST/root/usr/lib/x86_64-linux-gnu/openblas-openmp
if [ ! -f "$LIB/libblas.so.3" ]; then
  mkdir -p "$DEST/debs"
  (cd "$DEST/debs" && { apt-get -o APT::Sandbox::User=root download -q libopenblas0-openmp >&2 || { apt update && apt-get -o APT::Sandbox::User=root download -q libopenblas0-openmp >&2; }; })
  dpkg-deb -x "$DEST"/debs/libopenblas0-openmp_*.deb "$DEST/root"
fi
[ -f "$LIB/libblas.so.3" ] || { echo "setup-pytorch: libopenblas0-openmp unpacked without $LIB/libblas.so.3" >&2; exit 1; }
echo "$LIB"
