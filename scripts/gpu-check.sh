#!/usr/bin/env bash
# The checks that need an NVIDIA GPU, for a GPU machine that has no .NET SDK (docs/cuda.md, "How to run it on a GPU
# machine"). Two steps:
#
#   bash scripts/gpu-check.sh pack [MNIST_DIR]     here, with the SDK: publishes the CUDA tests (an xunit.v3
#       executable) and the CLI self-contained for linux-x64, with MNIST, into .gpu/ (ignored by git), one tar.xz of
#       about 40 MB. MNIST_DIR defaults to what MnistLocator finds (data/mnist, ../shared/data/mnist).
#   bash scripts/gpu-check.sh run OUT              there, in the repository root with .gpu/ beside it: every test of
#       tests/AutoHypergrad.Cuda.Tests (the GPU tests run instead of skipping), then `bench cuda` (Adam's kernels
#       against the bandwidth, Reverse-HG of hyper-cleaning against the CPU) and `hyperclean --quick --device cuda`,
#       their logs and JSON written to OUT.
#
# "run" looks for libnvrtc and libcublas under /usr/local/cuda* and in Python's nvidia-* wheels when the loader does
# not find them, and exits non-zero when a step fails (the others still run).
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pack="$root/.gpu"

case "${1:-}" in
pack)
    set -e
    mnist="${2:-}"
    if [[ -z "$mnist" ]]; then
        for candidate in "$root/data/mnist" "$root/../shared/data/mnist" "${AUTOHYPERGRAD_MNIST:-}"; do
            if [[ -n "$candidate" && -d "$candidate" ]]; then mnist="$candidate"; break; fi
        done
    fi
    [[ -n "$mnist" && -d "$mnist" ]] || { echo "gpu-check: MNIST not found; give its directory: bash scripts/gpu-check.sh pack DIR" >&2; exit 2; }
    staging="$(mktemp -d)"
    trap 'rm -rf "$staging"' EXIT
    dotnet publish "$root/tests/AutoHypergrad.Cuda.Tests" -c Release -r linux-x64 --self-contained -o "$staging/bin" -v quiet -nologo
    dotnet publish "$root/samples/AutoHypergrad.Cli" -c Release -r linux-x64 --self-contained -o "$staging/bin" -v quiet -nologo
    mkdir -p "$staging/mnist"
    cp "$mnist"/* "$staging/mnist/"
    mkdir -p "$pack"
    tar -cJf "$pack/gpu-check.tar.xz.partial" -C "$staging" bin mnist
    mv "$pack/gpu-check.tar.xz.partial" "$pack/gpu-check.tar.xz"
    echo "gpu-check: $(du -h "$pack/gpu-check.tar.xz" | cut -f1) in $pack/gpu-check.tar.xz; on the GPU machine: bash scripts/gpu-check.sh run OUT"
    ;;
run)
    out="${2:?usage: bash scripts/gpu-check.sh run OUT}"
    mkdir -p "$out"
    work="$(mktemp -d)"
    tar -xJf "$pack/gpu-check.tar.xz" -C "$work" || { echo "gpu-check: $pack/gpu-check.tar.xz is missing or broken; run 'pack' where the SDK is" >&2; exit 2; }
    for library in libnvrtc.so libcublas.so; do
        if ! ldconfig -p 2>/dev/null | grep -q "$library"; then
            found="$(find /usr/local /opt /usr/lib -name "$library*" \( -type f -o -type l \) 2>/dev/null | head -1)"
            [[ -n "$found" ]] && export LD_LIBRARY_PATH="$(dirname "$found")${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
        fi
    done
    export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 AUTOHYPERGRAD_MNIST="$work/mnist"
    nvidia-smi > "$out/nvidia-smi.txt" 2>&1
    status=0
    "$work/bin/AutoHypergrad.Cuda.Tests" -noColor -xml "$out/cuda-tests.xml" 2>&1 | tee "$out/cuda-tests.log" || status=1
    "$work/bin/autohypergrad" bench cuda --json "$out/bench-cuda.json" 2>&1 | tee "$out/bench-cuda.log" || status=1
    (cd "$out" && "$work/bin/autohypergrad" hyperclean --quick --device cuda --json hyperclean-gpu.json 2>&1 | tee hyperclean-gpu.log) || status=1
    rm -rf "$work"
    exit $status
    ;;
*)
    echo "usage: bash scripts/gpu-check.sh pack [MNIST_DIR] | run OUT" >&2
    exit 2
    ;;
esac
