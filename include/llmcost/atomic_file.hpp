// Files that appear whole or not at all: written to a temporary file in the same folder, flushed
// to disk, then renamed over the target (rename is atomic within a file system). A target that is
// a terminal, a device like /dev/null or a pipe is written directly instead (renaming over it would
// replace it with a regular file), after every regular file has been committed; a pipe without a
// reader is an error, not a hang. An existing file keeps its mode; a link keeps pointing at the file
// it names, which is replaced.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace llmcost {

// Writes `text` to `path` atomically. Throws EnvError (naming the path) when the folder is not
// writable or the disk fails; no temporary file is left behind.
void write_file_atomic(const std::string& path, std::string_view text);

struct FileOutput {
  std::string path;
  std::string text;
};

// Writes every file or none: all are written to temporaries beside their targets first, so an
// unwritable folder or a full disk fails before any target changes, then all are renamed. Throws
// EnvError naming the first path that cannot be written (temporaries removed, and targets that a
// failed rename had already created removed again), InputError when a path is named twice.
void write_files_atomic(const std::vector<FileOutput>& files);

// A file written piece by piece, for outputs too large to hold (a sweep's rows): the text goes to a
// temporary beside the target as it comes, and the target appears, whole, only when
// write_files_atomic commits it; a StreamedFile destroyed uncommitted removes its temporary (a
// terminating signal does too). For a terminal, a pipe or a device, or with no path, the temporary
// is an unnamed file in the temporary folder, copied to the target on commit or read back.
class StreamedFile {
 public:
  // Creates the temporary for `path`; EnvError (naming the path) when it cannot be created.
  explicit StreamedFile(const std::string& path);
  // An unnamed temporary whose text is read back (read_back) instead of committed.
  StreamedFile();
  ~StreamedFile();
  StreamedFile(const StreamedFile&) = delete;
  StreamedFile& operator=(const StreamedFile&) = delete;

  // Appends `text`; EnvError when the disk fails.
  void write(std::string_view text);
  // Bytes written so far.
  unsigned long long size() const;
  // Drops what was written after the first `size` bytes.
  void truncate(unsigned long long size);
  // Hands the text written, from the start, to `out` in blocks.
  void read_back(const std::function<void(std::string_view)>& out);
  const std::string& path() const;

  struct Impl;  // atomic_file.cpp

 private:
  std::unique_ptr<Impl> impl_;
  friend void write_files_atomic(const std::vector<FileOutput>& files, StreamedFile& streamed);
};

// write_files_atomic with a streamed file as well, committed in the same step (its text is already
// in its temporary): the whole-text files first, then the streamed one. Throws InputError when
// two outputs name the same file.
void write_files_atomic(const std::vector<FileOutput>& files, StreamedFile& streamed);

// Throws InputError "OUTPUT would replace the input 'INPUT'" when an output names the same file
// as one of the inputs (`fit runs.csv --plot runs.csv` must not destroy the data).
void refuse_outputs_over_inputs(const std::vector<std::string>& outputs, const std::vector<std::string>& inputs);

}  // namespace llmcost
