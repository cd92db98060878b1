// Tests of include/llmcost/catalog.hpp: loading records from TOML text and folders, schema errors
// that name file:line:col and the field, overrides by id, lookups and "did you mean"; and how
// `show` and `list` print the optional fields.
// Line and column numbers are counted by hand in the TOML texts below (lines from 1, columns from 1).

#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

#include "llmcost/catalog.hpp"
#include "llmcost/error.hpp"
#include "llmcost/listing.hpp"
#include "llmcost/text.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::EndsWith;
using Catch::Matchers::Equals;
using Catch::Matchers::StartsWith;
using Catch::Matchers::WithinRel;
using llmcost::Catalog;
using llmcost::EnvError;
using llmcost::InputError;

namespace {

// A minimal valid accelerator: 11 lines, `[[accelerator]]` on line 1, `memory_gb` on line 7
// (value at column 13, after "memory_gb = "), `peak_tflops` on line 10.
std::string accelerator(const std::string& id = "x1", const std::string& memory = "40") {
  return "[[accelerator]]\n"  // 1
         "id = \"" +
         id +
         "\"\n"                    // 2
         "aliases = [\"xone\"]\n"  // 3
         "name = \"X1\"\n"         // 4
         "vendor = \"nvidia\"\n"   // 5
         "year = 2020\n"           // 6
         "memory_gb = " +
         memory +
         "\n"                                              // 7
         "memory_bandwidth_gbps = 1555\n"                  // 8
         "tdp_w = 400\n"                                   // 9
         "peak_tflops = { bf16 = 312.0, fp16 = 312.0 }\n"  // 10
         "source = \"test datasheet\"\n";                  // 11
}

std::string offer(const std::string& id, const std::string& acc, int count, const std::string& usd,
                  const std::string& term = "on-demand") {
  return "[[offer]]\n"
         "id = \"" +
         id +
         "\"\n"
         "provider = \"aws\"\n"
         "instance = \"p4d.24xlarge\"\n"
         "accelerator = \"" +
         acc +
         "\"\n"
         "count = " +
         std::to_string(count) +
         "\n"
         "usd_per_hour = " +
         usd +
         "\n"
         "term = \"" +
         term +
         "\"\n"
         "region = \"us-east-1\"\n"
         "date = \"2023-01\"\n"
         "source = \"test price list\"\n";
}

std::string model(const std::string& id, const std::string& aliases, const std::string& params,
                  const std::string& extra = "") {
  return "[[model]]\n"
         "id = \"" +
         id +
         "\"\n"
         "aliases = " +
         aliases +
         "\n"
         "name = \"M\"\n"
         "params = " +
         params +
         "\n"
         "architecture = \"decoder-only\"\n"
         "source = \"test paper\"\n" +
         extra;
}

std::string assumption(const std::string& id, const std::string& value) {
  return "[[assumption]]\n"
         "id = \"" +
         id +
         "\"\n"
         "value = " +
         value +
         "\n"
         "unit = \"fraction\"\n"
         "description = \"test\"\n"
         "source = \"test\"\n";
}

// Replaces the first occurrence of `from` in `text` (which must be there).
std::string replace(std::string text, const std::string& from, const std::string& to) {
  const auto pos = text.find(from);
  REQUIRE(pos != std::string::npos);
  return text.replace(pos, from.size(), to);
}

// The message of the InputError thrown by loading `text` as `origin` into a fresh catalog.
std::string load_error(const std::string& text, const std::string& origin = "t.toml") {
  Catalog c;
  try {
    c.load_text(text, origin);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

// A fresh, empty folder under the system temp folder, removed when the object dies.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    const auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
    path = std::filesystem::temp_directory_path() / ("llmcost-test-catalog-" + std::to_string(stamp));
    std::filesystem::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  void write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name, std::ios::binary) << text;
  }
};

}  // namespace

TEST_CASE("Catalog: load_text reads a minimal record of each kind", "[catalog]") {
  Catalog c;
  c.load_text(accelerator() + offer("o1", "x1", 8, "16.0") + model("m1", "[\"em-one\"]", "175.0e9") +
                  assumption("train_mfu", "0.462") + assumption("default_offer", "\"o1\""),
              "t.toml");
  c.validate();
  REQUIRE(c.accelerators().size() == 1);
  const auto& a = c.accelerator("x1");
  CHECK(a.name == "X1");
  CHECK(a.year == 2020);
  CHECK_THAT(a.memory_gb, WithinRel(40.0, 1e-12));
  CHECK_FALSE(a.interconnect_gbps.has_value());  // optional field left out
  CHECK_FALSE(a.purchase_usd.has_value());
  CHECK_THAT(*a.peak_flops("bf16"), WithinRel(312e12, 1e-12));  // TFLOP/s -> FLOP/s
  CHECK_FALSE(a.peak_flops("fp8").has_value());
  CHECK(a.source == "test datasheet");
  CHECK(a.origin.file == "t.toml");
  CHECK(a.origin.line == 1);

  const auto& o = c.offer("o1");
  CHECK(o.count == 8);
  CHECK_THAT(o.usd_per_chip_hour(), WithinRel(2.0, 1e-12));  // $16/h / 8 chips

  const auto& m = c.model("m1");
  CHECK_THAT(m.params, WithinRel(175e9, 1e-12));
  CHECK_THAT(m.active(), WithinRel(175e9, 1e-12));  // dense: active == params
  CHECK_FALSE(m.train_tokens.has_value());

  CHECK_THAT(c.assumption_number("train_mfu"), WithinRel(0.462, 1e-12));
  CHECK(c.assumption_text("default_offer") == "o1");
}

