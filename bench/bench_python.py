"""Benchmark of the Python module (not a test): a 1,000,000-point train sweep into a pandas
DataFrame through llmcost.run (target < 3 s), every point kept.

    PYTHONPATH=build/python python3 bench/bench_python.py
"""
import os
import tempfile
import time

import llmcost

SWEEP = """kind = "train"
[inputs]
model = "llama2-70b"
offer = ["aws-p4d-1yr", "aws-p5", "lambda-h100-8x", "gcp-tpu-v5p"]
mfu = { from = 0.2, to = 0.6, count = 250 }
chips = { from = 64, to = 64000, step = 64 }
"""

with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "million.toml")
    with open(path, "w") as f:
        f.write(SWEEP)
    llmcost.train(model="gpt3")  # load the catalog first
    t0 = time.perf_counter()
    rows = llmcost.run(path)["rows"]
    dt = time.perf_counter() - t0
    kind = type(rows).__name__
    print(f"1,000,000-point sweep to a {kind} ({len(rows['cost_usd']):,} rows): {dt:.2f} s (target < 3 s)")
