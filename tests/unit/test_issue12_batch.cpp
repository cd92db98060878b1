// Issue 12, in process: exponent forms, CSV cells that would start a formula, expectation
// tolerances, non-finite sweep cells, JUnit for any name, and sweeps whose memory does not grow
// with their point count.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "batch/sweep_points.hpp"
#include "batch/sweep_sort.hpp"
#include "cli_runner.hpp"
#include "helpers.hpp"
#include "llmcost/atomic_file.hpp"
#include "llmcost/csv.hpp"
#include "llmcost/format.hpp"
#include "llmcost/junit.hpp"
#include "llmcost/render.hpp"
#include "llmcost/run.hpp"
#include "llmcost/run_report.hpp"
#include "llmcost/sweep.hpp"

using namespace llmcost;
using llmcost::test::default_catalog;
using llmcost::test::input_error_of;

namespace {

const std::string kTrain = "kind = \"train\"\n[inputs]\nmodel = \"gpt3\"\noffer = \"gcp-tpu-v4-1yr\"\n";

// True when `s` is well-formed UTF-8 without U+FFFE or U+FFFF.
bool clean_utf8(const std::string& s) {
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    if (s.compare(i, 3, "\xef\xbf\xbe") == 0 || s.compare(i, 3, "\xef\xbf\xbf") == 0) return false;
    i += n;
  }
  return true;
}

}  // namespace

TEST_CASE("Issue12: trimming zeros keeps the exponent", "[regressions]") {
  CHECK(format_plain(1.2029940119760479e-10) == "1.2e-10");
  CHECK(format_plain(1.25e-10) == "1.25e-10");
  CHECK(format_plain(1.85e-30) == "1.85e-30");
  CHECK(format_plain(1e35) == "1e+35");
  CHECK(format_plain(1.5e-7) == "1.5e-07");
  CHECK(format_value(1.85e-30, Unit::none) == "1.85e-30");
  CHECK(format_value(1.2e-10, Unit::ratio) == "1.2e-10");
  CHECK(format_value(2.5e20, Unit::none) == "2.5e+20");
  // Fixed notation is trimmed as before.
  CHECK(format_plain(0.4620) == "0.462");
  CHECK(format_plain(100) == "100");
  CHECK(format_sig(1.2e-10) == "1.20e-10");
}