TEST_CASE("Catalog: a TOML syntax error names file:line:col", "[catalog]") {
  const std::string text =
      "[[accelerator]]\n"
      "id = \"x1\"\n"
      "memory_gb = = 40\n";  // line 3
  CHECK_THAT(load_error(text, "mem.toml"), StartsWith("mem.toml:3:"));
  // An unterminated string on line 2.
  CHECK_THAT(load_error("[[model]]\nid = \"gpt3\n", "m.toml"), StartsWith("m.toml:2:"));
}

TEST_CASE("Catalog: a missing required field is named, at the record", "[catalog]") {
  // Drop the last line (source); the record starts on line 1, column 1.
  const std::string text = replace(accelerator(), "source = \"test datasheet\"\n", "");
  CHECK_THAT(load_error(text), Equals("t.toml:1:1: missing required field 'source'"));
  CHECK_THAT(load_error(replace(accelerator(), "tdp_w = 400\n", "")),
             Equals("t.toml:1:1: missing required field 'tdp_w'"));
  CHECK_THAT(load_error(replace(accelerator(), "peak_tflops = { bf16 = 312.0, fp16 = 312.0 }\n", "")),
             Contains("missing required field 'peak_tflops'"));
  CHECK_THAT(load_error(replace(offer("o1", "x1", 8, "16.0"), "term = \"on-demand\"\n", "")),
             Contains("missing required field 'term'"));
  CHECK_THAT(load_error(replace(assumption("a", "0.5"), "value = 0.5\n", "")),
             Contains("missing required field 'value'"));
}

TEST_CASE("Catalog: an unknown key is named with its line and column", "[catalog]") {
  // Line 12 is the added key, starting at column 1.
  CHECK_THAT(load_error(accelerator() + "tdp_watts = 400\n"), Equals("t.toml:12:1: field 'tdp_watts': unknown field"));
  // A near miss gets a suggestion (edit distance 1).
  CHECK_THAT(load_error(accelerator() + "memory_gbb = 40\n"),
             Equals("t.toml:12:1: field 'memory_gbb': unknown field; did you mean 'memory_gb'?"));
}

TEST_CASE("Catalog: out-of-range and wrongly typed values name the field", "[catalog]") {
  // memory_gb is on line 7; its value starts at column 13.
  CHECK_THAT(load_error(accelerator("x1", "-40")),
             StartsWith("t.toml:7:13: field 'memory_gb': expected a positive number"));
  CHECK_THAT(load_error(accelerator("x1", "0")), Contains("field 'memory_gb': expected a positive number"));
  CHECK_THAT(load_error(accelerator("x1", "\"40\"")),
             Equals("t.toml:7:13: field 'memory_gb': expected a number, got a string"));
  CHECK_THAT(load_error(accelerator("x1", "nan")), Contains("field 'memory_gb': expected a positive number"));
  CHECK_THAT(load_error(accelerator("x1", "inf")), Contains("field 'memory_gb': expected a positive number"));
  CHECK_THAT(load_error(replace(accelerator(), "year = 2020", "year = 2020.5")),
             Equals("t.toml:6:8: field 'year': expected an integer, got a number"));
  CHECK_THAT(load_error(replace(accelerator(), "year = 2020", "year = 1066")),
             Contains("field 'year': expected an integer in [1990, 2100], got 1066"));
  CHECK_THAT(load_error(replace(accelerator(), "aliases = [\"xone\"]", "aliases = \"xone\"")),
             Contains("field 'aliases': expected an array of strings, got a string"));
  CHECK_THAT(load_error(replace(accelerator(), "source = \"test datasheet\"", "source = \"\"")),
             Contains("field 'source': must not be empty"));
  CHECK_THAT(load_error(offer("o1", "x1", 0, "16.0")), Contains("field 'count': expected an integer in [1,"));
  CHECK_THAT(load_error(offer("o1", "x1", 8, "16.0", "weekly")),
             Contains("field 'term': expected one of 1yr, 3yr, on-demand, spot, got 'weekly'"));
  CHECK_THAT(load_error(replace(model("m", "[]", "7e9"), "decoder-only", "diffusion")),
             Contains("field 'architecture': expected one of"));
  CHECK_THAT(load_error(assumption("a", "-0.5")), Contains("field 'value': expected a finite number >= 0"));
  CHECK_THAT(load_error(assumption("a", "true")), Contains("field 'value': expected a number or a string"));
  // Ranges by unit: a fraction above 1 (train_mfu = 5 would run at 500% MFU), a non-positive
  // size or time that estimates divide by.
  CHECK_THAT(load_error(assumption("train_mfu", "5")),
             Equals("t.toml:3:9: field 'value': expected a fraction in [0, 1]"));
  CHECK_THAT(load_error(replace(assumption("default_train_days", "0"), "\"fraction\"", "\"days\"")),
             Equals("t.toml:3:9: field 'value': expected a number > 0 (unit days)"));
}

