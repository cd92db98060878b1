// Files that appear whole or not at all: written to a temporary file in the same folder, flushed
// to disk, then renamed over the target (rename is atomic within a file system).
#pragma once

#include <string>
#include <string_view>

namespace llmcost {

// Writes `text` to `path` atomically. Throws EnvError (naming the path) when the folder is not
// writable or the disk fails; no temporary file is left behind.
void write_file_atomic(const std::string& path, std::string_view text);

}  // namespace llmcost
