#include "fence_agent/node_key.h"

#include <cctype>

#include "key.h"
#include "names.h"

namespace resfence::agent {

namespace {}  // namespace

uint64_t derive_node_key(std::string_view name) {
  if (name.empty()) throw ParamError("an empty node name has no key");
  const std::string input = "resfence-node-v1:" + ascii_lower(name);
  uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a 64 offset basis
  for (const char c : input) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;  // FNV-1a 64 prime
  }
  return h == 0 ? 1 : h;
}

uint64_t key_of_target(std::string_view target) {
  if (target.size() > 2 && target[0] == '0' && (target[1] == 'x' || target[1] == 'X')) {
    try {
      return parse_key(target);
    } catch (const std::invalid_argument& e) {
      throw ParamError(std::string("plug: ") + e.what());
    }
  }
  return derive_node_key(target);
}

uint64_t target_key(const Params& p) {
  if (p.key) return *p.key;
  const auto t = target_of(p);
  if (!t) throw ParamError("no target: give plug (-n NODE), nodename or key (-k KEY)");
  return key_of_target(*t);
}

std::map<std::string, uint64_t> check_collisions(const Params& p, const std::string& local_name) {
  std::map<std::string, uint64_t> table;
  auto add = [&table](const std::string& name) {
    const std::string n = ascii_lower(name);
    const uint64_t k = key_of_target(n);
    for (const auto& [other, ok] : table)
      if (other != n && ok == k) {
        std::string msg = "nodes '";
        msg += other;
        msg += "' and '";
        msg += n;
        msg += "' have the same key ";
        msg += format_key(k);
        msg += ": give them distinct keys in pcmk_host_map";
        throw ParamError(msg);
      }
    table.emplace(n, k);
  };
  for (const auto& n : p.nodes) add(n);
  if (!local_name.empty()) add(local_name);
  if (const auto t = target_of(p)) add(*t);
  return table;
}

}  // namespace resfence::agent