TEST_CASE("Catalog: peak_tflops accepts only known dtypes", "[catalog]") {
  // Line 10: `peak_tflops = { bf16 = 312.0, fp4 = 9000.0 }`; the fp4 value starts at column
  // 16 ("peak_tflops = { ") + 14 ("bf16 = 312.0, ") + 6 ("fp4 = ") + 1 = 37.
  const std::string text = replace(accelerator(), "{ bf16 = 312.0, fp16 = 312.0 }", "{ bf16 = 312.0, fp4 = 9000.0 }");
  CHECK_THAT(load_error(text), StartsWith("t.toml:10:37: field 'peak_tflops.fp4': unknown dtype"));
  CHECK_THAT(load_error(replace(accelerator(), "{ bf16 = 312.0, fp16 = 312.0 }", "{ bf16 = -1.0 }")),
             Contains("bf16': expected a positive number"));  // 'bf16' or 'peak_tflops.bf16'
  CHECK_THAT(load_error(replace(accelerator(), "{ bf16 = 312.0, fp16 = 312.0 }", "{}")),
             Contains("field 'peak_tflops': needs at least one dtype"));
}

TEST_CASE("Catalog: ids are checked: lower-case, unique within a file", "[catalog]") {
  CHECK_THAT(load_error(accelerator("X1")), Contains("field 'id': 'X1' must use lower-case letters"));
  CHECK_THAT(load_error(accelerator("x 1")), Contains("field 'id':"));
  // Second record: 11 lines + a blank line, so it starts on line 13 and its id is on line 14,
  // with the value at column 6 (after `id = `).
  CHECK_THAT(load_error(accelerator() + "\n" + accelerator()),
             Equals("t.toml:14:6: field 'id': duplicate accelerator id 'x1'"));
  // The same id in two kinds is not a duplicate within a kind.
  Catalog c;
  CHECK_NOTHROW(c.load_text(accelerator("same") + model("same", "[]", "7e9"), "t.toml"));
}

TEST_CASE("Catalog: unknown record kinds and malformed arrays are rejected", "[catalog]") {
  // `[[gpu]]` on line 13 (after an 11-line record and a blank line); the key starts at column 3.
  CHECK_THAT(load_error(accelerator() + "\n[[gpu]]\nid = \"g\"\n"),
             StartsWith("t.toml:13:3: unknown record kind 'gpu'"));
  CHECK_THAT(load_error("[[accelerators]]\nid = \"a\"\n"), Contains("unknown record kind 'accelerators'"));
  CHECK_THAT(load_error("accelerator = 5\n"), Contains("expected an array of tables, written [[accelerator]]"));
}

TEST_CASE("Catalog: MoE active parameters cannot exceed the total", "[catalog]") {
  Catalog c;
  c.load_text(model("moe", "[]", "46.7e9", "active_params = 12.9e9\n"), "t.toml");
  CHECK_THAT(c.model("moe").active(), WithinRel(12.9e9, 1e-12));
  CHECK_THAT(c.model("moe").params, WithinRel(46.7e9, 1e-12));
  CHECK_THAT(load_error(model("moe", "[]", "12.9e9", "active_params = 46.7e9\n")), Contains("field 'active_params':"));
}

TEST_CASE("Catalog: validate() catches an offer for an unknown accelerator, with a suggestion", "[catalog]") {
  Catalog c;
  // The offer starts on line 12, right after the 11-line accelerator.
  c.load_text(accelerator("a100-40gb") + offer("o1", "a100-40g", 8, "19.22"), "t.toml");
  try {
    c.validate();
    FAIL("validate() accepted an offer for an unknown accelerator");
  } catch (const InputError& e) {
    CHECK_THAT(std::string(e.what()),
               Equals("t.toml:12:1: offer 'o1': field 'accelerator': unknown accelerator 'a100-40g'; "
                      "did you mean 'a100-40gb'?"));
  }
  // Nothing close: the message points at the list of accelerators.
  Catalog far;
  far.load_text(accelerator("a100-40gb") + offer("o1", "wafer-scale-engine", 1, "1.0"), "t.toml");
  CHECK_THROWS_WITH(far.validate(),
                    Contains("unknown accelerator 'wafer-scale-engine'; see 'llmcost list accelerators'"));
  // An offer may name its accelerator by alias.
  Catalog ok;
  ok.load_text(accelerator("a100-40gb") + offer("o1", "XONE", 8, "19.22"), "t.toml");
  CHECK_NOTHROW(ok.validate());
}

