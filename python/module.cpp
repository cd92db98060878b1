// The `llmcost` Python module: the estimate kinds as functions with keyword arguments named like
// the flags, scenario files and sweeps, and the catalog, over the same core library as the CLI
// (docs/python.md). Reports come back as the CLI's JSON, parsed: the same numbers, to the digit.
#include <fmt/format.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "llmcost/catalog.hpp"
#include "llmcost/data_paths.hpp"
#include "llmcost/error.hpp"
#include "llmcost/estimate.hpp"
#include "llmcost/render.hpp"
#include "llmcost/run.hpp"
#include "llmcost/scenario.hpp"
#include "llmcost/sweep.hpp"

namespace py = pybind11;

namespace {

using llmcost::Catalog;

// The catalog: the module's default data folder, LLMCOST_DATA folders, then `extra` (the `data`
// argument), loaded once per list of folders. Installed (the module under the install prefix),
// the default is the installed catalog; in the build tree, the source tree's data/. Call with
// the GIL held.
const Catalog& catalog_for(const std::vector<std::string>& extra) {
  static std::map<std::vector<std::string>, std::unique_ptr<Catalog>> loaded;
  auto& slot = loaded[extra];
  if (!slot) {
    std::vector<std::string> dirs = llmcost::data_dirs(std::getenv("LLMCOST_DATA"), extra);
    const std::string file = py::module_::import("llmcost").attr("__file__").cast<std::string>();
    const std::string prefix = LLMCOST_PY_INSTALL_PREFIX;
    if (file.rfind(prefix + "/", 0) == 0) dirs.front() = LLMCOST_PY_DATA_DIR;
    slot = std::make_unique<Catalog>(llmcost::load_catalog(dirs));
  }
  return *slot;
}

// A keyword argument as the flag's text: True/False for switches, numbers in full precision,
// lists joined by commas (--offer a,b), strings as they are.
std::string flag_text(const py::handle& v) {
  if (py::isinstance<py::bool_>(v)) return v.cast<bool>() ? "true" : "false";
  if (py::isinstance<py::int_>(v)) return std::to_string(v.cast<long long>());
  if (py::isinstance<py::float_>(v)) return fmt::format("{:.17g}", v.cast<double>());
  if (py::isinstance<py::str>(v)) return v.cast<std::string>();
  if (py::isinstance<py::list>(v) || py::isinstance<py::tuple>(v)) {
    std::string out;
    for (const py::handle& item : v) out += (out.empty() ? "" : ",") + flag_text(item);
    return out;
  }
  throw llmcost::InputError(fmt::format("expected a number, a string, a bool or a list, got {}",
                                        std::string(py::str(py::type::of(v).attr("__name__")))));
}

py::object json_loads(const std::string& text) {
  return py::module_::import("json").attr("loads")(text);
}

// A report: the CLI's JSON document, parsed, with its table and Markdown renderings.
struct PyReport {
  llmcost::Report report;
  py::dict doc;
};

PyReport estimate(const std::string& kind_name, const py::kwargs& kwargs) {
  const llmcost::EstimateKind* kind = llmcost::find_kind(kind_name);
  if (!kind) throw llmcost::InputError(fmt::format("unknown kind '{}': {}", kind_name, llmcost::kind_names()));
  std::unique_ptr<llmcost::InputSet> inputs = kind->make_inputs();
  std::vector<std::string> data;
  for (const auto& [key, value] : kwargs) {
    std::string name = py::str(key);
    if (name == "data") {
      if (py::isinstance<py::str>(value)) {
        data.push_back(value.cast<std::string>());
      } else {
        for (const py::handle& d : value) data.push_back(py::str(d));
      }
      continue;
    }
    for (char& c : name) c = c == '_' ? '-' : c;  // keyword tokens_per_day → flag --tokens-per-day
    const std::optional<size_t> field = kind->field_index(name);
    if (!field) {
      throw llmcost::InputError(fmt::format("{}: unknown argument '{}' (see 'llmcost {} --help')", kind_name,
                                            py::str(key).cast<std::string>(), kind_name));
    }
    if (value.is_none()) continue;
    if (py::isinstance<py::bool_>(value) && !value.cast<bool>() && kind->fields()[*field].is_switch()) continue;
    try {
      inputs->set(*field, flag_text(value));
    } catch (const llmcost::InputError& e) {
      throw llmcost::InputError(fmt::format("{}: {}: {}", kind_name, py::str(key).cast<std::string>(), e.what()));
    }
  }
  PyReport out;
  const Catalog& cat = catalog_for(data);
  {
    py::gil_scoped_release release;
    out.report = inputs->estimate(cat);
  }
  out.doc = json_loads(llmcost::render(out.report, llmcost::Format::json, false));
  return out;
}

// A sweep's kept rows as columns: report keys as floats (NaN for an empty cell), then the axes
// that are not report keys by their values' text (a pandas Categorical with pandas). A pandas
// DataFrame when pandas is installed, else a dict (numpy arrays with numpy, else lists).
py::object columns(const llmcost::Scenario& s, const llmcost::SweepResult& r) {
  py::module_ numpy, pandas;
  try {
    numpy = py::module_::import("numpy");
    pandas = py::module_::import("pandas");
  } catch (const py::error_already_set&) {
  }
  const size_t n = r.row_count(), width = r.width();
  py::dict cols;
  for (size_t k = 0; k < r.keys.size(); ++k) {
    const size_t col = r.axes.size() + k;
    if (numpy) {
      py::array_t<double> values(static_cast<py::ssize_t>(n));
      double* out = values.mutable_data();
      for (size_t row = 0; row < n; ++row) out[row] = r.rows[row * width + col];
      cols[py::str(r.keys[k])] = values;
    } else {
      py::list values;
      for (size_t row = 0; row < n; ++row) values.append(r.rows[row * width + col]);
      cols[py::str(r.keys[k])] = values;
    }
  }
  for (size_t a = 0; a < r.axes.size(); ++a) {
    if (cols.contains(r.axes[a])) continue;  // chips, mfu: the report's numbers
    if (pandas) {
      // Codes into the axis's values: the rows hold each axis's value number.
      std::vector<std::string> names;
      for (const llmcost::ScenarioInput& in : s.inputs)
        if (in.name == r.axes[a]) names = in.values;
      py::array_t<long long> codes(static_cast<py::ssize_t>(n));
      long long* out = codes.mutable_data();
      for (size_t row = 0; row < n; ++row) out[row] = static_cast<long long>(r.rows[row * width + a]);
      cols[py::str(r.axes[a])] = pandas.attr("Categorical").attr("from_codes")(codes, names);
    } else {
      py::list values;
      for (size_t row = 0; row < n; ++row) values.append(llmcost::axis_text(s, r, row, a));
      cols[py::str(r.axes[a])] = values;
    }
  }
  if (pandas) return pandas.attr("DataFrame")(cols, py::arg("copy") = false);
  return cols;
}

// Records as dicts: id, name (or description), source.
template <class Record>
py::list records(const std::vector<Record>& recs) {
  py::list out;
  for (const Record& r : recs) {
    py::dict d;
    d["id"] = r.id;
    if constexpr (requires { r.name; }) d["name"] = r.name;
    if constexpr (requires { r.description; }) d["description"] = r.description;
    d["source"] = r.source;
    out.append(d);
  }
  return out;
}

}  // namespace

