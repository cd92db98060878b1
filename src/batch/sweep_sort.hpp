// A sweep's kept rows ordered by its `best` column without holding them all: rows are gathered in
// memory up to a run's size, each full run is sorted and spilled to an unnamed temporary file, and
// the runs are merged when the rows are read back. Ties keep point order.
#pragma once

#include <cstddef>
#include <cstdio>
#include <functional>
#include <memory>
#include <vector>

namespace llmcost {

class RowSorter {
 public:
  // Rows of `width` values ordered by column `col` (smallest first, largest with `maximize`, NaN
  // last); `limit` rows are wanted (0: all). A run holds `run_rows` rows (0: about 64 MB).
  RowSorter(size_t width, size_t col, bool maximize, size_t limit, size_t run_rows = 0);

  // Appends `count` rows, in point order.
  void add(const double* rows, size_t count);

  // Hands the first `limit` rows in order to `out`, a block at a time. Once only. Throws EnvError
  // when the temporary file cannot be written or read.
  void drain(const std::function<void(const double*, size_t)>& out);

  // Runs written to the temporary file so far.
  size_t spilled_runs() const { return runs_.size(); }

 private:
  struct Run {
    size_t first = 0, count = 0;  // in rows, in the temporary file
  };
  void spill();
  void merge(const std::function<void(const double*, size_t)>& out);

  size_t width_, col_;
  bool maximize_;
  size_t limit_, run_rows_;
  std::vector<double> buffer_;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file_{nullptr, &std::fclose};
  size_t file_rows_ = 0;
  std::vector<Run> runs_;
};

}  // namespace llmcost
