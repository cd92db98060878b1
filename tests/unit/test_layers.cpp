// The structure of src/ and include/, read from the #include lines: dependencies run one way
// (base <- catalog <- report <- {laws, calibrate} <- estimate <- batch <- cli; README.md, Development), the CUDA
// plugin sees only base and the calibration types, the command line includes public headers only,
// and no module (a header and its .cpp) reaches itself through its includes.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli_runner.hpp"

namespace {

namespace fs = std::filesystem;

const fs::path& repo() {
  static const fs::path root = fs::path(LLMCOST_TEST_DIR).parent_path();
  return root;
}

// What each layer may include besides itself. gpu/ is apart: see kGpuMay.
const std::map<std::string, std::set<std::string>> kMayInclude{
    {"base", {}},
    {"catalog", {"base"}},
    {"report", {"base", "catalog"}},
    {"laws", {"base", "catalog", "report"}},
    {"calibrate", {"base", "catalog", "report"}},
    {"estimate", {"base", "catalog", "report", "laws", "calibrate"}},
    {"batch", {"base", "catalog", "report", "laws", "calibrate", "estimate"}},
    {"cli", {"base", "catalog", "report", "laws", "calibrate", "estimate", "batch"}},
};

// The CUDA plugin's whole view of llmcost: base and the calibration types with the plugin ABI.
const std::set<std::string> kGpuMay{"include/llmcost/calibration.hpp", "src/calibrate/plugin_abi.hpp"};

// The layer of every public header. A new header must be placed here, in the layer of the
// src/ folder that implements it.
const std::map<std::string, std::string> kPublic{
    {"error.hpp", "base"},
    {"units.hpp", "base"},
    {"text.hpp", "base"},
    {"files.hpp", "base"},
    {"atomic_file.hpp", "base"},
    {"catalog.hpp", "catalog"},
    {"data_paths.hpp", "catalog"},
    {"hf_config.hpp", "catalog"},
    {"report.hpp", "report"},
    {"render.hpp", "report"},
    {"format.hpp", "report"},
    {"listing.hpp", "report"},
    {"csv.hpp", "report"},
    {"chart.hpp", "report"},
    {"law.hpp", "laws"},
    {"fit.hpp", "laws"},
    {"fit_report.hpp", "laws"},
    {"calibration.hpp", "calibrate"},
    {"calibrate.hpp", "calibrate"},
    {"estimate.hpp", "estimate"},
    {"train.hpp", "estimate"},
    {"infer.hpp", "estimate"},
    {"search.hpp", "estimate"},
    {"scaling.hpp", "estimate"},
    {"trend.hpp", "estimate"},
    {"perf.hpp", "estimate"},
    {"plan.hpp", "estimate"},
    {"serve.hpp", "estimate"},
    {"finetune.hpp", "estimate"},
    {"rlhf.hpp", "estimate"},
    {"uncertainty.hpp", "estimate"},
    {"scenario.hpp", "batch"},
    {"expectation.hpp", "batch"},
    {"sweep.hpp", "batch"},
    {"run.hpp", "batch"},
    {"junit.hpp", "batch"},
    {"run_report.hpp", "batch"},
    {"pareto_plot.hpp", "batch"},
};

struct File {
  std::string path;                   // relative to the repository: "src/base/units.cpp"
  std::string layer;                  // "base", ..., "cli", "gpu"
  std::vector<std::string> includes;  // project headers, as repository paths
};

// The layer of a repository path, or "" when it is not part of the layered tree.
std::string layer_of(const std::string& path) {
  if (path.rfind("include/llmcost/", 0) == 0) {
    const auto it = kPublic.find(path.substr(16));
    return it == kPublic.end() ? "" : it->second;
  }
  if (path.rfind("src/", 0) == 0) return path.substr(4, path.find('/', 4) - 4);
  return "";
}

// A quoted include as a repository path: "llmcost/x.hpp" is public, "layer/x.hpp" under src/.
std::string resolve(const std::string& name) {
  return name.rfind("llmcost/", 0) == 0 ? "include/" + name : "src/" + name;
}

std::vector<File> read_tree() {
  static const std::regex include_line(R"re(^\s*#\s*include\s+"([^"]+)")re");
  std::vector<File> files;
  for (const char* top : {"src", "include/llmcost"}) {
    for (const auto& e : fs::recursive_directory_iterator(repo() / top)) {
      const std::string ext = e.path().extension().string();
      if (!e.is_regular_file() || (ext != ".cpp" && ext != ".hpp" && ext != ".cu")) continue;
      File f;
      f.path = fs::relative(e.path(), repo()).string();
      f.layer = layer_of(f.path);
      std::istringstream text(llmcost::test::slurp(e.path()));
      std::smatch m;
      for (std::string line; std::getline(text, line);) {
        if (std::regex_search(line, m, include_line)) f.includes.push_back(resolve(m[1]));
      }
      files.push_back(f);
    }
  }
  std::sort(files.begin(), files.end(), [](const File& a, const File& b) { return a.path < b.path; });
  return files;
}

// The module of a file: a header and the .cpp that implements it share their stem; a private
// header-only helper named after a module of its folder ("laws/fit_simd.hpp" with no
// fit_simd.cpp, beside fit.cpp) is part of that module.
std::string module_of(const std::string& path) {
  const fs::path p(path);
  std::string stem = p.stem().string();
  if (path.rfind("src/", 0) != 0 || p.extension() != ".hpp" || fs::exists(repo() / p.parent_path() / (stem + ".cpp"))) {
    return stem;
  }
  for (size_t cut = stem.rfind('_'); cut != std::string::npos && cut > 0; cut = stem.rfind('_', cut - 1)) {
    if (fs::exists(repo() / p.parent_path() / (stem.substr(0, cut) + ".cpp"))) return stem.substr(0, cut);
  }
  return stem;
}

}  // namespace

TEST_CASE("Layers: every file and public header has a layer, and every include names a file", "[layers]") {
  const std::vector<File> files = read_tree();
  std::set<std::string> paths;
  for (const File& f : files) paths.insert(f.path);
  REQUIRE(files.size() > 50);
  for (const File& f : files) {
    INFO(f.path);
    CHECK((kMayInclude.count(f.layer) || f.layer == "gpu"));
    for (const std::string& inc : f.includes) {
      INFO("includes " << inc);
      CHECK(paths.count(inc) == 1);
    }
  }
  for (const auto& [header, layer] : kPublic) {
    INFO(header << " is in the layer table but not in include/llmcost/");
    CHECK(paths.count("include/llmcost/" + header) == 1);
  }
}

TEST_CASE("Layers: nothing includes upward", "[layers]") {
  for (const File& f : read_tree()) {
    if (f.layer == "gpu") continue;
    for (const std::string& inc : f.includes) {
      const std::string to = layer_of(inc);
      if (to == f.layer) continue;
      INFO(f.path << " (" << f.layer << ") includes " << inc << " (" << to << ")");
      CHECK(kMayInclude.at(f.layer).count(to) == 1);
    }
  }
}

TEST_CASE("Layers: the CUDA plugin sees only base and the calibration types", "[layers]") {
  for (const File& f : read_tree()) {
    if (f.layer != "gpu") continue;
    for (const std::string& inc : f.includes) {
      INFO(f.path << " includes " << inc);
      CHECK((layer_of(inc) == "base" || layer_of(inc) == "gpu" || kGpuMay.count(inc) == 1));
    }
  }
  for (const File& f : read_tree()) {
    for (const std::string& inc : f.includes) {
      INFO(f.path << " includes " << inc);
      if (f.layer != "gpu") CHECK(layer_of(inc) != "gpu");
    }
  }
}

TEST_CASE("Layers: the command line includes public headers and its own only", "[layers]") {
  for (const File& f : read_tree()) {
    if (f.layer != "cli") continue;
    for (const std::string& inc : f.includes) {
      INFO(f.path << " includes " << inc);
      CHECK((inc.rfind("include/llmcost/", 0) == 0 || inc.rfind("src/cli/", 0) == 0));
    }
  }
}

TEST_CASE("Layers: no include cycles between modules", "[layers]") {
  // Module graph: a module's files' includes of other modules.
  std::map<std::string, std::set<std::string>> graph;
  for (const File& f : read_tree()) {
    const std::string from = module_of(f.path);
    graph[from];
    for (const std::string& inc : f.includes) {
      if (module_of(inc) != from) graph[from].insert(module_of(inc));
    }
  }
  std::map<std::string, int> state;  // 0 new, 1 on the path, 2 done
  std::vector<std::string> path;
  std::string cycle;
  std::function<void(const std::string&)> visit = [&](const std::string& m) {
    state[m] = 1;
    path.push_back(m);
    for (const std::string& next : graph[m]) {
      if (!cycle.empty()) break;
      if (state[next] == 1) {
        for (auto it = std::find(path.begin(), path.end(), next); it != path.end(); ++it) cycle += *it + " -> ";
        cycle += next;
      } else if (state[next] == 0) {
        visit(next);
      }
    }
    path.pop_back();
    state[m] = 2;
  };
  for (const auto& [m, deps] : graph) {
    if (state[m] == 0 && cycle.empty()) visit(m);
  }
  CHECK(cycle == "");
}

TEST_CASE("Layers: numbers are formatted for people only in the renderers (src/report/)", "[layers]") {
  // Elsewhere numbers go into words as Quantities (Text::of) and a renderer formats them.
  static const std::regex human_format(
      R"re(\bformat_(sig|plain|count|scaled|scaled_sig|si|usd|duration|percent|sci|value)\s*\()re");
  std::vector<std::string> found;
  for (const File& f : read_tree()) {
    if (f.layer == "report" || f.path.rfind("include/", 0) == 0) continue;
    std::istringstream text(llmcost::test::slurp(repo() / f.path));
    int line_no = 0;
    for (std::string line; std::getline(text, line);) {
      ++line_no;
      if (std::regex_search(line.substr(0, line.find("//")), human_format)) {
        found.push_back(f.path + ":" + std::to_string(line_no) + ": " + line);
      }
    }
  }
  CHECK(found == std::vector<std::string>{});
}
