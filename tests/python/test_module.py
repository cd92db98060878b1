"""The Python module against the command line it shares its core with (docs/python.md).

Run: PYTHONPATH=build/python LLMCOST_BIN=build/llmcost python3 -m pytest tests/python
"""
import json
import os
import subprocess
import sys

import pytest

import llmcost

BIN = os.environ.get("LLMCOST_BIN", "llmcost")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def cli_json(*args):
    out = subprocess.run([BIN, *args, "--format", "json"], capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def test_train_matches_the_command_line_to_the_digit():
    report = llmcost.train(model="gpt3")
    assert report.values["cost_usd"] == cli_json("train", "--model", "gpt3")["values"]["cost_usd"]
    assert report.kind == "train"
    assert "GPT-3" in report.title
    assert any(row["key"] == "cost_usd" for row in report.rows)
    assert json.loads(report.to_json())["values"] == report.values
    assert "Cost" in repr(report)


def test_keywords_are_the_flags_with_underscores():
    kw = llmcost.train(model="llama2-70b", offer="aws-p5", mfu=0.4, chips=2048)
    cli = cli_json("train", "--model", "llama2-70b", "--offer", "aws-p5", "--mfu", "0.4", "--chips", "2048")
    assert kw.values == cli["values"]
    serve = llmcost.serve(model="llama3-8b", offer=["runpod-h100", "aws-p5"], tokens_per_day="10B")
    assert serve.values["replicas"] >= 1
    # A switch takes True; False leaves it off; None leaves an argument out.
    ranged = llmcost.train(model="gpt3", uncertainty=True, samples=1000, offer=None)
    assert ranged.values["cost_usd_p05"] < ranged.values["cost_usd"] < ranged.values["cost_usd_p95"]
    assert "cost_usd_p05" not in llmcost.train(model="gpt3", uncertainty=False).values
    assert llmcost.estimate("optimal", law="besiroglu2024", flops=5.76e23).values["params_opt"] == pytest.approx(
        72.2e9, rel=1e-3)


def test_errors_are_exceptions_with_the_command_lines_message():
    with pytest.raises(llmcost.InputError, match="unknown model 'gpt5'; did you mean 'gpt3'"):
        llmcost.train(model="gpt5")
    with pytest.raises(ValueError, match="unknown argument 'flux'"):
        llmcost.train(model="gpt3", flux=3)
    with pytest.raises(llmcost.InputError, match="mfu"):
        llmcost.train(model="gpt3", mfu="lots")


def test_catalog_lists_records_with_sources():
    cat = llmcost.catalog()
    ids = {m["id"] for m in cat.models}
    assert {"gpt3", "llama2-70b", "opt-13b"} <= ids
    assert all(m["source"] for m in cat.models)
    assert any(a["id"] == "h100-sxm" for a in cat.accelerators)
    assert any(l["id"] == "besiroglu2024" for l in cat.laws)


def test_run_returns_checks_and_sweep_columns():
    res = llmcost.run(os.path.join(ROOT, "scenarios/examples/hardware-comparison.toml"))
    assert res["passed"]
    rows = res["rows"]
    columns = list(rows.columns) if hasattr(rows, "columns") else list(rows)
    assert {"offer", "mfu", "chips", "cost_usd"} <= set(columns)
    costs = list(rows["cost_usd"])
    assert len(costs) == 5  # the scenario's top = 5, best by cost first, as 'llmcost run --rows' writes them
    assert costs == sorted(costs)
    assert list(rows["offer"])[0] == "lambda-h100-8x"
    single = llmcost.run(os.path.join(ROOT, "scenarios/reference/train-gpt3-tpu-v4.toml"))
    assert single["passed"] and "rows" not in single
    assert all(c["passed"] for c in single["checks"])


def test_a_sweep_reaches_a_dataframe_with_categorical_axes():
    pandas = pytest.importorskip("pandas")
    res = llmcost.run(os.path.join(ROOT, "scenarios/examples/cheapest-at-p95.toml"))
    df = res["rows"]
    assert isinstance(df, pandas.DataFrame)
    assert str(df["offer"].dtype) == "category"
    assert df["cost_usd_p95"].iloc[0] == min(df["cost_usd_p95"])


def test_the_notebook_example_runs():
    # The same interpreter and PYTHONPATH as this test, from the repository root as its docstring says.
    out = subprocess.run([sys.executable, os.path.join(ROOT, "examples/notebook.py")],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert "InputError: unknown model 'gpt5'" in out
