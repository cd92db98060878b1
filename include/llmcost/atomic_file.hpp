// Files that appear whole or not at all: written to a temporary file in the same folder, flushed
// to disk, then renamed over the target (rename is atomic within a file system).
#pragma once

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

}  // namespace llmcost