TEST_CASE("Issue12: CSV text cells cannot start a formula; numbers stay numbers", "[regressions]") {
  CHECK(csv_field("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"");
  CHECK(csv_field("+cmd") == "'+cmd");
  CHECK(csv_field("-cmd") == "'-cmd");
  CHECK(csv_field("@SUM(A1)") == "'@SUM(A1)");
  CHECK(csv_field("--mfu") == "'--mfu");
  // Numbers written as text (axis values as given) are numbers.
  CHECK(csv_field("-0.3") == "-0.3");
  CHECK(csv_field("-1e5") == "-1e5");
  CHECK(csv_field("+2") == "+2");
  CHECK(csv_field("-") == "-");  // a missing value: no formula can follow
  CHECK(csv_field("plain") == "plain");
}

TEST_CASE("Issue12: an abs tolerance below zero is refused", "[regressions]") {
  CHECK(input_error_of([] { parse_scenario(kTrain + "[expect]\ncost_usd = { value = 1, abs = -1 }\n", "s.toml"); }) ==
        "s.toml:6:31: field 'expect.cost_usd.abs': expected a tolerance >= 0");
  CHECK_NOTHROW(parse_scenario(kTrain + "[expect]\ncost_usd = { value = 1, abs = 0 }\n", "s.toml"));
}

TEST_CASE("Issue12: non-finite sweep values are empty CSV cells", "[regressions]") {
  Scenario s;
  s.inputs.push_back({"offer", "a", {"a", "-b"}, {}});
  SweepResult r;
  r.axes = {"offer"};
  r.keys = {"x", "y"};
  const double inf = std::numeric_limits<double>::infinity();
  r.rows = {0, inf, std::nan(""), 1, -inf, -2.5};
  CHECK(sweep_rows_csv(s, r) == "offer,x,y\na,,\n'-b,,-2.5\n");
}

TEST_CASE("Issue12: JUnit text is valid UTF-8 without U+FFFE or U+FFFF", "[regressions]") {
  ScenarioResult r;
  r.file = std::string("dir\xff/s\xc3.toml");
  r.name = "odd \xef\xbf\xbe and \xef\xbf\xbf \xed\xa0\x80 \xc0\xaf end";
  r.status = ScenarioResult::Status::error;
  r.error = r.file + ": bad \x1b[2J";
  const std::string xml = junit_xml({r});
  INFO(xml);
  CHECK(clean_utf8(xml));
  CHECK(xml.find("odd \xef\xbf\xbd and") != std::string::npos);  // U+FFFD in place
  CHECK(xml.find('\x1b') == std::string::npos);
}

TEST_CASE("Issue12: a where expression that assigns is refused", "[regressions]") {
  const Scenario s = parse_scenario(kTrain + "mfu = [0.3, 0.5]\n", "s.toml");
  for (const char* where : {"cost_usd = 5", "cost_usd+=1", "cost_usd -= 1", "cost_usd*=2", "cost_usd /= 2"}) {
    INFO(where);
    SweepOptions opt;
    opt.where = where;
    CHECK(input_error_of([&] { run_sweep(s, default_catalog(), opt); }).find("assign") != std::string::npos);
  }
  for (const char* where : {"cost_usd == 5", "cost_usd <= 5", "cost_usd >= 5", "cost_usd != 5"}) {
    INFO(where);
    SweepOptions opt;
    opt.where = where;
    CHECK_NOTHROW(run_sweep(s, default_catalog(), opt));
  }
}

TEST_CASE("Issue12: point counts are checked before range values are built", "[regressions]") {
  const auto t0 = std::chrono::steady_clock::now();
  const std::string err = input_error_of([] {
    parse_scenario(kTrain +
                       "chips = { from = 1, to = 10000000, step = 1 }\n"
                       "days = { from = 1, to = 2, count = 10000000 }\n",
                   "s.toml");
  });
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  CHECK(err.rfind("s.toml:6:8: field 'days': ", 0) == 0);
  CHECK(err.find("100,000,000") != std::string::npos);
  CHECK(seconds < 1);  // building 10,000,000 values alone takes longer
  // One value over: a geometric range is counted, not built.
  CHECK(input_error_of([] {
          parse_scenario(kTrain +
                             "chips = { from = 1, to = 10000, count = 10000 }\n"
                             "days = { from = 1, to = 1e300, step = \"x1.0001\" }\n",
                         "s.toml");
        }).find("field 'days'") != std::string::npos);
}

namespace {

// Records what a sweep hands over: blocks, their sizes, the rows, and how far the sweep had got
// when the first block came.
class Recorder : public RowSink {
 public:
  std::atomic<double>* progress = nullptr;
  size_t width = 0, blocks = 0, largest = 0;
  double progress_at_first = -1;
  std::vector<double> rows_seen;
  int begun = 0, ended_complete = 0, ended_failed = 0;

  void begin(const Scenario&, const SweepResult& shape) override {
    width = shape.width();
    ++begun;
  }
  void rows(const double* rows, size_t count) override {
    if (blocks++ == 0 && progress) progress_at_first = progress->load();
    largest = std::max(largest, count);
    rows_seen.insert(rows_seen.end(), rows, rows + count * width);
  }
  void end(bool complete) override { ++(complete ? ended_complete : ended_failed); }
};

const std::string kGrid =
    kTrain + "mfu = { from = 0.2, to = 0.6, count = 101 }\nchips = { from = 64, to = 12800, step = 64 }\n";

}  // namespace

TEST_CASE("Issue12: a sweep hands its rows over while it runs and keeps none", "[regressions]") {
  const Scenario s = parse_scenario(kGrid, "s.toml");  // 101 × 200 = 20,200 points, 5 chunks
  std::atomic<double> progress{0};
  Recorder sink;
  sink.progress = &progress;
  SweepOptions opt;
  opt.threads = 1;
  opt.keep_rows = false;
  opt.sink = &sink;
  opt.progress = [&](double f) { progress = f; };
  const SweepResult r = run_sweep(s, default_catalog(), opt);
  CHECK(r.points == 20200);
  CHECK(r.rows.empty());  // nothing held
  CHECK(sink.begun == 1);
  CHECK(sink.ended_complete == 1);
  CHECK(sink.blocks >= 5);
  CHECK(sink.largest <= 4096);
  CHECK(sink.rows_seen.size() == 20200 * sink.width);
  // The first block came before the sweep was done (the workers stay a few chunks ahead).
  CHECK(sink.progress_at_first < 1.0);
  // The same rows, in the same order, as a sweep that keeps them.
  SweepOptions keep;
  keep.threads = 2;
  const std::vector<double> kept = run_sweep(s, default_catalog(), keep).rows;
  REQUIRE(kept.size() == sink.rows_seen.size());
  CHECK(std::memcmp(kept.data(), sink.rows_seen.data(), kept.size() * sizeof(double)) == 0);  // NaNs included
}

TEST_CASE("Issue12: a sweep without --rows holds the best row only, not every row", "[regressions]") {
  const Scenario s = parse_scenario(kGrid, "s.toml");
  SweepOptions opt;
  opt.keep_rows = false;
  opt.best = "cost_usd";
  const SweepResult r = run_sweep(s, default_catalog(), opt);
  REQUIRE(r.row_count() == 1);
  SweepOptions all = opt;
  all.keep_rows = true;
  const SweepResult every = run_sweep(s, default_catalog(), all);
  CHECK(every.row_count() == 20200);
  CHECK(std::memcmp(r.rows.data(), every.rows.data(), r.rows.size() * sizeof(double)) == 0);  // the same best row
}

TEST_CASE("Issue12: sorted rows spill to disk in runs and merge back in order", "[regressions]") {
  // Rows of width 2: (point, key). Keys repeat so that ties show the order kept.
  std::vector<double> rows;
  for (int p = 0; p < 50; ++p) rows.insert(rows.end(), {double(p), double((p * 7) % 10)});
  rows[2 * 13 + 1] = std::nan("");
  for (const bool maximize : {false, true}) {
    for (const size_t limit : {size_t{0}, size_t{12}}) {
      RowSorter sorter(2, 1, maximize, limit, 4);
      for (size_t i = 0; i < 50; i += 3) sorter.add(rows.data() + i * 2, std::min<size_t>(3, 50 - i));
      if (limit == 0) CHECK(sorter.spilled_runs() > 5);
      std::vector<double> out;
      sorter.drain([&](const double* r, size_t n) { out.insert(out.end(), r, r + n * 2); });
      std::vector<double> expected = rows;
      select_best(expected, 2, 1, maximize, static_cast<double>(limit));
      CHECK(out.size() == expected.size());
      // NaN != NaN: compare the points, which are all distinct.
      for (size_t i = 0; i < out.size(); i += 2) CHECK(out[i] == expected[i]);
    }
  }
}

TEST_CASE("Issue12: the rows of a sweep that fails are taken back from the output", "[regressions]") {
  const Scenario a = parse_scenario(kTrain + "mfu = [0.3, 0.5]\n", "a.toml");
  // Fails at point 5,001, after the first chunk's 4,096 rows (over 1 MB of CSV) were written.
  const Scenario b = parse_scenario(kTrain + "mfu = [0.3, 1.7]\nchips = { from = 1, to = 5000, step = 1 }\n", "b.toml");
  const Scenario c = parse_scenario(kTrain + "chips = [512, 1024]\n", "c.toml");  // other columns
  StreamedFile file;
  RowsOutput out(file, true, "--rows r.csv");
  SweepOptions opt;
  opt.keep_rows = false;
  opt.threads = 1;
  opt.sink = &out;
  CHECK_THROWS_AS(run_sweep(b, default_catalog(), opt), InputError);
  CHECK_NOTHROW(out.check());  // a point's error is the scenario's, not the output's
  CHECK(file.size() == 0);     // header and rows taken back
  run_sweep(a, default_catalog(), opt);
  std::string text;
  file.read_back([&](std::string_view block) { text += block; });
  CHECK(text == sweep_rows_csv(a, run_sweep(a, default_catalog(), {})));
  CHECK(out.sweeps() == 1);
  CHECK_THROWS_AS(run_sweep(c, default_catalog(), opt), InputError);
  CHECK_THROWS_WITH(out.check(), Catch::StartsWith("--rows r.csv needs sweeps with the same columns: 'a.toml' and "
                                                   "'c.toml' differ"));
}

TEST_CASE("Issue12: a streamed file is a temporary until committed, and removed if not", "[regressions]") {
  const auto dir = llmcost::test::scratch_dir("i12-streamed");
  const std::string path = (dir / "rows.csv").string();
  {
    StreamedFile f(path);
    f.write("a,b\n1,2\n");
    f.write("3,4\n");
    const auto names = llmcost::test::names_in(dir);
    REQUIRE(names.size() == 1);
    CHECK(names[0].rfind(".rows.csv.tmp-", 0) == 0);  // beside the target, hidden
  }
  CHECK(llmcost::test::names_in(dir).empty());  // never committed: gone
  StreamedFile f(path);
  f.write("a,b\n1,2\n3,4\n");
  f.truncate(8);
  write_files_atomic({FileOutput{(dir / "j.xml").string(), "<x/>\n"}}, f);
  CHECK(llmcost::test::names_in(dir) == std::vector<std::string>{"j.xml", "rows.csv"});
  CHECK(llmcost::test::slurp(dir / "rows.csv") == "a,b\n1,2\n");
}
