#include "errors.h"

#include <cstring>

namespace resfence {

namespace {
std::string errno_text(int err) {
  // strerror() is not thread-safe in theory; the tool is single-threaded.
  return std::strerror(err);  // NOLINT(concurrency-mt-unsafe)
}
}  // namespace

NetlinkError::NetlinkError(int err, std::string extack, ExtackLocation where)
    : std::runtime_error(describe_errno("netlink", err, extack)),
      err_(err),
      extack_(std::move(extack)),
      where_(where) {}

ModuleMissingError::ModuleMissingError()
    : std::runtime_error(R"(resfence module not loaded (genl family "resfence" not found))") {}

CommandError::CommandError(ExitCode code, const std::string& message)
    : std::runtime_error(message), code_(code) {}

std::string describe_errno(const std::string& what, int err, const std::string& extack) {
  std::string s = what + ": " + errno_text(err);
  if (!extack.empty()) s += ": " + extack;
  return s;
}

CommandError command_error(const std::string& what, const NetlinkError& e) {
  return {exit_code_for_errno(e.error()), describe_errno(what, e.error(), e.extack())};
}

std::string format_error_line(const std::string& verb, const std::string& message) {
  return "resfencectl: " + verb + ": " + message;
}

}  // namespace resfence