TEST_CASE("Catalog: a later load_text overrides records by id", "[catalog]") {
  Catalog c;
  c.load_text(accelerator("x1", "40") + accelerator("x2", "16"), "base.toml");
  c.load_text(accelerator("x1", "80"), "user.toml");
  REQUIRE(c.accelerators().size() == 2);  // replaced, not appended
  CHECK_THAT(c.accelerator("x1").memory_gb, WithinRel(80.0, 1e-12));
  CHECK(c.accelerator("x1").origin.file == "user.toml");
  CHECK_THAT(c.accelerator("x2").memory_gb, WithinRel(16.0, 1e-12));  // untouched
  CHECK(c.accelerator("x2").origin.file == "base.toml");
  // The order of records is kept: x1 is still first.
  CHECK(c.accelerators().front().id == "x1");
}

TEST_CASE("Catalog: a failed load leaves the catalog unchanged", "[catalog]") {
  Catalog c;
  c.load_text(accelerator("x1", "40") + offer("o1", "x1", 8, "16.0"), "base.toml");
  // A valid override of x1 and a new offer, followed by a bad record: nothing is committed.
  const std::string bad = accelerator("x1", "80") + offer("o2", "x1", 1, "1.0") + "\n" + model("m1", "[]", "-7e9");
  CHECK_THROWS_AS(c.load_text(bad, "bad.toml"), InputError);
  CHECK_THAT(c.accelerator("x1").memory_gb, WithinRel(40.0, 1e-12));
  CHECK(c.accelerator("x1").origin.file == "base.toml");
  CHECK(c.offers().size() == 1);
  CHECK(c.models().empty());
  // A syntax error after valid records: likewise.
  CHECK_THROWS_AS(c.load_text(accelerator("x9") + "oops = = 1\n", "bad2.toml"), InputError);
  CHECK(c.accelerators().size() == 1);
  // An unknown record kind after a valid one: likewise.
  CHECK_THROWS_AS(c.load_text(accelerator("x8") + "\n[[gpu]]\nid = \"g\"\n", "bad3.toml"), InputError);
  CHECK(c.accelerators().size() == 1);
}

TEST_CASE("Catalog: lookups by id or alias are case-insensitive", "[catalog]") {
  Catalog c;
  c.load_text(accelerator("x1") + model("gpt3", "[\"gpt-3\", \"davinci\"]", "175e9"), "t.toml");
  CHECK(c.accelerator("X1").id == "x1");
  CHECK(c.accelerator("xone").id == "x1");  // alias
  CHECK(c.accelerator("XONE").id == "x1");
  CHECK(c.model("gpt-3").id == "gpt3");
  CHECK(c.model("GPT-3").id == "gpt3");
  CHECK(c.model("Davinci").id == "gpt3");
  // Kinds are separate: a model id is not an accelerator.
  CHECK_THROWS_AS(c.accelerator("gpt3"), InputError);

  llmcost::RecordKind kind = llmcost::RecordKind::assumption;
  const llmcost::RecordBase* rec = c.find_any("GPT-3", &kind);
  REQUIRE(rec != nullptr);
  CHECK(rec->id == "gpt3");
  CHECK(kind == llmcost::RecordKind::model);
  rec = c.find_any("xone", &kind);
  REQUIRE(rec != nullptr);
  CHECK(kind == llmcost::RecordKind::accelerator);
  CHECK(c.find_any("nothing-like-it") == nullptr);
}

TEST_CASE("Catalog: an unknown id throws InputError with 'did you mean'", "[catalog]") {
  Catalog c;
  c.load_text(model("gpt3", "[\"gpt-3\"]", "175e9") + model("palm", "[]", "540e9"), "t.toml");
  try {
    c.model("gtp3");  // two letters swapped: edit distance 2 from "gpt3"
    FAIL("model('gtp3') did not throw");
  } catch (const InputError& e) {
    CHECK_THAT(std::string(e.what()), Equals("unknown model 'gtp3'; did you mean 'gpt3'?"));
  }
  CHECK_THROWS_WITH(c.model("plam"), Contains("did you mean 'palm'?"));
  // Nothing close: no suggestion, but the message still names the kind and the id.
  try {
    c.model("zzzzzzzzzz");
    FAIL("model('zzzzzzzzzz') did not throw");
  } catch (const InputError& e) {
    CHECK_THAT(std::string(e.what()), Equals("unknown model 'zzzzzzzzzz'; see 'llmcost list models'"));
  }
  CHECK_THROWS_AS(c.offer("gpt3"), InputError);
  CHECK_THROWS_AS(c.assumption("gpt3"), InputError);
}

