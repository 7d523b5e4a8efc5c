// fence_resfence's metadata (what `-o metadata` prints and Pacemaker reads)
// and its -h text. Kept in one place with the parameter table.
#include <algorithm>
#include <array>
#include <sstream>
#include <string>
#include <string_view>

#include "fence_agent/agent.h"

namespace resfence::agent {

namespace {

struct ParamDoc {
  std::string_view name;
  std::string_view getopt;
  std::string_view type;  // boolean, string, second, integer, select
  std::string_view default_value;
  std::string_view extra;  // ' deprecated="1"' / ' obsoletes="port"'
  bool required;
  std::string_view shortdesc;
};

constexpr auto kParams = std::to_array<ParamDoc>({
    {"action", "-o, --action=[action]", "string", "off", "", false,
     "Fencing action: off (fence the target), on (unfence this node), status, monitor, "
     "metadata, validate-all. There is no reboot: the fenced node's own scsi_resfence module "
     "restarts it."},
    {"plug", "-n, --plug=[nodename]", "string", "", R"( obsoletes="port")", false,
     "The target: a node name, whose key is derived from the name (FNV-1a 64 of "
     "\"resfence-node-v1:\" and the lowercase name), or a key written 0x..., as a "
     "pcmk_host_map entry node:0xKEY passes it."},
    {"port", "-n, --plug=[nodename]", "string", "", R"( deprecated="1")", false,
     "Old name of plug."},
    {"nodename", "--nodename=[nodename]", "string", "", "", false,
     "The target's node name, as Pacemaker passes it; used when plug is not given."},
    {"devices", "-d, --devices=[devices]", "string", "", "", true,
     "Comma-separated whole SCSI disks (/dev/sdc, /dev/disk/by-id/...) or dm-multipath "
     "maps (/dev/mapper/NAME, through every path) shared by the cluster; each must "
     "implement SPC-3 persistent reservations. off fails unless the target's key is gone "
     "from every one of them."},
    {"key", "-k, --key=[key]", "string", "", "", false,
     "The target's key (decimal or 0x-hex), instead of the one derived from its name: the key "
     "to remove for off, the key to hold with for on."},
    {"nodes", "--nodes=[names]", "string", "", "", false,
     "Names of every cluster node (comma or space separated). When given, every action "
     "refuses to run if two of them, the local node or the target derive the same key."},
    {"local_node", "--local-node=[nodename]", "string", "", "", false,
     "This node's cluster name (default: uname -n). Its derived key is the one this node "
     "registers to send PREEMPT, and on refuses to run for any other node."},
    {"pr_type", "--pr-type=[type]", "select", "we-ar", "", false,
     "Reservation type of the hold that on takes and off takes over: we-ar (write exclusive, "
     "all registrants: every unfenced node may write) or ea-ar, we-ro, ea-ro, we, ea."},
    {"abort", "--abort", "boolean", "1", "", false,
     "Send PREEMPT AND ABORT (the target also aborts the victim's queued commands), falling "
     "back to PREEMPT on a target that refuses it. 0: plain PREEMPT."},
    {"interval", "--interval=[seconds]", "second", "", "", false,
     "Refresh interval of the hold that on takes (default: the module's)."},
    {"verbose", "-v, --verbose", "boolean", "", "", false,
     "Verbose output: off also prints the target's key and this node's."},
    {"help", "-h, --help", "boolean", "", "", false, "Display help and exit."},
    {"version", "-V, --version", "boolean", "", "", false, "Display version information and exit."},
});

constexpr std::string_view kLongdesc =
    "fence_resfence is an I/O fencing agent for scsi_resfence.ko, the resfence kernel module. "
    "It fences by SCSI-3 persistent reservations, like fence_scsi, but the fenced node does "
    "not stay up writing into refusals: its module, which holds the shared disks (armed by "
    "this agent's on action, the unfencing Pacemaker runs on every node before it starts "
    "resources there), restarts it at its first command after its registration is gone.\n"
    "off, run on a surviving node, PREEMPTs (AND ABORTs where the target supports it) the "
    "target's key on every configured device through the local module, which then holds "
    "the device with this node's key, and reads the keys back: it succeeds only when the "
    "target's key is gone from every device and a reservation shuts unregistered nodes out. "
    "A device that fails makes off fail; a timeout is a failure.\n"
    "Keys come from node names (the same on every node, no map needed) or from "
    "pcmk_host_map entries node:0xKEY. Configure the device with provides=unfencing "
    "(meta) and pcmk_host_list or pcmk_host_map; see fence_resfence(8) and resfence's "
    "Documentation/cluster.md for the timeouts Pacemaker needs.";

std::string xml_escape(std::string_view s) {
  std::string r;
  for (const char c : s) {
    switch (c) {
      case '&':
        r += "&amp;";
        break;
      case '<':
        r += "&lt;";
        break;
      case '>':
        r += "&gt;";
        break;
      case '"':
        r += "&quot;";
        break;
      default:
        r += c;
    }
  }
  return r;
}

}  // namespace

std::string metadata_xml() {
  std::ostringstream x;
  x << R"(<?xml version="1.0" ?>)"
    << "\n"
    << R"x(<resource-agent name="fence_resfence" shortdesc="Fence agent for SCSI persistent )x"
    << R"x(reservations through scsi_resfence.ko (the fenced node restarts itself)" >)x"
    << "\n"
    << "<longdesc>" << xml_escape(kLongdesc) << "</longdesc>\n"
    << "<vendor-url></vendor-url>\n"
    << "<parameters>\n";
  for (const auto& d : kParams) {
    x << "\t<parameter name=\"" << d.name << R"(" unique="0" required=")" << (d.required ? 1 : 0)
      << "\"" << d.extra << ">\n"
      << "\t\t<getopt mixed=\"" << xml_escape(d.getopt) << "\" />\n"
      << "\t\t<content type=\"" << d.type << "\"";
    if (!d.default_value.empty()) x << " default=\"" << d.default_value << "\"";
    if (d.type == "select") {
      x << ">\n";
      for (const char* o : {"we-ar", "ea-ar", "we-ro", "ea-ro", "we", "ea"})
        x << "\t\t\t<option value=\"" << o << "\" />\n";
      x << "\t\t</content>\n";
    } else {
      x << " />\n";
    }
    x << "\t\t<shortdesc lang=\"en\">" << xml_escape(d.shortdesc) << "</shortdesc>\n"
      << "\t</parameter>\n";
  }
  x << "</parameters>\n"
    << "<actions>\n"
    << "\t<action name=\"on\" on_target=\"1\" automatic=\"1\" />\n"
    << "\t<action name=\"off\" />\n"
    << "\t<action name=\"status\" />\n"
    << "\t<action name=\"monitor\" />\n"
    << "\t<action name=\"metadata\" />\n"
    << "\t<action name=\"validate-all\" />\n"
    << "</actions>\n"
    << "</resource-agent>\n";
  return x.str();
}

std::string usage_text() {
  std::ostringstream u;
  u << "Usage: fence_resfence [OPTIONS]    (or name=value lines on stdin, no options)\n"
    << "I/O fencing through scsi_resfence.ko; see fence_resfence(8).\n\nOptions:\n";
  for (const auto& d : kParams) {
    if (d.extra.find("deprecated") != std::string_view::npos) continue;
    std::string opt(d.getopt);
    opt.resize(std::max<size_t>(opt.size() + 2, 34), ' ');
    u << "   " << opt << d.shortdesc << "\n";
  }
  return u.str();
}

}  // namespace resfence::agent
