// Reading whole input files and finding the running program's own folder.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace llmcost {

// The whole file at `path`. Throws EnvError "cannot read WHAT 'PATH': REASON" (a folder, a
// missing or unreadable file): the environment's fault, exit code 3. `what` names the kind of
// file ("scenario file"); empty for none.
std::string read_file(const std::string& path, std::string_view what = {});

// True when `a` and `b` name the same file: the same device and inode when both exist (links and
// relative paths included), else the same normalised absolute path.
bool same_file(const std::string& a, const std::string& b);

// The folder of the running executable (from /proc/self/exe), or an empty path when unknown.
std::filesystem::path executable_dir();

}  // namespace llmcost
