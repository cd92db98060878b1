// `llmcost plan` through the binary: the report's arithmetic, a given layout, and bad input.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <string>

#include "cli_runner.hpp"
#include "report_json.hpp"

namespace {

using llmcost::test::run_llmcost;

using llmcost::test::value;

TEST_CASE("plan: the fastest layout of the 22B model on one DGX A100, and the run around it", "[perf]") {
  const auto rep = llmcost::test::report(
      "plan --model megatron-22b --hardware a100-80gb --chips 8 --global-batch 4194304 --tokens 100B --attention "
      "unfused");
  CHECK(value(rep, "chips") == 8);
  CHECK(value(rep, "global_batch_seqs") == 2048);  // 4,194,304 / 2,048
  CHECK(value(rep, "tp") * value(rep, "pp") * value(rep, "dp") == 8);
  CHECK(rep["values"]["fits"] == true);
  CHECK(value(rep, "memory_per_chip_bytes") <= 80e9);
  CHECK(value(rep, "tokens_per_s") == Approx(2048.0 * 2048 / value(rep, "step_time_s")).epsilon(1e-9));
  CHECK(value(rep, "wall_time_s") == Approx(100e9 / value(rep, "tokens_per_s")).epsilon(1e-9));
  CHECK(value(rep, "chip_hours") == Approx(value(rep, "wall_time_s") * 8 / 3600).epsilon(1e-9));
  // Korthikanti et al. 2022 measured 41.5% MFU for this model on 8 GPUs (batch 4): a whole step of
  // 2,048 sequences runs at least that well.
  CHECK(value(rep, "mfu") > 0.40);
  CHECK(value(rep, "mfu") < 0.65);
}

TEST_CASE("plan: a given layout is evaluated as given", "[perf]") {
  const auto rep = llmcost::test::report(
      "plan --model megatron-175b --hardware a100-80gb --chips 64 --global-batch 131072 --attention unfused "
      "--layout tp=8,pp=8,vp=3,mb=1,recompute=selective,zero=0");
  CHECK(rep["values"]["layout"] == "tp=8,pp=8,dp=1,vp=3,mb=1,recompute=selective,zero=0,sp=on");
  // Korthikanti et al. 2022 Table 5: 13.75 s per iteration.
  CHECK(value(rep, "step_time_s") == Approx(13.75).epsilon(0.15));
}

TEST_CASE("plan: bad layouts and batches are one-line errors with exit code 2", "[perf]") {
  const std::string base = "plan --model megatron-22b --hardware a100-80gb ";
  for (const auto& [args, message] :
       {std::pair<std::string, std::string>{"--layout tp=3 --chips 24 --global-batch 49152",
                                            "--layout: tp=3 does not divide the model's 64 attention heads"},
        {"--chips 8 --global-batch 16384 --layout tp=1,pp=5", "--layout: tp × pp × cp = 5 does not divide the 8 chips"},
        {"--chips 8 --global-batch 16384 --layout tp=8,pp=1,dp=2",
         "--layout: tp × pp × cp × dp = 16 but the job has 8 chips"},
        {"--chips 8 --global-batch 16384 --layout tp=8,pp=1,mb=3",
         "--layout: the global batch of 8 sequences is not a multiple of micro-batch 3 × dp 1 = 3"},
        {"--chips 8 --global-batch 16384 --layout tp=8,size=2", "--layout: unknown layout key 'size'"},
        {"--chips 3072 --global-batch 4096",
         "no valid layout of megatron-22b on 3072 chips: the global batch of 2 sequences"}}) {
    const auto r = run_llmcost(base + args);
    INFO(args << "\n" << r.err);
    CHECK(r.rc == 2);
    CHECK(r.out.empty());
    CHECK(r.err.find(message) != std::string::npos);
    CHECK(r.err.find('\n') == r.err.size() - 1);
  }
}

}  // namespace

namespace {

// Issue 13 item 4: train without --mfu takes the planner's MFU and says which layout; with --mfu it
// is unchanged. Item 5: with a planned MFU, fp8 runs the layers' GEMMs at the fp8 peak (no blanket
// speed-up factor).
TEST_CASE("train: without --mfu the MFU is planned and its layout stated; --mfu as before", "[perf]") {
  const auto planned =
      llmcost::test::report("train --model llama2-70b --offer aws-p5 --chips 1024 --global-batch 4194304");
  CHECK(planned["values"].contains("step_time_s"));
  CHECK(planned["values"]["goodput"] == 0.9);
  const std::string layout = llmcost::test::context(planned, "layout");
  CHECK(layout.find("tp=") != std::string::npos);
  // The planned MFU is what `llmcost plan` finds for the same cluster and batch.
  const auto plan = llmcost::test::report("plan --model llama2-70b --offer aws-p5 --chips 1024 --global-batch 4194304");
  CHECK(planned["values"]["mfu"].get<double>() == Approx(plan["values"]["mfu"].get<double>()).epsilon(1e-9));
  CHECK(layout.find(plan["values"]["layout"].get<std::string>()) != std::string::npos);
  // Given: no plan, no goodput, the old arithmetic.
  const auto given = llmcost::test::report("train --model llama2-70b --offer aws-p5 --chips 1024 --mfu 40%");
  CHECK(given["values"]["mfu"] == 0.4);
  CHECK(!given["values"].contains("goodput"));
  CHECK(!given["values"].contains("step_time_s"));
  // fp8: the planned MFU (against the bf16 peak) rises because the linear GEMMs run at the fp8 peak.
  const auto fp8 =
      llmcost::test::report("train --model llama2-70b --offer aws-p5 --chips 1024 --global-batch 4194304 --dtype fp8");
  CHECK(!fp8["values"].contains("fp8_speedup"));
  CHECK(fp8["values"]["mfu"].get<double>() > planned["values"]["mfu"].get<double>() * 1.15);
  // --global-batch applies to a planned MFU only.
  const auto r = run_llmcost("train --model llama2-70b --offer aws-p5 --mfu 40% --global-batch 4M");
  CHECK(r.rc == 2);
  CHECK(r.err.find("--global-batch applies with a planned MFU") != std::string::npos);
}

}  // namespace

namespace {

// --calibration: the measured copy bandwidth replaces plan_memory_efficiency and the sweep's
// nearest measured GEMM its rate (tests/calibration/h100-sxm.toml: 3,012 GB/s of 3,350).
TEST_CASE("plan: a calibration's bandwidth and GEMM sweep replace the defaults", "[perf]") {
  const std::string args = "plan --model llama2-70b --hardware h100-sxm --chips 64 --global-batch 4194304";
  const auto cal = llmcost::test::report(args + " --calibration '" LLMCOST_TEST_DIR "/calibration/h100-sxm.toml'");
  const auto def = llmcost::test::report(args);
  CHECK(value(cal, "memory_efficiency") == Approx(3012.0 / 3350).epsilon(1e-9));
  CHECK(value(def, "memory_efficiency") == 0.85);
  CHECK(value(cal, "step_time_s") != Approx(value(def, "step_time_s")).epsilon(0.001));
}

}  // namespace
