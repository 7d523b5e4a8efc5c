#include "exit_codes.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <set>

#include "errors.h"

namespace resfence {
namespace {

TEST(ExitCodes, NumbersAreTheDocumentedAbi) {
  // resfencectl(8) lists these numbers; scripts depend on them.
  EXPECT_EQ(to_int(ExitCode::kOk), 0);
  EXPECT_EQ(to_int(ExitCode::kFailure), 1);
  EXPECT_EQ(to_int(ExitCode::kUsage), 2);
  EXPECT_EQ(to_int(ExitCode::kDevice), 3);
  EXPECT_EQ(to_int(ExitCode::kHeldElsewhere), 4);
  EXPECT_EQ(to_int(ExitCode::kMasterAlive), 5);
  EXPECT_EQ(to_int(ExitCode::kModuleMissing), 6);
  EXPECT_EQ(to_int(ExitCode::kPermission), 7);
  EXPECT_EQ(to_int(ExitCode::kNotHeld), 8);
  EXPECT_EQ(to_int(ExitCode::kUnsupported), 9);
  EXPECT_EQ(to_int(ExitCode::kInterrupted), 10);
  EXPECT_EQ(to_int(ExitCode::kFenceUnacknowledged), 11);
}

TEST(ExitCodes, NamesAreDistinct) {
  std::set<std::string_view> names;
  for (int i = 0; i <= 11; ++i) names.insert(exit_code_name(static_cast<ExitCode>(i)));
  EXPECT_EQ(names.size(), 12U);
  EXPECT_EQ(exit_code_name(ExitCode::kFenceUnacknowledged), "fence-unacknowledged");
  EXPECT_EQ(exit_code_name(ExitCode::kHeldElsewhere), "held-elsewhere");
}

TEST(ExitCodes, ErrnoMapping) {
  EXPECT_EQ(exit_code_for_errno(EPERM), ExitCode::kPermission);
  EXPECT_EQ(exit_code_for_errno(EACCES), ExitCode::kPermission);
  EXPECT_EQ(exit_code_for_errno(EBUSY), ExitCode::kHeldElsewhere);
  EXPECT_EQ(exit_code_for_errno(ENODEV), ExitCode::kDevice);
  EXPECT_EQ(exit_code_for_errno(ENOTBLK), ExitCode::kDevice);
  EXPECT_EQ(exit_code_for_errno(ENXIO), ExitCode::kDevice);
  EXPECT_EQ(exit_code_for_errno(ENOENT), ExitCode::kNotHeld);
  EXPECT_EQ(exit_code_for_errno(EOPNOTSUPP), ExitCode::kUnsupported);
  EXPECT_EQ(exit_code_for_errno(EINTR), ExitCode::kInterrupted);
  // Everything else the module returns is a plain failure with its message:
  // EINVAL/ERANGE (bad attribute), EEXIST (already held by this node), ESRCH
  // (preempt victim not registered), EALREADY (hold or release in progress),
  // ETIMEDOUT, EIO.
  EXPECT_EQ(exit_code_for_errno(EEXIST), ExitCode::kFailure);
  EXPECT_EQ(exit_code_for_errno(EINVAL), ExitCode::kFailure);
  EXPECT_EQ(exit_code_for_errno(ERANGE), ExitCode::kFailure);
  EXPECT_EQ(exit_code_for_errno(ESRCH), ExitCode::kFailure);
  EXPECT_EQ(exit_code_for_errno(EALREADY), ExitCode::kFailure);
  EXPECT_EQ(exit_code_for_errno(ETIMEDOUT), ExitCode::kFailure);
  EXPECT_EQ(exit_code_for_errno(EIO), ExitCode::kFailure);
  EXPECT_EQ(exit_code_for_errno(0), ExitCode::kFailure);
}

TEST(Errors, KernelFailureShowsErrnoAndExtack) {
  const CommandError e =
      command_error("/dev/sdc", NetlinkError(EINVAL, "interval must be between 100 ms and 3600 s"));
  EXPECT_EQ(e.code(), ExitCode::kFailure);
  EXPECT_EQ(format_error_line("hold", e.what()),
            "resfencectl: hold: /dev/sdc: Invalid argument: interval must be between 100 ms "
            "and 3600 s");
}

TEST(Errors, KernelFailureWithoutExtack) {
  const CommandError e = command_error("/dev/sdc", NetlinkError(EBUSY, ""));
  EXPECT_EQ(e.code(), ExitCode::kHeldElsewhere);
  EXPECT_STREQ(e.what(), "/dev/sdc: Device or resource busy");
}

TEST(Errors, ModuleMissingMessage) {
  EXPECT_EQ(
      format_error_line("status", ModuleMissingError().what()),
      R"(resfencectl: status: resfence module not loaded (genl family "resfence" not found))");
}

}  // namespace
}  // namespace resfence