TEST_CASE("Catalog: edit_distance is a case-insensitive Levenshtein distance", "[catalog]") {
  CHECK(llmcost::edit_distance("kitten", "sitting") == 3);  // k->s, e->i, +g
  CHECK(llmcost::edit_distance("gtp3", "gpt3") == 2);       // a swap costs two substitutions
  CHECK(llmcost::edit_distance("a100-40g", "a100-40gb") == 1);
  CHECK(llmcost::edit_distance("", "abc") == 3);
  CHECK(llmcost::edit_distance("abc", "") == 3);
  CHECK(llmcost::edit_distance("", "") == 0);
  CHECK(llmcost::edit_distance("H100-SXM", "h100-sxm") == 0);
  CHECK(llmcost::edit_distance("flaw", "lawn") == 2);  // -f, +n
}

TEST_CASE("Catalog: unknown_id_message suggests the closest candidate, else a hint or the list", "[catalog]") {
  const std::vector<std::string> ids{"a100-40gb", "a100-80gb", "h100-sxm", "tpu-v4"};
  CHECK(llmcost::unknown_id_message("accelerator", "h100-sx", ids) ==
        "unknown accelerator 'h100-sx'; did you mean 'h100-sxm'?");
  CHECK(llmcost::unknown_id_message("accelerator", "tpu-v4x", ids) ==
        "unknown accelerator 'tpu-v4x'; did you mean 'tpu-v4'?");
  // A suggestion wins over the hint.
  CHECK(llmcost::unknown_id_message("accelerator", "TPU-V4X", ids, "'llmcost list accelerators'") ==
        "unknown accelerator 'TPU-V4X'; did you mean 'tpu-v4'?");
  // Nothing close ("quantum-annealer" is at least 12 edits from every id): the list, or the hint.
  CHECK(llmcost::unknown_id_message("accelerator", "quantum-annealer", ids) ==
        "unknown accelerator 'quantum-annealer'; expected one of a100-40gb, a100-80gb, h100-sxm, tpu-v4");
  CHECK(llmcost::unknown_id_message("accelerator", "quantum-annealer", ids, "'llmcost list accelerators'") ==
        "unknown accelerator 'quantum-annealer'; see 'llmcost list accelerators'");
}

TEST_CASE("Catalog: assumption_number and assumption_text check the value's type", "[catalog]") {
  Catalog c;
  c.load_text(assumption("train_mfu", "0.462") + assumption("default_offer", "\"o1\""), "t.toml");
  CHECK_THROWS_WITH(c.assumption_text("train_mfu"),
                    Contains("assumption 'train_mfu': field 'value': expected a string"));
  CHECK_THROWS_WITH(c.assumption_number("default_offer"),
                    Contains("assumption 'default_offer': field 'value': expected a number"));
  CHECK_THAT(c.assumption_number("TRAIN_MFU"), WithinRel(0.462, 1e-12));
}

TEST_CASE("Catalog: offers_for lists offers cheapest per chip-hour first", "[catalog]") {
  Catalog c;
  // Per chip-hour: o-eight $16/8 = $2.00, o-one $3.00/1 = $3.00, o-spot $1.00/1 = $1.00;
  // o-dear $40/8 = $5.00 and o-other is for another chip.
  c.load_text(accelerator("x1") + accelerator("x2") + offer("o-one", "x1", 1, "3.0") +
                  offer("o-eight", "x1", 8, "16.0") + offer("o-dear", "x1", 8, "40.0") +
                  offer("o-other", "x2", 1, "0.5") + offer("o-spot", "xone", 1, "1.0", "spot"),
              "t.toml");
  c.validate();
  const auto offers = c.offers_for("x1");
  REQUIRE(offers.size() == 4);
  CHECK(offers[0]->id == "o-spot");  // named by alias, still counted
  CHECK(offers[1]->id == "o-eight");
  CHECK(offers[2]->id == "o-one");
  CHECK(offers[3]->id == "o-dear");
  CHECK(c.offers_for("XONE").size() == 4);  // by alias
  REQUIRE(c.offers_for("x2").size() == 1);
  CHECK(c.offers_for("x2")[0]->id == "o-other");
  CHECK_THROWS_AS(c.offers_for("x3"), InputError);
}

