// `llmcost fit --save-law NAME`: the fit as a hoffmann-form catalog law, the file name it goes
// to, and the TOML text, checked by loading it back as `--data . --law NAME` will.
#include <fmt/format.h>

#include <cmath>
#include <optional>
#include <string>
#include <utility>

#include "llmcost/catalog.hpp"
#include "llmcost/error.hpp"
#include "llmcost/fit_report.hpp"

namespace llmcost {

Law law_from_fit(const FitResult& f, const std::string& id, const std::string& source) {
  Law l = f.law;
  l.id = id;
  l.form = "hoffmann";
  l.source = source;
  l.std_errors.clear();
  // Standard errors only when every parameter has a finite one (the catalog takes no other).
  const std::pair<const char*, const std::optional<ParamStats>*> stats[] = {
      {"e", &f.E}, {"a", &f.A}, {"b", &f.B}, {"alpha", &f.alpha}, {"beta", &f.beta}};
  for (const auto& [name, s] : stats) {
    if (!*s || !std::isfinite((*s)->se) || (*s)->se < 0) {
      l.std_errors.clear();
      break;
    }
    l.std_errors[name] = (*s)->se;
  }
  l.correlation.clear(), l.correlation_source.clear();
  if (!l.std_errors.empty() && correlation_problem(f.correlation).empty()) {
    l.correlation = f.correlation;
    l.correlation_source = "bootstrap resamples of the same fit";
  }
  return l;
}

std::string law_toml(const Law& l) {
  std::string out =
      fmt::format("[[law]]\nid = \"{}\"\nform = \"hoffmann\"\ne = {}\na = {}\nb = {}\nalpha = {}\nbeta = {}\n", l.id,
                  l.e, l.a, l.b, l.alpha, l.beta);
  if (!l.std_errors.empty()) {
    out += fmt::format("std_errors = {{ e = {}, a = {}, b = {}, alpha = {}, beta = {} }}\n", l.std_errors.at("e"),
                       l.std_errors.at("a"), l.std_errors.at("b"), l.std_errors.at("alpha"), l.std_errors.at("beta"));
  }
  if (!l.correlation.empty()) {
    out += "# correlation of (ln e, ln a, ln b, alpha, beta)\ncorrelation = [\n";
    for (size_t i = 0; i < kLawParams; ++i) {
      out += "  [";
      for (size_t j = 0; j < kLawParams; ++j)
        out += fmt::format("{}{}", j ? ", " : "", l.correlation[i * kLawParams + j]);
      out += "],\n";
    }
    out += fmt::format("]\ncorrelation_source = \"{}\"\n", l.correlation_source);
  }
  std::string src;
  for (char c : l.source) src += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
  return out + fmt::format("source = \"{}\"\n", src);
}

LawTarget law_target(const std::string& name) {
  const bool has_ext = name.size() > 5 && name.compare(name.size() - 5, 5, ".toml") == 0;
  const std::string id = has_ext ? name.substr(0, name.size() - 5) : name;
  bool ok = !id.empty() && id[0] != '.';
  for (char c : id) ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.');
  if (!ok) {
    throw InputError(
        fmt::format("--save-law: expected a name of lower-case letters, digits, '-', '.' or '_' not "
                    "starting with '.', got '{}'",
                    name));
  }
  return {id + ".toml", id};
}

// Machine text for the law file's `source` field: raw numbers, as TOML writes them.
std::string fit_law_source(const FitData& data, const FitOptions& options, const FitResult& result) {
  return fmt::format("llmcost fit {} ({} grid, {} points, objective {})", data.origin,
                     options.coarse_grid ? "coarse" : "full", result.points, result.objective);
}

std::string law_file_text(const FitResult& result, const std::string& id, const std::string& source) {
  if (!result.identified) throw InputError(fmt::format("--save-law: not saved: {}", result.message));
  std::string text = law_toml(law_from_fit(result, id, source));
  try {
    Catalog().load_text(text, id + ".toml");  // what `--data . --law ID` will do
  } catch (const InputError& e) {
    throw InputError(fmt::format("--save-law: not saved: the law would not load: {}", e.what()));
  }
  return text;
}

}  // namespace llmcost
