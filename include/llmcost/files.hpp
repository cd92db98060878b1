// Reading whole input files and finding the running program's own folder.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

namespace llmcost {

// The largest input file llmcost reads (catalog, scenario, config, calibration and CSV files are
// kilobytes to a few megabytes; a gigabyte file is a mistake, not data).
inline constexpr size_t kMaxInputBytes = size_t{64} << 20;

// The whole file at `path`. Throws EnvError "cannot read WHAT 'PATH': REASON" for a folder, a
// missing or unreadable file, or one that is not a regular file (a pipe would block, a device like
// /dev/zero never ends): the environment's fault, exit code 3. InputError for a file over
// kMaxInputBytes. `what` names the kind of file ("scenario file"); empty for none.
std::string read_file(const std::string& path, std::string_view what = {});

// True when `a` and `b` name the same file: the same device and inode when both exist (links and
// relative paths included), else the same normalised absolute path.
bool same_file(const std::string& a, const std::string& b);

// The folder of the running executable (from /proc/self/exe), or an empty path when unknown.
std::filesystem::path executable_dir();

}  // namespace llmcost