TEST_CASE("Catalog: load_dir loads *.toml files in name order", "[catalog]") {
  TempDir dir;
  // Written in reverse order, so that name order differs from creation order.
  dir.write("b.toml", accelerator("x1", "80"));
  dir.write("a.toml", accelerator("x1", "40") + offer("o1", "x1", 8, "16.0"));
  dir.write("notes.txt", "this is not TOML = = =\n");          // ignored: not *.toml
  std::filesystem::create_directories(dir.path / "sub.toml");  // ignored: not a file
  Catalog c;
  c.load_dir(dir.path.string());
  c.validate();
  REQUIRE(c.accelerators().size() == 1);
  CHECK_THAT(c.accelerator("x1").memory_gb, WithinRel(80.0, 1e-12));  // b.toml came last
  CHECK_THAT(c.accelerator("x1").origin.file, EndsWith("b.toml"));
  REQUIRE(c.offers().size() == 1);
  CHECK_THAT(c.offer("o1").origin.file, EndsWith("a.toml"));
}

TEST_CASE("Catalog: load_dir reports a bad file by its path and a missing folder as EnvError", "[catalog]") {
  TempDir dir;
  dir.write("bad.toml", "[[accelerator]]\nid = \"x1\"\nmemory_gb = = 40\n");
  Catalog c;
  CHECK_THROWS_AS(c.load_dir(dir.path.string()), InputError);
  CHECK_THROWS_WITH(c.load_dir(dir.path.string()), Contains("bad.toml:3:"));

  const std::string missing = (dir.path / "does-not-exist").string();
  CHECK_THROWS_AS(c.load_dir(missing), EnvError);
  CHECK_THROWS_WITH(c.load_dir(missing), Contains("does-not-exist"));
  // A file is not a folder.
  dir.write("plain.txt", "x");
  CHECK_THROWS_AS(c.load_dir((dir.path / "plain.txt").string()), EnvError);
}

TEST_CASE("Catalog: Origin::str writes file:line:col, or the file alone", "[catalog]") {
  CHECK(llmcost::Origin{"data/x.toml", 3, 7}.str() == "data/x.toml:3:7");
  CHECK(llmcost::Origin{"data/x.toml", 0, 0}.str() == "data/x.toml");
}

TEST_CASE("Catalog: accelerator link fields are read, and absent when left out", "[catalog]") {
  Catalog c;
  c.load_text(accelerator("x1") +
                  "scaleup_domain = 8\n"
                  "scaleup_gbps = 300\n"
                  "scaleout_gbps = 25\n"
                  "scaleup_efficiency = 0.77\n"
                  "scaleout_efficiency = 1\n" +
                  accelerator("x2"),
              "t.toml");
  const auto& a = c.accelerator("x1");
  REQUIRE(a.scaleup_domain.has_value());
  CHECK(*a.scaleup_domain == 8);
  CHECK_THAT(a.scaleup_gbps.value_or(0), WithinRel(300.0, 1e-12));
  CHECK_THAT(a.scaleout_gbps.value_or(0), WithinRel(25.0, 1e-12));
  CHECK_THAT(a.scaleup_efficiency.value_or(0), WithinRel(0.77, 1e-12));
  CHECK_THAT(a.scaleout_efficiency.value_or(0), WithinRel(1.0, 1e-12));  // 1 is allowed: (0, 1]
  const auto& b = c.accelerator("x2");
  CHECK_FALSE(b.scaleup_domain.has_value());
  CHECK_FALSE(b.scaleup_gbps.has_value());
  CHECK_FALSE(b.scaleout_gbps.has_value());
  CHECK_FALSE(b.scaleup_efficiency.has_value());
  CHECK_FALSE(b.scaleout_efficiency.has_value());
}

TEST_CASE("Catalog: link fields out of range or of the wrong type name the field and its place", "[catalog]") {
  // The added key is on line 12 (after the 11-line accelerator); its value starts after "key = ".
  const auto err = [](const std::string& line) { return load_error(accelerator() + line + "\n"); };
  CHECK_THAT(err("scaleup_efficiency = 1.5"),
             Equals("t.toml:12:22: field 'scaleup_efficiency': expected a fraction in (0, 1], got 1.5"));
  CHECK_THAT(err("scaleout_efficiency = 0"),
             Equals("t.toml:12:23: field 'scaleout_efficiency': expected a fraction in (0, 1], got 0"));
  CHECK_THAT(err("scaleout_efficiency = -0.5"),
             Equals("t.toml:12:23: field 'scaleout_efficiency': expected a fraction in (0, 1], got -0.5"));
  CHECK_THAT(err("scaleup_efficiency = nan"), Contains("field 'scaleup_efficiency': expected a fraction in (0, 1]"));
  CHECK_THAT(err("scaleup_efficiency = \"77%\""),
             Equals("t.toml:12:22: field 'scaleup_efficiency': expected a number, got a string"));
  CHECK_THAT(err("scaleup_domain = 0"),
             Equals("t.toml:12:18: field 'scaleup_domain': expected an integer in [1, 1073741824], got 0"));
  CHECK_THAT(err("scaleup_domain = 8.5"),
             Equals("t.toml:12:18: field 'scaleup_domain': expected an integer, got a number"));
  CHECK_THAT(err("scaleup_gbps = -300"),
             Equals("t.toml:12:16: field 'scaleup_gbps': expected a positive number, got -300"));
  CHECK_THAT(err("scaleout_gbps = 0"),
             Equals("t.toml:12:17: field 'scaleout_gbps': expected a positive number, got 0"));
  CHECK_THAT(err("scaleout_gbit = 25"),
             Equals("t.toml:12:1: field 'scaleout_gbit': unknown field; did you mean 'scaleout_gbps'?"));
}

