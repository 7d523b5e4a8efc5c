// Victim keys from node names: every node computes the same key for every
// other node, with no map to distribute.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fence_agent/params.h"

namespace resfence::agent {

// The key of node `name`: the 64-bit FNV-1a hash of "resfence-node-v1:"
// followed by the name in ASCII lowercase (Pacemaker compares node names
// without case), with 0 mapped to 1. "v1" pins the derivation: it never
// changes. Throws ParamError for an empty name.
uint64_t derive_node_key(std::string_view name);

// The key a target string stands for: a key written as 0x-hex (what a
// pcmk_host_map entry "node:0xa1" passes as plug) is that key; anything else
// is a node name, derived with derive_node_key(). Throws ParamError for a
// malformed 0x key.
uint64_t key_of_target(std::string_view target);

// The target's key for this run: key= when given, else key_of_target() of
// plug/port/nodename. Throws ParamError when there is neither.
uint64_t target_key(const Params& p);

// Checks that the names in p.nodes, the local node and the target derive
// pairwise different keys (names equal without case are one node). Throws
// ParamError naming both nodes and the key. Returns the name -> key table.
std::map<std::string, uint64_t> check_collisions(const Params& p, const std::string& local_name);

}  // namespace resfence::agent
