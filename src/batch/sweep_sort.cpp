#include "batch/sweep_sort.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <queue>

#include "batch/sweep_points.hpp"
#include "llmcost/error.hpp"

namespace llmcost {
namespace {

constexpr size_t kRunBytes = size_t{64} << 20;    // rows sorted in memory at a time
constexpr size_t kMergeBytes = size_t{32} << 20;  // read buffers of all runs together
constexpr size_t kBlockRows = 4096;               // rows handed out at a time

[[noreturn]] void temp_failed(const char* what) {
  throw EnvError(fmt::format("cannot sort the sweep's rows in a temporary file: {}: {}", what, std::strerror(errno)));
}

}  // namespace

RowSorter::RowSorter(size_t width, size_t col, bool maximize, size_t limit, size_t run_rows)
    : width_(width),
      col_(col),
      maximize_(maximize),
      limit_(limit),
      run_rows_(run_rows > 0 ? run_rows
                             : std::max<size_t>(1, kRunBytes / (sizeof(double) * std::max<size_t>(width, 1)))) {}

void RowSorter::add(const double* rows, size_t count) {
  buffer_.insert(buffer_.end(), rows, rows + count * width_);
  if (buffer_.size() < run_rows_ * width_) return;
  // Few rows wanted: the best `limit` of those so far are all that can make it.
  if (limit_ > 0 && limit_ <= run_rows_ / 2) {
    select_best(buffer_, width_, col_, maximize_, static_cast<double>(limit_));
  } else {
    spill();
  }
}

void RowSorter::spill() {
  if (buffer_.empty()) return;
  select_best(buffer_, width_, col_, maximize_, 0);  // sorted, ties in arrival (point) order
  if (!file_) {
    file_.reset(std::tmpfile());
    if (!file_) temp_failed("create");
  }
  const size_t rows = buffer_.size() / width_;
  if (std::fwrite(buffer_.data(), sizeof(double), buffer_.size(), file_.get()) != buffer_.size()) temp_failed("write");
  runs_.push_back(Run{file_rows_, rows});
  file_rows_ += rows;
  std::vector<double>().swap(buffer_);
}

void RowSorter::drain(const std::function<void(const double*, size_t)>& out) {
  if (!runs_.empty()) {
    spill();
    merge(out);
    return;
  }
  select_best(buffer_, width_, col_, maximize_, static_cast<double>(limit_));
  const size_t rows = buffer_.size() / width_;
  for (size_t i = 0; i < rows; i += kBlockRows) out(buffer_.data() + i * width_, std::min(kBlockRows, rows - i));
  std::vector<double>().swap(buffer_);
}

// A k-way merge of the sorted runs: each run read a block at a time, the heap's top the next row
// (ties: the earlier run, so point order holds).
void RowSorter::merge(const std::function<void(const double*, size_t)>& out) {
  if (std::fflush(file_.get()) != 0) temp_failed("write");
  const int fd = ::fileno(file_.get());
  const size_t block = std::clamp<size_t>(kMergeBytes / (runs_.size() * width_ * sizeof(double)), 16, kBlockRows);
  struct Cursor {
    std::vector<double> rows;
    size_t at = 0, next = 0, end = 0;  // at: row in `rows`; next, end: rows of the run in the file
  };
  std::vector<Cursor> cursors(runs_.size());
  auto refill = [&](size_t r) {
    Cursor& c = cursors[r];
    const size_t n = std::min(block, c.end - c.next);
    c.rows.resize(n * width_);
    const size_t bytes = n * width_ * sizeof(double);
    const auto offset = static_cast<off_t>(c.next * width_ * sizeof(double));
    if (::pread(fd, c.rows.data(), bytes, offset) != static_cast<ssize_t>(bytes)) temp_failed("read");
    c.next += n, c.at = 0;
  };
  auto key = [&](size_t r) { return cursors[r].rows[cursors[r].at * width_ + col_]; };
  auto later = [&](size_t a, size_t b) {  // the heap's order: true when a comes after b
    if (ranks_before(key(b), key(a), maximize_)) return true;
    if (ranks_before(key(a), key(b), maximize_)) return false;
    return a > b;
  };
  std::priority_queue<size_t, std::vector<size_t>, decltype(later)> heap(later);
  for (size_t r = 0; r < runs_.size(); ++r) {
    cursors[r].next = runs_[r].first, cursors[r].end = runs_[r].first + runs_[r].count;
    refill(r);
    heap.push(r);
  }
  std::vector<double> block_out;
  block_out.reserve(kBlockRows * width_);
  size_t written = 0;
  const size_t wanted = limit_ > 0 ? limit_ : file_rows_;
  while (!heap.empty() && written < wanted) {
    const size_t r = heap.top();
    heap.pop();
    Cursor& c = cursors[r];
    const double* row = c.rows.data() + c.at * width_;
    block_out.insert(block_out.end(), row, row + width_);
    ++written;
    if (++c.at * width_ == c.rows.size() && c.next < c.end) refill(r);
    if (c.at * width_ < c.rows.size()) heap.push(r);
    if (block_out.size() == kBlockRows * width_) {
      out(block_out.data(), kBlockRows);
      block_out.clear();
    }
  }
  if (!block_out.empty()) out(block_out.data(), block_out.size() / width_);
  file_.reset();
}

}  // namespace llmcost
