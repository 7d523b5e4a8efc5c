#include "victim.h"

#include <algorithm>
#include <string>
#include <vector>

#include "errors.h"
#include "names.h"

namespace resfence {

uint64_t victim_key(const ReservationInfo& res, const KeysInfo& keys,
                    std::optional<uint64_t> own_key) {
  if (!res.holder_key) throw CommandError(ExitCode::kFailure, "the disk is not reserved");
  if (*res.holder_key != 0) return *res.holder_key;
  std::vector<uint64_t> others;
  for (const uint64_t k : keys.keys)
    if (k != own_key && std::ranges::find(others, k) == others.end()) others.push_back(k);
  if (others.size() == 1) return others.front();
  if (others.empty())
    throw CommandError(ExitCode::kFailure,
                       "all-registrants reservation without another registered key to preempt");
  std::string list;
  for (const uint64_t k : others) list += (list.empty() ? "" : ", ") + format_key(k);
  throw CommandError(ExitCode::kFailure,
                     "all-registrants reservation held by several keys (" + list +
                         "): name the one to preempt with resfencectl preempt --victim");
}

}  // namespace resfence
