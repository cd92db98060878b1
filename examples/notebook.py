"""A notebook-style tour of the llmcost Python module (run it cell by cell, or as a script).

    PYTHONPATH=build/python python3 examples/notebook.py
"""
# %% What does GPT-3 cost to train, and where does the number come from?
import llmcost

gpt3 = llmcost.train(model="gpt3")
print(gpt3)  # the same table as `llmcost train --model gpt3`
print(f"cost: ${gpt3.values['cost_usd'] / 1e6:.2f}M, time: {gpt3.values['wall_time_s'] / 86400:.1f} days")

# %% The same run on 2,048 H100s at 40% MFU, with a range from the assumptions' spreads
h100 = llmcost.train(model="gpt3", offer="aws-p5", chips=2048, mfu=0.4, uncertainty=True)
lo, hi = h100.values["energy_kwh_p05"], h100.values["energy_kwh_p95"]
print(f"energy {h100.values['energy_kwh'] / 1e3:.0f} MWh (90%: {lo / 1e3:.0f}-{hi / 1e3:.0f} MWh)")

# %% Serving: cost per million output tokens across batch sizes
for batch in (1, 8, 64):
    r = llmcost.infer(model="llama2-70b", offer="aws-p5", batch=batch)
    print(batch, f"${r.values['cost_per_1m_output_tokens_usd']:.2f} per 1M output tokens",
          f"{r.values['time_per_output_token_s'] * 1e3:.1f} ms/token")

# %% A sweep as a DataFrame (pandas when installed, else a dict of columns)
result = llmcost.run("scenarios/examples/hardware-comparison.toml")
print(result["rows"])

# %% What is in the catalog
print([m["id"] for m in llmcost.catalog().models][:10])

# %% Errors carry the command line's one-line message
try:
    llmcost.train(model="gpt5")
except llmcost.InputError as e:
    print("InputError:", e)
