// Citations resolve inside the repository: no file cites the reference folder that lived outside
// it, and every citation of a document under docs/ (`docs/<name>.md`, optionally followed by
// section markers such as `§2`, `§1a, §1b` or `§2-§5`) names a file that exists and, for each
// section, a heading of that file that carries the marker (`## §2 ...` or `## 2. ...`).
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "cli_runner.hpp"

namespace {

namespace fs = std::filesystem;

const fs::path& repo() {
  static const fs::path root = fs::path(LLMCOST_TEST_DIR).parent_path();
  return root;
}

std::string rel(const fs::path& p) {
  return p.lexically_relative(repo()).generic_string();
}

// Every text file whose citations must resolve: the sources, headers, catalog, scenarios, scripts,
// tests (not the goldens, which are generated output, nor the fuzz corpus, which keeps old
// inputs on purpose), examples, benchmarks, the documents themselves and the top-level README.
std::vector<fs::path> checked_files() {
  std::vector<fs::path> files{repo() / "README.md"};
  const std::set<std::string> skipped{"tests/golden", "tests/fuzz/corpus"};
  for (const char* top : {"src", "include", "data", "scenarios", "scripts", "tests", "examples", "bench", "docs"}) {
    if (!fs::is_directory(repo() / top)) continue;
    for (auto it = fs::recursive_directory_iterator(repo() / top); it != fs::recursive_directory_iterator(); ++it) {
      if (it->is_directory() && skipped.count(rel(it->path())))
        it.disable_recursion_pending();
      else if (it->is_regular_file())
        files.push_back(it->path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

bool is_binary(const std::string& text) {
  return text.find('\0') != std::string::npos;
}

size_t line_of(const std::string& text, size_t pos) {
  return 1 + static_cast<size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(pos), '\n'));
}

struct Citation {
  size_t pos = 0;                     // offset of "docs/" in the text
  std::string doc;                    // "docs/hardware.md"
  std::vector<std::string> sections;  // {"1a", "1b"}; empty when no section is cited
  std::string text;                   // the citation as written, for messages
  bool malformed = false;             // a '§' follows the path but no valid marker does
};

// A section marker: digits and an optional lower-case letter, not followed by a letter or digit
// (so `§2` and `§1a`, not `§2x1` or `§12abc`).
const std::string kMarker = "([0-9]+[a-z]?)(?![0-9A-Za-z])";

bool all_digits(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Sections cited right after a document path: `§N`, then more markers joined by `, §N`
// (a comma list needs the '§' on every item, so `§3, 2 × 175e9` cites only §3) or by a range
// dash `-`/`–` with an optional '§' (`§2-§5`, `§4-5`). '§' is two bytes in UTF-8, so it is
// grouped before a quantifier applies to it.
std::vector<std::string> parse_sections(const std::string& after, bool& malformed) {
  static const std::regex first("^[ \\t]*§[ \\t]?" + kMarker);
  static const std::regex next("^(?:[ \\t]*,[ \\t]*§[ \\t]?|[ \\t]*(?:-|–)[ \\t]*(?:§)?[ \\t]?)" + kMarker);
  static const std::regex section_sign("^[ \\t]*§");
  std::vector<std::string> out;
  std::smatch m;
  if (!std::regex_search(after, m, first)) {
    malformed = std::regex_search(after, section_sign);
    return out;
  }
  out.push_back(m[1]);
  std::string rest = m.suffix();
  while (std::regex_search(rest, m, next)) {
    const bool range = m[0].str().find(',') == std::string::npos;
    const std::string to = m[1];
    // A numeric range cites every section in it: §2-§5 is §2, §3, §4 and §5.
    if (range && all_digits(out.back()) && all_digits(to)) {
      for (int n = std::stoi(out.back()) + 1; n < std::stoi(to); ++n) out.push_back(std::to_string(n));
    }
    out.push_back(to);
    rest = m.suffix();
  }
  return out;
}

// Every `docs/<name>.md` in the text, where "docs/" starts a path (not the tail of a URL or of
// another path such as cloud.google.com/tpu/docs/v4).
std::vector<Citation> find_citations(const std::string& text) {
  static const std::regex path("^docs/[A-Za-z0-9_-]+(?:/[A-Za-z0-9_-]+)*\\.md(?![A-Za-z0-9_])");
  std::vector<Citation> out;
  for (size_t pos = text.find("docs/"); pos != std::string::npos; pos = text.find("docs/", pos + 1)) {
    if (pos > 0) {
      const char before = text[pos - 1];
      if (std::isalnum(static_cast<unsigned char>(before)) || std::string("_./-\\").find(before) != std::string::npos)
        continue;
    }
    // A citation fits on a line; matching on a short window keeps std::regex off long inputs.
    const std::string window = text.substr(pos, std::min(text.find('\n', pos), text.size()) - pos).substr(0, 300);
    std::smatch m;
    if (!std::regex_search(window, m, path)) continue;
    Citation c;
    c.pos = pos;
    c.doc = m[0];
    const std::string after = m.suffix();
    c.sections = parse_sections(after, c.malformed);
    c.text = window.substr(0, std::min<size_t>(window.size(), c.doc.size() + 24));
    out.push_back(c);
  }
  return out;
}

// The section markers of a Markdown document: headings (outside fenced code blocks) that carry
// `§X` anywhere, or that start with `X.` (`## 2. Memory`).
std::set<std::string> section_markers(const std::string& markdown) {
  static const std::regex heading("^#{1,6}[ \\t]+(.*)$");
  static const std::regex sign("§[ \\t]?" + kMarker);
  static const std::regex leading_number("^([0-9]+[a-z]?)\\.(?:[ \\t]|$)");
  std::set<std::string> out;
  bool fenced = false;
  size_t start = 0;
  while (start <= markdown.size()) {
    const size_t end = std::min(markdown.find('\n', start), markdown.size());
    const std::string line = markdown.substr(start, end - start);
    start = end + 1;
    if (line.rfind("```", 0) == 0 || line.rfind("~~~", 0) == 0) {
      fenced = !fenced;
      continue;
    }
    std::smatch h;
    if (fenced || !std::regex_match(line, h, heading)) continue;
    const std::string title = h[1];
    for (auto it = std::sregex_iterator(title.begin(), title.end(), sign); it != std::sregex_iterator(); ++it)
      out.insert((*it)[1]);
    std::smatch n;
    if (std::regex_search(title, n, leading_number)) out.insert(n[1]);
  }
  return out;
}

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return s;
}

}  // namespace

TEST_CASE("Docs: the citation parser finds paths and section markers", "[docs]") {
  const auto one = [](const std::string& text) {
    const auto cs = find_citations(text);
    REQUIRE(cs.size() == 1);
    return cs.front();
  };
  CHECK(one("seen 2026-11 via docs/hardware.md §1a, §1b").sections == std::vector<std::string>{"1a", "1b"});
  CHECK(one("(docs/reference-case.md §2-§5)").sections == std::vector<std::string>{"2", "3", "4", "5"});
  CHECK(one("// docs/reference-case.md §4-5 and").sections == std::vector<std::string>{"4", "5"});
  CHECK(one("docs/reference-case.md §3, 2 × 175e9").sections == std::vector<std::string>{"3"});
  CHECK(one("docs/reference-case.md §7, MFU history").sections == std::vector<std::string>{"7"});
  CHECK(one("\"docs/reference-case.md §2 (Sunyan)\"").sections == std::vector<std::string>{"2"});
  CHECK(one("docs/scaling-laws.md, 'Pitfall'").sections.empty());
  CHECK(one("see docs/formulas.md)").doc == "docs/formulas.md");
  // Split literals: this file is itself checked, and a malformed citation must not appear in it.
  CHECK(one("docs/hardware.md "
            "§")
            .malformed);
  CHECK(one("docs/hardware.md "
            "§x")
            .malformed);
  CHECK(one("docs/hardware.md "
            "§2x1")
            .malformed);
  CHECK_FALSE(one("docs/hardware.md §2b").malformed);
  CHECK(find_citations("cloud.google.com/tpu/docs/v4 and https://x.org/docs/a.md").empty());
  CHECK(find_citations("mydocs/a.md, docs/<name>.md, docs/a.mdx, docs/.md").empty());

  const auto markers = section_markers(
      "# Title\n## §1 One\n### §1a Sub\n## 2. Two\n## 3.1 Not a marker\n## Notes (§4)\n"
      "```toml\n# §9 inside a code block\n```\ntext §8 outside a heading\n#§7 not a heading\n");
  CHECK(markers == std::set<std::string>{"1", "1a", "2", "4"});
}

TEST_CASE("Docs: no file cites the reference folder outside the repository", "[docs]") {
  const std::string outside = std::string("shared") + "/reference";
  const auto files = checked_files();
  CHECK(files.size() > 20);
  for (const auto& f : files) {
    const std::string text = llmcost::test::slurp(f);
    if (is_binary(text)) continue;
    for (size_t pos = text.find(outside); pos != std::string::npos; pos = text.find(outside, pos + 1)) {
      INFO(rel(f) << ":" << line_of(text, pos) << ": cites "
                  << text.substr(pos, 60).substr(0, text.find('\n', pos) - pos));
      CHECK(false);
    }
  }
}

TEST_CASE("Docs: every docs/ citation names an existing document and section", "[docs]") {
  std::map<std::string, std::set<std::string>> markers;  // per existing document
  size_t citations = 0;
  for (const auto& f : checked_files()) {
    const std::string text = llmcost::test::slurp(f);
    if (is_binary(text)) continue;
    for (const auto& c : find_citations(text)) {
      ++citations;
      INFO(rel(f) << ":" << line_of(text, c.pos) << ": " << c.text);
      const fs::path doc = repo() / c.doc;
      const bool exists = fs::is_regular_file(doc);
      CHECK(exists);
      CHECK_FALSE(c.malformed);
      if (!exists) continue;
      if (!markers.count(c.doc)) markers[c.doc] = section_markers(llmcost::test::slurp(doc));
      for (const auto& s : c.sections) {
        INFO("section §" << s << " among the headings' sections: "
                         << joined({markers[c.doc].begin(), markers[c.doc].end()}));
        CHECK(markers[c.doc].count(s) == 1);
      }
    }
  }
  CHECK(citations > 50);  // the catalog alone cites docs/ on most records
}

TEST_CASE("Docs: the index lists every document and every document has a title", "[docs]") {
  const fs::path dir = repo() / "docs";
  REQUIRE(fs::is_directory(dir));
  const std::string index = llmcost::test::slurp(dir / "README.md");
  for (const char* required : {"README.md", "reference-case.md", "hardware.md", "scaling-laws.md"})
    CHECK(fs::is_regular_file(dir / required));
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".md") continue;
    const std::string name = entry.path().filename().string();
    INFO("docs/" << name);
    CHECK(llmcost::test::slurp(entry.path()).rfind("# ", 0) == 0);
    if (name != "README.md") CHECK(index.find("(" + name + ")") != std::string::npos);
  }
}
