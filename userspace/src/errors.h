// Exceptions that carry an exit code up to main(), which prints
// "resfencectl: <verb>: <message>" and exits with the code.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

#include "exit_codes.h"

namespace resfence {

// Where an extended ACK points in the request: the offending attribute's
// byte offset from the request's nlmsghdr, or the type of a missing one.
struct ExtackLocation {
  std::optional<uint32_t> bad_attr_offset;
  std::optional<uint32_t> missing_attr;
};

// A failed netlink request: the kernel's errno (positive) and its extended-ACK text.
class NetlinkError : public std::runtime_error {
 public:
  NetlinkError(int err, std::string extack, ExtackLocation where = {});
  [[nodiscard]] int error() const { return err_; }
  [[nodiscard]] const std::string& extack() const { return extack_; }
  [[nodiscard]] const ExtackLocation& where() const { return where_; }

 private:
  int err_;
  std::string extack_;
  ExtackLocation where_;
};

// genl_ctrl_resolve() found no family "resfence".
class ModuleMissingError : public std::runtime_error {
 public:
  ModuleMissingError();
};

// What a command reports to the operator. The message excludes the
// "resfencectl: <verb>: " prefix, which main() adds.
class CommandError : public std::runtime_error {
 public:
  CommandError(ExitCode code, const std::string& message);
  [[nodiscard]] ExitCode code() const { return code_; }

 private:
  ExitCode code_;
};

// "<what>: <strerror>[: <extack>]", the shape every kernel failure is shown in.
std::string describe_errno(const std::string& what, int err, const std::string& extack = {});

// A CommandError for a failed request about `what` (a device path, usually):
// exit code from the errno, message from describe_errno().
CommandError command_error(const std::string& what, const NetlinkError& e);

// The line main() prints for an error: "resfencectl: <verb>: <message>".
std::string format_error_line(const std::string& verb, const std::string& message);

}  // namespace resfence
