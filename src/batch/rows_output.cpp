// The kept rows of a run's sweeps written as the sweeps run (--rows FILE, --format csv).
#include <fmt/format.h>

#include "llmcost/error.hpp"
#include "llmcost/run_report.hpp"

namespace llmcost {
namespace {

constexpr size_t kFlushBytes = size_t{1} << 20;  // text gathered before a write

}  // namespace

std::string columns_differ(const std::string& flag, const std::string& first, const std::string& other) {
  // One header, so every sweep must have the same columns (a second header in the middle would
  // break every CSV reader).
  return fmt::format(
      "{} needs sweeps with the same columns: '{}' and '{}' differ; run them separately or write JSON lines "
      "(--rows FILE.jsonl)",
      flag, first, other);
}

RowsOutput::RowsOutput(StreamedFile& file, bool csv, std::string flag)
    : file_(file), csv_(csv), flag_(std::move(flag)) {}

void RowsOutput::begin(const Scenario& s, const SweepResult& shape) {
  check();
  try {
    mark_ = file_.size();
    format_.emplace(s, shape, csv_);
    header_here_ = false;
    if (csv_ && header_.empty()) {
      header_ = format_->header(), header_file_ = s.file, header_here_ = true;
      buffer_ = header_;
    } else if (csv_ && format_->header() != header_) {
      throw InputError(columns_differ(flag_, header_file_, s.file));
    }
  } catch (...) {
    error_ = std::current_exception();
    throw;
  }
}

void RowsOutput::rows(const double* rows, size_t count) {
  check();
  try {
    format_->append(buffer_, rows, count);
    if (buffer_.size() >= kFlushBytes) flush();
  } catch (...) {
    error_ = std::current_exception();
    throw;
  }
}

void RowsOutput::end(bool complete) {
  if (error_ || !format_) return;
  try {
    if (complete) {
      flush();
      ++sweeps_;
    } else {  // the sweep failed: its rows (and the header it wrote) are taken back
      buffer_.clear();
      file_.truncate(mark_);
      if (header_here_) header_.clear(), header_file_.clear();
    }
  } catch (...) {
    error_ = std::current_exception();
  }
  format_.reset();
}

void RowsOutput::check() const {
  if (error_) std::rethrow_exception(error_);
}

void RowsOutput::flush() {
  file_.write(buffer_);
  buffer_.clear();
}

}  // namespace llmcost
