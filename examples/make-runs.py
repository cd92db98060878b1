#!/usr/bin/env python3
"""Writes runs.csv, the example data of `llmcost fit` in the README: 245 training runs (the size
of the Chinchilla data set Besiroglu et al. 2024 re-extracted) whose losses follow the
besiroglu2024 law, L = 1.8172 + 482.01/N^0.3478 + 2085.43/D^0.3658, with 0.5% log-normal noise.
N is log-uniform in [7e7, 1.6e10] and D in [5e9, 5e11] (about the range of Hoffmann et al.'s
runs). Seeded, so the file is the same on every run:  python3 examples/make-runs.py > examples/runs.csv
"""
import math
import random

E, A, B, ALPHA, BETA = 1.8172, 482.01, 2085.43, 0.3478, 0.3658
rng = random.Random(2024)
print("params,tokens,loss")
for _ in range(245):
    n = math.exp(math.log(7e7) + rng.random() * math.log(1.6e10 / 7e7))
    d = math.exp(math.log(5e9) + rng.random() * math.log(5e11 / 5e9))
    loss = (E + A / n**ALPHA + B / d**BETA) * math.exp(rng.gauss(0, 0.005))
    print(f"{n:.4g},{d:.4g},{loss:.5f}")