PYBIND11_MODULE(llmcost, m) {
  m.doc() = "LLM training, fine-tuning, serving and search cost estimates (the llmcost command line's core)";
  static py::exception<llmcost::InputError> input_error(m, "InputError", PyExc_ValueError);
  static py::exception<llmcost::EnvError> env_error(m, "EnvError", PyExc_OSError);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const llmcost::InputError& e) {
      input_error(e.what());
    } catch (const llmcost::EnvError& e) {
      env_error(e.what());
    }
  });

  py::class_<PyReport>(m, "Report", "An estimate: values (base units), rows, assumptions, notes")
      .def_property_readonly("kind", [](const PyReport& r) { return r.report.kind; })
      .def_property_readonly("title", [](const PyReport& r) { return r.doc["title"]; })
      .def_property_readonly("values", [](const PyReport& r) { return r.doc["values"]; })
      .def_property_readonly("rows", [](const PyReport& r) { return r.doc["rows"]; })
      .def_property_readonly("assumptions", [](const PyReport& r) { return r.doc["assumptions"]; })
      .def_property_readonly("notes", [](const PyReport& r) { return r.doc["notes"]; })
      .def("to_json", [](const PyReport& r) { return llmcost::render(r.report, llmcost::Format::json, false); })
      .def(
          "table",
          [](const PyReport& r, bool explain) { return llmcost::render(r.report, llmcost::Format::table, explain); },
          py::arg("explain") = false)
      .def("_repr_markdown_",
           [](const PyReport& r) { return llmcost::render(r.report, llmcost::Format::markdown, false); })
      .def("__repr__", [](const PyReport& r) { return llmcost::render(r.report, llmcost::Format::table, false); });

  m.def("estimate", &estimate, py::arg("kind"),
        "Runs the estimate kind ('train', 'infer', ...) with keyword arguments named like its flags");
  for (const llmcost::EstimateKind* kind : llmcost::estimate_kinds()) {
    const std::string name(kind->name());
    std::string doc = std::string(kind->help()) + "\n\nKeyword arguments (the flags of 'llmcost " + name + "'):\n";
    for (const llmcost::FieldInfo& f : kind->fields()) {
      std::string arg(f.name);
      for (char& c : arg) c = c == '-' ? '_' : c;
      doc += fmt::format("  {}: {}\n", arg, f.help);
    }
    doc += "  data: extra catalog folder(s), like --data\n";
    m.def(
        name.c_str(), [name](const py::kwargs& kwargs) { return estimate(name, kwargs); }, doc.c_str());
  }

  m.def(
      "run",
      [](const std::string& path, const std::string& best, int threads) {
        llmcost::SweepOptions options;
        options.best = best;
        options.threads = threads;
        const llmcost::Catalog& cat = catalog_for({});
        llmcost::ScenarioResult result;
        {
          py::gil_scoped_release release;
          result = llmcost::run_scenario_file(path, cat, options);
        }
        if (result.status == llmcost::ScenarioResult::Status::error) {
          if (result.environment) throw llmcost::EnvError(result.error);
          throw llmcost::InputError(result.error);
        }
        py::dict out;
        out["name"] = result.name;
        out["passed"] = result.status == llmcost::ScenarioResult::Status::pass;
        py::list checks;
        for (const llmcost::CheckResult& c : result.checks) {
          py::dict d;
          d["key"] = c.expectation.key;
          d["expected"] = c.expectation.describe();
          d["actual"] = c.actual;
          d["passed"] = c.pass;
          checks.append(d);
        }
        out["checks"] = checks;
        if (result.sweep && result.scenario) out["rows"] = columns(*result.scenario, *result.sweep);
        return out;
      },
      py::arg("path"), py::arg("best") = "", py::arg("threads") = 0,
      "Runs a scenario file as 'llmcost run' does: name, passed, checks and, for a sweep, its kept rows as "
      "columns (a pandas DataFrame when pandas is installed, else a dict of lists)");

  m.def(
      "catalog",
      [](const std::vector<std::string>& data) {
        const llmcost::Catalog& c = catalog_for(data);
        py::dict out;
        out["models"] = records(c.models());
        out["accelerators"] = records(c.accelerators());
        out["offers"] = records(c.offers());
        out["assumptions"] = records(c.assumptions());
        out["laws"] = records(c.laws());
        return py::module_::import("types").attr("SimpleNamespace")(**out);
      },
      py::arg("data") = std::vector<std::string>{},
      "The catalog's records (models, accelerators, offers, assumptions, laws) as lists of {id, name, source}");
  m.attr("__version__") = LLMCOST_VERSION;
}
