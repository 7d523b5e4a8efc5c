// fence_resfence: the stdin / command-line parser, the key derivation and
// collision check, and every action's exit code against the fake module.
#include <gtest/gtest.h>

#include <cerrno>

#include "fakes.h"
#include "fence_agent/agent.h"
#include "fence_agent/node_key.h"
#include "fence_agent/params.h"

namespace resfence::agent {
namespace {

using test::Harness;

constexpr uint64_t kKeyA = 0x2e78eac2429231b8ULL;  // derive_node_key("nodeA")
constexpr uint64_t kKeyB = 0x2e78edc2429236d1ULL;  // derive_node_key("nodeB")

// --- parsing ---------------------------------------------------------------

TEST(AgentStdin, NameValueLinesCommentsBlankLinesLastWins) {
  const RawParams raw = parse_stdin(
      "# a comment\n"
      "\n"
      "action=status\n"
      "  plug = nodeA  \n"
      "devices=/dev/sdc\n"
      "action=off\n"
      "pcmk_host_map=ignored\n"
      "nodeid=1\n");
  const Params p = to_params(raw);
  EXPECT_EQ(p.action, Action::kOff);
  EXPECT_EQ(p.plug, "nodeA");
  ASSERT_EQ(p.devices.size(), 1U);
  EXPECT_EQ(p.devices[0], "/dev/sdc");
}

TEST(AgentStdin, CrLfAndNoFinalNewline) {
  const Params p = to_params(parse_stdin("action=on\r\nplug=nodeB\r\ndevices=/dev/sdc"));
  EXPECT_EQ(p.action, Action::kOn);
  EXPECT_EQ(p.plug, "nodeB");
}

TEST(AgentStdin, LineWithoutEqualsIsAnErrorNamingTheLine) {
  try {
    parse_stdin("action=off\nnonsense\n");
    FAIL() << "no error";
  } catch (const ParamError& e) {
    EXPECT_NE(std::string(e.what()).find("line 2"), std::string::npos) << e.what();
  }
  EXPECT_THROW(parse_stdin("=value\n"), ParamError);
}

TEST(AgentStdin, ValueMayContainEquals) {
  EXPECT_EQ(parse_stdin("nodes=a=b\n").at("nodes"), "a=b");
}

TEST(AgentStdin, PortAndNodenameStandInForPlug) {
  Params p = to_params(parse_stdin("port=nodeA\n"));
  EXPECT_EQ(target_of(p), "nodeA");
  p = to_params(parse_stdin("nodename=nodeB\n"));
  EXPECT_EQ(target_of(p), "nodeB");
  p = to_params(parse_stdin("nodename=nodeB\nplug=0xa1\n"));
  EXPECT_EQ(target_of(p), "0xa1");
  p = to_params(parse_stdin("option=status\n"));  // the API's old name of action
  EXPECT_EQ(p.action, Action::kStatus);
}

TEST(AgentCommandLine, FenceScsiSpelling) {
  const Params p = to_params(
      parse_command_line({"-o", "off", "-n", "nodeA", "-d", "/dev/sdc,/dev/sdd", "-k", "0xa1"}));
  EXPECT_EQ(p.action, Action::kOff);
  EXPECT_EQ(p.plug, "nodeA");
  ASSERT_EQ(p.devices.size(), 2U);
  EXPECT_EQ(p.devices[1], "/dev/sdd");
  EXPECT_EQ(p.key, 0xa1U);
}

TEST(AgentCommandLine, LongFormsAttachedValuesAndBooleans) {
  const Params p = to_params(
      parse_command_line({"--action=on", "--plug", "nodeB", "-d/dev/sdc", "--local-node=nodeB",
                          "--pr_type", "ea-ar", "--abort=0", "--interval", "0.5", "-v"}));
  EXPECT_EQ(p.action, Action::kOn);
  EXPECT_EQ(p.local_node, "nodeB");
  EXPECT_EQ(p.pr_type, RESFENCE_PR_EXCLUSIVE_ACCESS_ALL_REGS);
  EXPECT_FALSE(p.abort);
  EXPECT_EQ(p.interval_ms, 500U);
  EXPECT_TRUE(p.verbose);
}

TEST(AgentCommandLine, SameParamsAsStdin) {
  const Params a = to_params(parse_command_line(
      {"-o", "status", "-n", "nodeA", "-d", "/dev/sdc", "--nodes", "nodeA,nodeB"}));
  const Params b =
      to_params(parse_stdin("action=status\nplug=nodeA\ndevices=/dev/sdc\nnodes=nodeA nodeB\n"));
  EXPECT_EQ(a.action, b.action);
  EXPECT_EQ(a.plug, b.plug);
  EXPECT_EQ(a.devices, b.devices);
  EXPECT_EQ(a.nodes, b.nodes);
}

TEST(AgentCommandLine, RefusesUnknownOptionsMissingValuesStrayArguments) {
  EXPECT_THROW(parse_command_line({"--bogus", "1"}), ParamError);
  EXPECT_THROW(parse_command_line({"-Z"}), ParamError);
  EXPECT_THROW(parse_command_line({"-o"}), ParamError);
  EXPECT_THROW(parse_command_line({"off"}), ParamError);
}

TEST(AgentParams, RefusesRebootUnknownActionsAndBadValues) {
  try {
    to_params(parse_stdin("action=reboot\n"));
    FAIL() << "reboot accepted";
  } catch (const ParamError& e) {
    EXPECT_NE(std::string(e.what()).find("reboot"), std::string::npos);
  }
  EXPECT_THROW(to_params(parse_stdin("action=list\n")), ParamError);
  EXPECT_THROW(to_params(parse_stdin("key=0xzz\n")), ParamError);
  EXPECT_THROW(to_params(parse_stdin("key=0\n")), ParamError);
  EXPECT_THROW(to_params(parse_stdin("pr_type=wero\n")), ParamError);
  EXPECT_THROW(to_params(parse_stdin("abort=maybe\n")), ParamError);
  EXPECT_THROW(to_params(parse_stdin("interval=0.01\n")), ParamError);
  EXPECT_THROW(to_params(parse_stdin("devices=,\n")), ParamError);
}

TEST(AgentParams, Defaults) {
  const Params p = to_params({});
  EXPECT_EQ(p.action, Action::kOff);
  EXPECT_EQ(p.pr_type, RESFENCE_PR_WRITE_EXCLUSIVE_ALL_REGS);
  EXPECT_TRUE(p.abort);
  EXPECT_FALSE(target_of(p));
}

// --- keys -------------------------------------------------------------------

TEST(AgentKeys, DerivationIsPinnedAndIgnoresCase) {
  EXPECT_EQ(derive_node_key("nodeA"), kKeyA);
  EXPECT_EQ(derive_node_key("NODEA"), kKeyA);
  EXPECT_EQ(derive_node_key("nodeB"), kKeyB);
  EXPECT_THROW(derive_node_key(""), ParamError);
}

TEST(AgentKeys, HexPlugIsAKey) {
  EXPECT_EQ(key_of_target("0xa1"), 0xa1U);
  EXPECT_EQ(key_of_target("161"), derive_node_key("161"));  // a name, not a key
  EXPECT_THROW(key_of_target("0xnope"), ParamError);
}

TEST(AgentKeys, KeyParameterOverridesTheTarget) {
  Params p;
  p.plug = "nodeA";
  EXPECT_EQ(target_key(p), kKeyA);
  p.key = 0x42;
  EXPECT_EQ(target_key(p), 0x42U);
  EXPECT_THROW(target_key(Params{}), ParamError);
}

TEST(AgentKeys, CollisionBetweenANameAndAMappedKeyIsRefused) {
  Params p;
  p.nodes = {"nodeA", "nodeB"};
  p.plug = "0x2e78eac2429231b8";  // nodeA's derived key, given for another node
  try {
    check_collisions(p, "nodeB");
    FAIL() << "collision not found";
  } catch (const ParamError& e) {
    EXPECT_NE(std::string(e.what()).find("same key"), std::string::npos) << e.what();
  }
  p.plug = "nodeA";
  EXPECT_EQ(check_collisions(p, "NodeB").size(), 2U);  // names equal without case: one node
}

// --- actions ----------------------------------------------------------------

struct AgentHarness : Harness {
  int agent(const std::string& input, const std::string& host = "nodeB") {
    Context ctx = context();
    return agent_main({}, input, host, ctx);
  }
  void verified(std::vector<uint64_t> keys, std::optional<uint64_t> holder) {
    module.keys_replies.push_back({{8, 32}, 2, std::move(keys)});
    module.reservation_replies.push_back(
        {{8, 32}, 2, holder, RESFENCE_PR_WRITE_EXCLUSIVE_ALL_REGS});
  }
};

TEST(AgentOff, PreemptsAndAbortsThenVerifies) {
  AgentHarness h;
  h.verified({kKeyB}, 0);
  EXPECT_EQ(h.agent("action=off\nplug=nodeA\ndevices=/dev/sdc\n"), kExitOk) << h.err.str();
  ASSERT_EQ(h.module.preempts.size(), 1U);
  const HoldRequest& r = h.module.preempts[0];
  EXPECT_EQ(r.key, kKeyB);  // this node's key, from uname
  EXPECT_EQ(r.victim_key, kKeyA);
  EXPECT_TRUE(r.abort);
  EXPECT_EQ(r.mode, RESFENCE_MODE_PR);
  EXPECT_NE(h.out.str().find("verified"), std::string::npos) << h.out.str();
}

TEST(AgentOff, VerboseNamesBothKeys) {
  AgentHarness h;
  h.verified({kKeyB}, 0);
  EXPECT_EQ(h.agent("action=off\nplug=nodeA\ndevices=/dev/sdc\nverbose=1\n"), kExitOk);
  EXPECT_NE(h.out.str().find("target nodeA: key 0x2e78eac2429231b8; this node 'nodeB': key "
                             "0x2e78edc2429236d1"),
            std::string::npos)
      << h.out.str();
}

TEST(AgentOff, KeyStillRegisteredFails) {
  AgentHarness h;
  h.verified({kKeyA, kKeyB}, 0);
  EXPECT_EQ(h.agent("action=off\nplug=nodeA\ndevices=/dev/sdc\n"), kExitError);
  EXPECT_NE(h.err.str().find("still registered"), std::string::npos) << h.err.str();
  EXPECT_NE(h.err.str().find("NOT fenced"), std::string::npos) << h.err.str();
}

TEST(AgentOff, NoReservationAfterwardsFails) {
  AgentHarness h;
  h.verified({kKeyB}, std::nullopt);
  EXPECT_EQ(h.agent("action=off\nplug=nodeA\ndevices=/dev/sdc\n"), kExitError);
  EXPECT_NE(h.err.str().find("no reservation"), std::string::npos) << h.err.str();
}

TEST(AgentOff, FallsBackToPlainPreemptWhenAbortIsRefused) {
  AgentHarness h;
  h.module.preempt_error = NetlinkError(EOPNOTSUPP, "device rejected PREEMPT AND ABORT");
  h.verified({kKeyB}, 0);
  // The fake keeps failing: the retry fails too, with the same error, so
  // the fence fails, and the second request was a plain PREEMPT.
  EXPECT_EQ(h.agent("action=off\nplug=nodeA\ndevices=/dev/sdc\n"), kExitError);
  ASSERT_EQ(h.module.preempts.size(), 2U);
  EXPECT_TRUE(h.module.preempts[0].abort);
  EXPECT_FALSE(h.module.preempts[1].abort);
}

TEST(AgentOff, AbortOffSendsPlainPreempt) {
  AgentHarness h;
  h.verified({kKeyB}, 0);
  EXPECT_EQ(h.agent("action=off\nplug=nodeA\ndevices=/dev/sdc\nabort=0\n"), kExitOk);
  ASSERT_EQ(h.module.preempts.size(), 1U);
  EXPECT_FALSE(h.module.preempts[0].abort);
}

// A node that was unfenced holds the device already: PREEMPT is refused
// (EEXIST) and the victim is removed through the hold with EVICT.
TEST(AgentOff, DeviceHeldByThisNodeEvictsThroughTheHold) {
  AgentHarness h;
  h.module.preempt_error = NetlinkError(EEXIST, "device already held by this node");
  DeviceInfo held;
  held.dev = {8, 32};
  held.mode = RESFENCE_MODE_PR;
  held.key = kKeyB;
  h.module.devices.push_back(held);
  h.verified({kKeyB}, 0);
  EXPECT_EQ(h.agent("action=off\nplug=nodeA\ndevices=/dev/sdc\n"), kExitOk) << h.err.str();
  ASSERT_EQ(h.module.evicts.size(), 1U);
  EXPECT_EQ(h.module.evicts[0].victim_key, kKeyA);
  EXPECT_TRUE(h.module.evicts[0].abort);
  EXPECT_NE(h.out.str().find("through this node's own hold, verified"), std::string::npos)
      << h.out.str();
}

TEST(AgentOff, EvictWithoutAbortSupportRetriesPlainThroughTheHold) {
  AgentHarness h;
  h.module.preempt_error = NetlinkError(EEXIST, "device already held by this node");
  h.module.evict_error = NetlinkError(EOPNOTSUPP, "device rejected PREEMPT AND ABORT");
  h.verified({kKeyB}, 0);
  EXPECT_EQ(h.agent("action=off\nplug=nodeA\ndevices=/dev/sdc\n"), kExitError);
  // One PREEMPT (refused: held), then EVICT with abort and again without.
  EXPECT_EQ(h.module.preempts.size(), 1U);
  ASSERT_EQ(h.module.evicts.size(), 2U);
  EXPECT_TRUE(h.module.evicts[0].abort);
  EXPECT_FALSE(h.module.evicts[1].abort);
}

TEST(AgentOff, EvictRefusedFailsTheFence) {
  AgentHarness h;
  h.module.preempt_error = NetlinkError(EEXIST, "device already held by this node");
  h.module.evict_error =
      NetlinkError(EINVAL, "the device is held in scsi2 mode: SCSI-2 has no keys to preempt");
  EXPECT_EQ(h.agent("action=off\nplug=nodeA\ndevices=/dev/sdc\n"), kExitError);
  EXPECT_NE(h.err.str().find("scsi2 mode"), std::string::npos) << h.err.str();
}

TEST(AgentOff, VictimNotRegisteredButShutOutIsAlreadyFenced) {
  AgentHarness h;
  h.module.preempt_error = NetlinkError(ESRCH, "preempt refused: the victim key is not registered");
  h.verified({0xc1}, 0xc1);
  EXPECT_EQ(h.agent("action=off\nplug=nodeA\ndevices=/dev/sdc\n"), kExitOk) << h.err.str();
  EXPECT_NE(h.out.str().find("already fenced"), std::string::npos) << h.out.str();
}

TEST(AgentOff, ModuleRefusalFails) {
  AgentHarness h;
  h.module.preempt_error = NetlinkError(ETIMEDOUT, "command timed out");
  EXPECT_EQ(h.agent("action=off\nplug=nodeA\ndevices=/dev/sdc\n"), kExitError);
  EXPECT_NE(h.err.str().find("timed out"), std::string::npos) << h.err.str();
}

TEST(AgentOff, OneFailingDeviceFailsTheFence) {
  AgentHarness h;
  h.verified({kKeyB}, 0);
  EXPECT_EQ(h.agent("action=off\nplug=nodeA\ndevices=/dev/sdc,/dev/sdx\n"), kExitError);
  EXPECT_NE(h.err.str().find("/dev/sdx"), std::string::npos) << h.err.str();
  EXPECT_NE(h.err.str().find("1 of 2 devices"), std::string::npos) << h.err.str();
  EXPECT_EQ(h.module.preempts.size(), 1U);  // /dev/sdc was still fenced
}

TEST(AgentOff, ModuleMissingFails) {
  AgentHarness h;
  h.module_loaded = false;
  EXPECT_EQ(h.agent("action=off\nplug=nodeA\ndevices=/dev/sdc\n"), kExitError);
  EXPECT_NE(h.err.str().find("not loaded"), std::string::npos) << h.err.str();
}

TEST(AgentOff, RefusesToFenceItsOwnKeyAndNeedsDevicesAndATarget) {
  AgentHarness h;
  EXPECT_EQ(h.agent("action=off\nplug=nodeB\ndevices=/dev/sdc\n"), kExitError);
  EXPECT_NE(h.err.str().find("own"), std::string::npos) << h.err.str();
  EXPECT_EQ(h.agent("action=off\nplug=nodeA\n"), kExitError);
  EXPECT_EQ(h.agent("action=off\ndevices=/dev/sdc\n"), kExitError);
  EXPECT_TRUE(h.module.preempts.empty());
}

TEST(AgentOff, LocalNodeParameterOverridesUname) {
  AgentHarness h;
  h.verified({}, 0xc1);
  EXPECT_EQ(h.agent("action=off\nplug=nodeA\ndevices=/dev/sdc\nlocal_node=nodeC\n"), kExitOk);
  EXPECT_EQ(h.module.preempts.at(0).key, derive_node_key("nodeC"));
}

// A dm-multipath map: registered through every path (one request naming
// them), verified through a path; a bare path of a map, and the types only
// the reserving path could write with, refused before anything is sent.
TEST(AgentMultipath, OffAndOnGoThroughEveryPathOfAMap) {
  AgentHarness h;
  h.verified({kKeyB, kKeyB}, 0);
  EXPECT_EQ(h.agent("action=off\nplug=nodeA\ndevices=/dev/mapper/mpatha\n"), kExitOk)
      << h.err.str();
  ASSERT_EQ(h.module.preempts.size(), 1U);
  EXPECT_EQ(h.module.preempts[0].dev, (DeviceId{254, 0}));
  EXPECT_EQ(h.module.preempts[0].paths, (std::vector<DeviceId>{{8, 48}, {8, 64}}));
  EXPECT_EQ(h.module.preempts[0].victim_key, kKeyA);
  ASSERT_FALSE(h.module.read_devs.empty());
  EXPECT_EQ(h.module.read_devs[0], (DeviceId{8, 48}));

  AgentHarness on;
  EXPECT_EQ(on.agent("action=on\nplug=nodeB\ndevices=/dev/mapper/mpatha\n"), kExitOk)
      << on.err.str();
  ASSERT_EQ(on.module.holds.size(), 1U);
  EXPECT_EQ(on.module.holds[0].paths, (std::vector<DeviceId>{{8, 48}, {8, 64}}));
  EXPECT_EQ(on.module.holds[0].pr_type, RESFENCE_PR_WRITE_EXCLUSIVE_ALL_REGS);
}

TEST(AgentMultipath, StatusReadsAroundAFailedPath) {
  AgentHarness h;
  h.module.read_error_dev = DeviceId{8, 48};
  h.module.keys_replies.push_back({{8, 64}, 2, {kKeyA}});
  EXPECT_EQ(h.agent("action=status\nplug=nodeA\ndevices=/dev/mapper/mpatha\n"), kExitOk)
      << h.err.str();
  EXPECT_NE(h.out.str().find("Status: ON"), std::string::npos) << h.out.str();
}

TEST(AgentMultipath, BarePathAndSinglePathTypesAreRefused) {
  for (const char* action : {"off\nplug=nodeA", "on\nplug=nodeB", "validate-all"}) {
    AgentHarness h;
    EXPECT_EQ(h.agent(std::string("action=") + action + "\ndevices=/dev/sdd\n"), kExitError)
        << action;
    EXPECT_NE(h.err.str().find("hold the map, /dev/mapper/mpatha"), std::string::npos)
        << h.err.str();
    for (const char* type : {"we", "ea"}) {
      AgentHarness t;
      EXPECT_EQ(t.agent(std::string("action=") + action +
                        "\ndevices=/dev/mapper/mpatha\npr_type=" + type + "\n"),
                kExitError)
          << action << " " << type;
      EXPECT_NE(t.err.str().find("lets only the reserving path write"), std::string::npos)
          << t.err.str();
      EXPECT_TRUE(t.module.holds.empty() && t.module.preempts.empty() && t.module.evicts.empty());
    }
    EXPECT_TRUE(h.module.holds.empty() && h.module.preempts.empty() && h.module.evicts.empty());
  }
}

TEST(AgentOn, HoldsWithTheTargetsKey) {
  AgentHarness h;
  EXPECT_EQ(h.agent("action=on\nplug=nodeB\ndevices=/dev/sdc\ninterval=0.5\n"), kExitOk)
      << h.err.str();
  ASSERT_EQ(h.module.holds.size(), 1U);
  EXPECT_EQ(h.module.holds[0].key, kKeyB);
  EXPECT_EQ(h.module.holds[0].pr_type, RESFENCE_PR_WRITE_EXCLUSIVE_ALL_REGS);
  EXPECT_EQ(h.module.holds[0].interval_ms, 500U);
}

TEST(AgentOn, AlreadyHeldWithTheSameKeyIsSuccess) {
  AgentHarness h;
  h.module.hold_error = NetlinkError(EEXIST, "device already held by this node");
  DeviceInfo d;
  d.dev = {8, 32};
  d.key = kKeyB;
  h.module.devices.push_back(d);
  EXPECT_EQ(h.agent("action=on\nplug=nodeB\ndevices=/dev/sdc\n"), kExitOk) << h.err.str();
  h.module.devices[0].key = 0x99;
  EXPECT_EQ(h.agent("action=on\nplug=nodeB\ndevices=/dev/sdc\n"), kExitError);
}

TEST(AgentOn, RefusesAnotherNodesName) {
  AgentHarness h;
  EXPECT_EQ(h.agent("action=on\nplug=nodeA\ndevices=/dev/sdc\n"), kExitError);
  EXPECT_NE(h.err.str().find("runs on the target itself"), std::string::npos) << h.err.str();
  EXPECT_TRUE(h.module.holds.empty());
}

TEST(AgentOn, HoldRefusedFails) {
  AgentHarness h;
  h.module.hold_error = NetlinkError(EBUSY, "reservation held by another node");
  EXPECT_EQ(h.agent("action=on\nplug=nodeB\ndevices=/dev/sdc\n"), kExitError);
}

TEST(AgentStatus, OnOffAndError) {
  AgentHarness h;
  h.module.keys_replies.push_back({{8, 32}, 1, {kKeyA}});
  EXPECT_EQ(h.agent("action=status\nplug=nodeA\ndevices=/dev/sdc\n"), kExitOk);
  EXPECT_NE(h.out.str().find("Status: ON"), std::string::npos);
  h.module.keys_replies = {{{8, 32}, 1, {kKeyB}}};
  EXPECT_EQ(h.agent("action=status\nplug=nodeA\ndevices=/dev/sdc\n"), kExitStatusOff);
  EXPECT_NE(h.out.str().find("Status: OFF"), std::string::npos);
  h.module.keys_replies.clear();  // READ_KEYS fails
  EXPECT_EQ(h.agent("action=status\nplug=nodeA\ndevices=/dev/sdc\n"), kExitError);
  EXPECT_EQ(h.agent("action=status\nplug=nodeA\ndevices=/dev/sdx\n"), kExitError);
}

TEST(AgentMonitor, DevicesReadableOrNot) {
  AgentHarness h;
  h.module.keys_replies.push_back({{8, 32}, 1, {}});
  EXPECT_EQ(h.agent("action=monitor\ndevices=/dev/sdc\n"), kExitOk);
  EXPECT_EQ(h.agent("action=status\ndevices=/dev/sdc\n"), kExitOk);  // no target: monitor
  EXPECT_EQ(h.agent("action=monitor\ndevices=/dev/sdc,/dev/sdx\n"), kExitError);
  EXPECT_EQ(h.agent("action=monitor\n"), kExitError);
  h.module_loaded = false;
  EXPECT_EQ(h.agent("action=monitor\ndevices=/dev/sdc\n"), kExitError);
}

TEST(AgentMetadata, EveryParameterAndAction) {
  AgentHarness h;
  EXPECT_EQ(h.agent("action=metadata\n"), kExitOk);
  const std::string x = h.out.str();
  for (const char* name :
       {"action", "plug", "port", "nodename", "devices", "key", "nodes", "local_node", "pr_type",
        "abort", "interval", "verbose", "help", "version"})
    EXPECT_NE(x.find("<parameter name=\"" + std::string(name) + "\""), std::string::npos) << name;
  for (const char* a : {"on", "off", "status", "monitor", "metadata", "validate-all"})
    EXPECT_NE(x.find("<action name=\"" + std::string(a) + "\""), std::string::npos) << a;
  EXPECT_NE(x.find(R"(<action name="on" on_target="1" automatic="1" />)"), std::string::npos);
  EXPECT_EQ(x.find("reboot\""), std::string::npos);
  EXPECT_TRUE(h.module.calls.empty());  // no module needed
}

TEST(AgentValidateAll, DevicesAndCollisions) {
  AgentHarness h;
  EXPECT_EQ(h.agent("action=validate-all\ndevices=/dev/sdc\nnodes=nodeA,nodeB\n"), kExitOk)
      << h.err.str();
  EXPECT_EQ(h.agent("action=validate-all\ndevices=/dev/sdx\n"), kExitError);
  EXPECT_EQ(h.agent("action=validate-all\n"), kExitError);
  EXPECT_EQ(h.agent("action=validate-all\ndevices=/dev/sdc\nnodes=nodeA,0x2e78eac2429231b8\n"),
            kExitError);
  EXPECT_TRUE(h.module.calls.empty());
}

TEST(AgentMain, BadInputIsExitOneWithAMessage) {
  AgentHarness h;
  EXPECT_EQ(h.agent("action=reboot\nplug=nodeA\n"), kExitError);
  EXPECT_NE(h.err.str().find("fence_resfence: action 'reboot'"), std::string::npos) << h.err.str();
  Context ctx = h.context();
  EXPECT_EQ(agent_main({"--bogus"}, "", "nodeB", ctx), kExitError);
  EXPECT_EQ(agent_main({"-h"}, "", "nodeB", ctx), kExitOk);
  EXPECT_NE(h.out.str().find("Usage: fence_resfence"), std::string::npos);
  EXPECT_EQ(agent_main({"-o", "metadata"}, "", "nodeB", ctx), kExitOk);
}

}  // namespace
}  // namespace resfence::agent