TEST_CASE("Catalog: model shape, MoE and training-run fields are read", "[catalog]") {
  Catalog c;
  c.load_text(model("moe", "[]", "671e9",
                    "active_params = 37e9\n"
                    "layers = 61\n"
                    "ffn_dim = 18432\n"
                    "gated_mlp = true\n"
                    "experts = 256\n"
                    "experts_per_token = 8\n"
                    "shared_experts = 1\n"
                    "expert_ffn_dim = 2048\n"
                    "dense_layers = 3\n"
                    "train_batch_tokens = 62914560\n"
                    "train_chips = 2048\n") +
                  model("dense", "[]", "175e9", "ffn_dim = 49152\ngated_mlp = false\ntrain_batch_tokens = 3.2e6\n") +
                  model("bare", "[]", "7e9"),
              "t.toml");
  const auto& m = c.model("moe");
  CHECK(m.ffn_dim == 18432);
  CHECK(m.gated_mlp == true);
  CHECK(m.experts == 256);
  CHECK(m.experts_per_token == 8);
  CHECK(m.shared_experts == 1);
  CHECK(m.expert_ffn_dim == 2048);
  CHECK(m.dense_layers == 3);
  CHECK_THAT(m.train_batch_tokens.value_or(0), WithinRel(62914560.0, 1e-12));
  CHECK(m.train_chips == 2048);
  const auto& d = c.model("dense");
  REQUIRE(d.gated_mlp.has_value());
  CHECK_FALSE(*d.gated_mlp);
  CHECK(d.ffn_dim == 49152);
  CHECK_THAT(d.train_batch_tokens.value_or(0), WithinRel(3.2e6, 1e-12));
  CHECK_FALSE(d.experts.has_value());
  CHECK_FALSE(d.train_chips.has_value());
  const auto& b = c.model("bare");
  CHECK_FALSE(b.ffn_dim.has_value());
  CHECK_FALSE(b.gated_mlp.has_value());
  CHECK_FALSE(b.experts.has_value());
  CHECK_FALSE(b.dense_layers.has_value());
  CHECK_FALSE(b.train_batch_tokens.has_value());
  // dense_layers may be 0 (every layer a MoE layer).
  Catalog zero;
  zero.load_text(model("m", "[]", "47e9", "layers = 32\nexperts = 8\ndense_layers = 0\n"), "t.toml");
  CHECK(zero.model("m").dense_layers == 0);
}

TEST_CASE("Catalog: model shape and MoE fields are checked, naming the field and its place", "[catalog]") {
  // model() is 7 lines; `extra` starts on line 8. Columns count "key = " before the value.
  const auto err = [](const std::string& extra) { return load_error(model("m", "[]", "7e9", extra)); };
  CHECK_THAT(err("gated_mlp = \"yes\"\n"),
             Equals("t.toml:8:13: field 'gated_mlp': expected a boolean (true or false), got a string"));
  CHECK_THAT(err("gated_mlp = 1\n"),
             Equals("t.toml:8:13: field 'gated_mlp': expected a boolean (true or false), got an integer"));
  CHECK_THAT(err("ffn_dim = 0\n"),
             Equals("t.toml:8:11: field 'ffn_dim': expected an integer in [1, 1073741824], got 0"));
  CHECK_THAT(err("ffn_dim = 11008.5\n"), Equals("t.toml:8:11: field 'ffn_dim': expected an integer, got a number"));
  CHECK_THAT(err("experts = 0\n"),
             Equals("t.toml:8:11: field 'experts': expected an integer in [1, 1073741824], got 0"));
  CHECK_THAT(err("experts = 8\nshared_experts = 0\n"),
             Equals("t.toml:9:18: field 'shared_experts': expected an integer in [1, 1073741824], got 0"));
  CHECK_THAT(err("experts = 8\ndense_layers = -1\n"),
             Equals("t.toml:9:16: field 'dense_layers': expected an integer in [0, 1073741824], got -1"));
  CHECK_THAT(err("train_batch_tokens = 0\n"),
             Equals("t.toml:8:22: field 'train_batch_tokens': expected a positive number, got 0"));
  CHECK_THAT(err("train_chips = 0\n"),
             Equals("t.toml:8:15: field 'train_chips': expected an integer in [1, 1073741824], got 0"));
  // The expert fields describe routed experts, so each needs `experts`.
  CHECK_THAT(err("experts_per_token = 2\n"), Equals("t.toml:8:21: field 'experts_per_token': needs experts"));
  CHECK_THAT(err("shared_experts = 1\n"), Equals("t.toml:8:18: field 'shared_experts': needs experts"));
  CHECK_THAT(err("expert_ffn_dim = 2048\n"), Equals("t.toml:8:18: field 'expert_ffn_dim': needs experts"));
  CHECK_THAT(err("dense_layers = 3\n"), Equals("t.toml:8:16: field 'dense_layers': needs experts"));
  // A token visits at most every expert; at least one layer stays a MoE layer.
  CHECK_THAT(err("experts = 8\nexperts_per_token = 9\n"),
             Equals("t.toml:9:21: field 'experts_per_token': 9 exceeds experts 8"));
  CHECK_THAT(err("layers = 61\nexperts = 256\ndense_layers = 61\n"),
             Equals("t.toml:10:16: field 'dense_layers': 61 must be less than layers 61"));
  CHECK_THAT(err("experts = 8\nexperts_per_token = 8\nlayers = 4\ndense_layers = 3\n"), Equals("(no error)"));
  // Without layers, dense_layers is only checked against 0.
  CHECK_THAT(err("experts = 8\ndense_layers = 100\n"), Equals("(no error)"));
}

