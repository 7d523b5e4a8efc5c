// resfencectl defaults: option parsing, the SET_DEFAULTS request it sends,
// its output, and its errors, against the fake module.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli.h"
#include "fakes.h"
#include "netlink/messages.h"

namespace resfence {
namespace {

using test::Harness;

DefaultsOptions parse_defaults(const std::vector<std::string>& args) {
  Invocation inv = parse_command_line(args);
  EXPECT_EQ(inv.verb, "defaults");
  return std::get<DefaultsOptions>(inv.options);
}

TEST(DefaultsParse, NoOptionsSetsNothing) {
  const DefaultsOptions o = parse_defaults({"defaults"});
  EXPECT_FALSE(o.interval_ms);
  EXPECT_FALSE(o.lease_ms);
  EXPECT_FALSE(o.lease_auto);
  EXPECT_FALSE(o.action);
  EXPECT_FALSE(o.mode);
  EXPECT_FALSE(o.json);
}

TEST(DefaultsParse, EveryOption) {
  const DefaultsOptions o = parse_defaults({"defaults", "--interval", "0.5", "--lease", "3",
                                            "--action", "log", "--mode", "scsi2", "--json"});
  EXPECT_EQ(o.interval_ms, 500U);
  EXPECT_EQ(o.lease_ms, 3000U);
  EXPECT_FALSE(o.lease_auto);
  EXPECT_EQ(o.action, RESFENCE_ACTION_LOG);
  EXPECT_EQ(o.mode, RESFENCE_MODE_SCSI2);
  EXPECT_TRUE(o.json);
}

TEST(DefaultsParse, LeaseAutoAndLeaseOff) {
  const DefaultsOptions a = parse_defaults({"defaults", "--lease", "auto"});
  EXPECT_TRUE(a.lease_auto);
  EXPECT_FALSE(a.lease_ms);
  const DefaultsOptions off = parse_defaults({"defaults", "--lease", "0"});
  EXPECT_FALSE(off.lease_auto);
  EXPECT_EQ(off.lease_ms, 0U);
}

TEST(DefaultsParse, BadValuesAreUsageErrors) {
  const std::vector<std::vector<std::string>> bad = {
      {"defaults", "--interval", "0"},    {"defaults", "--interval", "3601"},
      {"defaults", "--interval", "auto"}, {"defaults", "--lease", "sometimes"},
      {"defaults", "--lease", "0.05"},    {"defaults", "--lease", "-1"},
      {"defaults", "--action", "reboot"}, {"defaults", "--mode", "scsi3"},
      {"defaults", "/dev/sdc"},           {"defaults", "--key", "1"},
  };
  for (const auto& args : bad) {
    std::string joined;
    for (const auto& a : args) joined += a + " ";
    Harness h;
    EXPECT_EQ(h.run(args), 2) << joined;
    EXPECT_EQ(h.err.str().rfind("resfencectl: defaults: ", 0), 0U) << joined << h.err.str();
    EXPECT_TRUE(h.module.calls.empty()) << joined;
  }
}

TEST(Defaults, NoOptionsShowsTheDefaultsAndChangesNothing) {
  Harness h;
  EXPECT_EQ(h.run({"defaults"}), 0) << h.err.str();
  EXPECT_EQ(h.module.calls, (std::vector<std::string>{"get_info"}));
  EXPECT_EQ(h.out.str(),
            "defaults: mode pr, interval 2 s, lease 4 s (2 x interval), action restart\n");
}

TEST(Defaults, JsonIsTheDefaultsObjectOfStatus) {
  Harness h;
  EXPECT_EQ(h.run({"defaults", "--json"}), 0) << h.err.str();
  const auto j = nlohmann::ordered_json::parse(h.out.str());
  EXPECT_EQ(j, nlohmann::ordered_json::parse(R"({
    "mode": "pr", "interval_ms": 2000, "lease_ms": 4000, "lease_auto": true, "action": "restart"
  })"));
  Harness s;
  ASSERT_EQ(s.run({"status", "--json"}), 0);
  EXPECT_EQ(nlohmann::ordered_json::parse(s.out.str()).at("module").at("defaults"), j);
}

TEST(Defaults, SetsOnlyWhatIsGivenThenShowsTheResult) {
  Harness h;
  EXPECT_EQ(h.run({"defaults", "--interval", "0.5", "--action", "log", "--mode", "scsi2"}), 0)
      << h.err.str();
  EXPECT_EQ(h.module.calls, (std::vector<std::string>{"set_defaults", "get_info"}));
  ASSERT_EQ(h.module.defaults_requests.size(), 1U);
  DefaultsRequest want;
  want.interval_ms = 500;
  want.action = RESFENCE_ACTION_LOG;
  want.mode = RESFENCE_MODE_SCSI2;
  EXPECT_EQ(h.module.defaults_requests[0], want);
  EXPECT_EQ(h.out.str(),
            "defaults: mode scsi2, interval 0.5 s, lease 1 s (2 x interval), action log\n");
}

TEST(Defaults, FixedLeaseThenAutoAgain) {
  Harness h;
  EXPECT_EQ(h.run({"defaults", "--lease", "10", "--json"}), 0) << h.err.str();
  EXPECT_EQ(h.module.defaults_requests.back().lease_ms, 10000U);
  EXPECT_FALSE(h.module.defaults_requests.back().lease_auto);
  const auto fixed = nlohmann::ordered_json::parse(h.out.str());
  EXPECT_EQ(fixed.at("lease_ms"), 10000);
  EXPECT_EQ(fixed.at("lease_auto"), false);

  h.out.str("");
  EXPECT_EQ(h.run({"defaults", "--lease", "auto"}), 0) << h.err.str();
  EXPECT_TRUE(h.module.defaults_requests.back().lease_auto);
  EXPECT_FALSE(h.module.defaults_requests.back().lease_ms);
  EXPECT_EQ(h.out.str(),
            "defaults: mode pr, interval 2 s, lease 4 s (2 x interval), action restart\n");
}

TEST(Defaults, LeaseNotLongerThanTheGivenIntervalIsRefusedBeforeAsking) {
  Harness h;
  EXPECT_EQ(h.run({"defaults", "--interval", "2", "--lease", "2"}), 2);
  EXPECT_EQ(h.err.str(),
            "resfencectl: defaults: --lease must be longer than --interval (or 0, or auto)\n");
  EXPECT_TRUE(h.module.calls.empty());
  // 0 (no lease) and auto always fit.
  Harness off;
  EXPECT_EQ(off.run({"defaults", "--interval", "2", "--lease", "0"}), 0) << off.err.str();
  Harness aut;
  EXPECT_EQ(aut.run({"defaults", "--interval", "2", "--lease", "auto"}), 0) << aut.err.str();
}

TEST(Defaults, KernelRefusalShowsItsMessage) {
  Harness h;
  h.module.defaults_error =
      NetlinkError(ERANGE, "lease_ms must be 0 (no lease) or longer than interval_ms");
  EXPECT_EQ(h.run({"defaults", "--lease", "1"}), 1);
  EXPECT_EQ(h.err.str(),
            "resfencectl: defaults: cannot set the defaults: Numerical result out of range: "
            "lease_ms must be 0 (no lease) or longer than interval_ms\n");
  EXPECT_TRUE(h.out.str().empty());
  EXPECT_EQ(h.module.calls, (std::vector<std::string>{"set_defaults"}));
}

TEST(Defaults, PermissionDeniedAndModuleMissing) {
  Harness h;
  h.module.defaults_error = NetlinkError(EPERM, "");
  EXPECT_EQ(h.run({"defaults", "--interval", "1"}), 7);
  Harness m;
  m.module_loaded = false;
  EXPECT_EQ(m.run({"defaults"}), 6);
  EXPECT_EQ(m.err.str(),
            "resfencectl: defaults: resfence module not loaded (genl family \"resfence\" not "
            "found)\n");
}

TEST(DefaultsMessages, SetDefaultsCarriesOnlyWhatIsSet) {
  DefaultsRequest r;
  r.interval_ms = 750;
  r.lease_auto = true;
  r.mode = RESFENCE_MODE_PR;
  nl::Msg m = nl::build_set_defaults(0x20, r);
  nlmsghdr* h = nlmsg_hdr(m.get());
  EXPECT_EQ(nl::genl_command(h), RESFENCE_CMD_SET_DEFAULTS);
  EXPECT_EQ(nl::parse_defaults_request(h), r);

  DefaultsRequest fixed;
  fixed.lease_ms = 0;
  fixed.action = RESFENCE_ACTION_PANIC;
  nl::Msg m2 = nl::build_set_defaults(0x20, fixed);
  EXPECT_EQ(nl::parse_defaults_request(nlmsg_hdr(m2.get())), fixed);
}

}  // namespace
}  // namespace resfence
