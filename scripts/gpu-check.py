#!/usr/bin/env python3
"""Checks `llmcost calibrate` against PyTorch on the same GPU, in one run (issue 5's acceptance).

  python3 scripts/gpu-check.py [--llmcost build/llmcost] [--out DIR]

1. PyTorch times torch.matmul on an 8192x8192x8192 bf16 product (random normal operands, three
   warm-ups, then the median of 20 products each timed by its own pair of CUDA events, back to
   back, no L2 flush: what a user of torch.matmul sees) and a device-to-device copy
   (`dst.copy_(src)` over 2 GiB, bytes read plus written, the same way).
2. `llmcost calibrate --dtype bf16 --format json` runs the same sweep a user runs.
3. PyTorch is timed again; its better figure of the two rounds is the reference, so a GPU that
   warms up or throttles during the run counts against llmcost, not for it.

Passes (exit 0) when llmcost's bf16 8192^3 GEMM reaches at least 95% of torch.matmul and its
bandwidth kernel (best of copy and triad) at least 90% of PyTorch's device-to-device copy; exit 1
otherwise, 2 when the run itself fails. Writes acceptance.json, calibrate.json and
calibration.toml to --out (default: a temporary folder, printed).

Needs a CUDA GPU, PyTorch with CUDA, and an llmcost built with the CUDA plugin. It is not part of
the test suite (CI has no GPU); the figures go on the issue tracker.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

GEMM_RATIO_MIN = 0.95
BANDWIDTH_RATIO_MIN = 0.90
SIZE = 8192


def fail(msg):
    print(f"gpu-check: {msg}", file=sys.stderr)
    sys.exit(2)


def torch_round(torch):
    """(matmul flop/s, copy bytes/s) measured with PyTorch: median of timed runs after warm-up."""
    dev = torch.device("cuda")

    def median_seconds(op, warmup=3, runs=20):
        for _ in range(warmup):
            op()
        pairs = [(torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)) for _ in range(runs)]
        for start, end in pairs:
            start.record()
            op()
            end.record()
        torch.cuda.synchronize()
        return statistics.median(s.elapsed_time(e) / 1e3 for s, e in pairs)

    a = torch.randn(SIZE, SIZE, device=dev, dtype=torch.bfloat16)
    b = torch.randn(SIZE, SIZE, device=dev, dtype=torch.bfloat16)
    c = torch.empty(SIZE, SIZE, device=dev, dtype=torch.bfloat16)
    t_mm = median_seconds(lambda: torch.matmul(a, b, out=c))
    del a, b, c
    n = (2 << 30) // 4
    src = torch.rand(n, device=dev, dtype=torch.float32)
    dst = torch.empty_like(src)
    t_copy = median_seconds(lambda: dst.copy_(src))
    del src, dst
    torch.cuda.empty_cache()
    return 2.0 * SIZE**3 / t_mm, 2.0 * n * 4 / t_copy


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--llmcost", default="build/llmcost", help="the llmcost binary (default: build/llmcost)")
    ap.add_argument("--out", help="folder for acceptance.json, calibrate.json, calibration.toml")
    args = ap.parse_args()
    out = args.out or tempfile.mkdtemp(prefix="llmcost-gpu-check-")
    os.makedirs(out, exist_ok=True)

    try:
        import torch
    except ImportError:
        fail("PyTorch is not installed (python3 -c 'import torch' fails)")
    if not torch.cuda.is_available():
        fail("PyTorch sees no CUDA device")
    device = torch.cuda.get_device_name(0)

    before = torch_round(torch)
    cmd = [args.llmcost, "calibrate", "--dtype", "bf16", "--format", "json", "--out",
           os.path.join(out, "calibration.toml")]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        fail(f"{' '.join(cmd)} exited {proc.returncode}")
    with open(os.path.join(out, "calibrate.json"), "w") as f:
        f.write(proc.stdout)
    after = torch_round(torch)

    report = json.loads(proc.stdout)
    shape = f"{SIZE}x{SIZE}x{SIZE}"
    gemm = [r for r in report["sweep"] if r["test"] == "gemm" and r["dtype"] == "bf16" and r["shape"] == shape]
    if not gemm:
        fail(f"llmcost's sweep has no bf16 {shape} row (skipped? see its notes)")
    values = report["values"]
    ours_mm = gemm[0]["achieved"]
    ours_bw = values["bandwidth_bytes_per_s"]
    torch_mm = max(before[0], after[0])
    torch_bw = max(before[1], after[1])
    result = {
        "device": device,
        "torch_version": torch.__version__,
        "llmcost_bf16_8192_flop_per_s": ours_mm,
        "torch_matmul_bf16_8192_flop_per_s": torch_mm,
        "torch_matmul_rounds_flop_per_s": [before[0], after[0]],
        "gemm_ratio": ours_mm / torch_mm,
        "llmcost_bandwidth_bytes_per_s": ours_bw,
        "llmcost_memcpy_bytes_per_s": values.get("memcpy_bytes_per_s"),
        "torch_copy_bytes_per_s": torch_bw,
        "torch_copy_rounds_bytes_per_s": [before[1], after[1]],
        "bandwidth_ratio": ours_bw / torch_bw,
        "gemm_ratio_min": GEMM_RATIO_MIN,
        "bandwidth_ratio_min": BANDWIDTH_RATIO_MIN,
    }
    result["passed"] = result["gemm_ratio"] >= GEMM_RATIO_MIN and result["bandwidth_ratio"] >= BANDWIDTH_RATIO_MIN
    with open(os.path.join(out, "acceptance.json"), "w") as f:
        json.dump(result, f, indent=2)

    print(f"device          {device} (torch {torch.__version__})")
    print(f"bf16 {shape}  llmcost {ours_mm / 1e12:.1f} TFLOP/s, torch.matmul {torch_mm / 1e12:.1f} TFLOP/s"
          f" (rounds {before[0] / 1e12:.1f}, {after[0] / 1e12:.1f}): {100 * result['gemm_ratio']:.1f}%"
          f" (need {100 * GEMM_RATIO_MIN:.0f}%)")
    print(f"bandwidth       llmcost {ours_bw / 1e9:.0f} GB/s, torch copy_ {torch_bw / 1e9:.0f} GB/s"
          f" (rounds {before[1] / 1e9:.0f}, {after[1] / 1e9:.0f}): {100 * result['bandwidth_ratio']:.1f}%"
          f" (need {100 * BANDWIDTH_RATIO_MIN:.0f}%)")
    print(f"{'PASS' if result['passed'] else 'FAIL'}; files in {out}")
    return 0 if result["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