TEST_CASE("Catalog: show and list print the link, shape and training-run fields when present", "[catalog]") {
  Catalog c;
  c.load_text(accelerator("x1") +
                  "scaleup_domain = 8\nscaleup_gbps = 300\nscaleout_gbps = 25\nscaleup_efficiency = 0.77\n"
                  "scaleout_efficiency = 0.96\n" +
                  accelerator("x2") +
                  model("moe", "[]", "671e9",
                        "layers = 61\nffn_dim = 18432\ngated_mlp = true\nexperts = 256\nexperts_per_token = 8\n"
                        "shared_experts = 1\nexpert_ffn_dim = 2048\ndense_layers = 3\ntrain_batch_tokens = 62914560\n"
                        "train_chips = 2048\n") +
                  model("bare", "[]", "7e9"),
              "t.toml");
  using llmcost::Format;
  const std::string x1 = llmcost::render_listing(llmcost::show_record(c, "x1"), Format::csv);
  CHECK_THAT(x1, Contains("\nscaleup_domain,8\n"));
  CHECK_THAT(x1, Contains("\nscaleup_gbps,300\n"));
  CHECK_THAT(x1, Contains("\nscaleout_gbps,25\n"));
  CHECK_THAT(x1, Contains("\nscaleup_efficiency,0.77\n"));
  CHECK_THAT(x1, Contains("\nscaleout_efficiency,0.96\n"));
  const std::string x1_table = llmcost::render_listing(llmcost::show_record(c, "x1"), Format::table);
  CHECK_THAT(x1_table, Contains("300 GB/s per direction"));
  CHECK_THAT(x1_table, Contains("77.0%"));
  const std::string x2 = llmcost::render_listing(llmcost::show_record(c, "x2"), Format::csv);
  CHECK_THAT(x2, !Contains("scaleup") && !Contains("scaleout"));

  const std::string moe = llmcost::render_listing(llmcost::show_record(c, "moe"), Format::csv);
  for (const char* row :
       {"\nffn_dim,18432\n", "\nexperts,256\n", "\nexperts_per_token,8\n", "\nshared_experts,1\n",
        "\nexpert_ffn_dim,2048\n", "\ndense_layers,3\n", "\ntrain_batch_tokens,62914560\n", "\ntrain_chips,2048\n"}) {
    CHECK_THAT(moe, Contains(row));
  }
  CHECK_THAT(llmcost::render_listing(llmcost::show_record(c, "moe"), Format::table),
             Contains("gated_mlp           yes"));
  const std::string bare = llmcost::render_listing(llmcost::show_record(c, "bare"), Format::csv);
  for (const char* field : {"ffn_dim", "gated_mlp", "experts", "dense_layers", "train_batch_tokens", "train_chips"}) {
    CHECK_THAT(bare, !Contains(field));
  }

  const std::string accs = llmcost::render_listing(llmcost::list_records(c, "accelerators"), Format::csv);
  CHECK_THAT(accs, Contains(",scaleup_domain,scaleup_gbps,scaleout_gbps\n"));
  CHECK_THAT(accs, Contains(",8,300,25\n"));
  const std::string models = llmcost::render_listing(llmcost::list_records(c, "models"), Format::csv);
  CHECK_THAT(models, Contains(",ffn_dim,experts,train_batch_tokens,train_chips\n"));
  CHECK_THAT(models, Contains(",18432,256,62914560,2048\n"));
}
