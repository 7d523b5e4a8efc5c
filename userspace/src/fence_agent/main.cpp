// fence_resfence: the Pacemaker / fence-agents fence agent; see
// fence_resfence(8).
#include <sys/utsname.h>

#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "context.h"
#include "fence_agent/agent.h"

int main(int argc, char** argv) {
  resfence::Context ctx = resfence::system_context();
  const std::vector<std::string> args(argv + 1, argv + argc);  // NOLINT: argv is an array
  std::string input;
  // Through a stringstream rather than istreambuf_iterators: GCC 12 reports a
  // false "potential null pointer dereference" inside libstdc++ for the
  // iterator form, which the package build (-Werror) turns into an error.
  if (args.empty()) {
    std::ostringstream all;
    all << std::cin.rdbuf();
    input = all.str();
  }
  utsname u{};
  const std::string host = uname(&u) == 0 ? u.nodename : "";
  return resfence::agent::agent_main(args, input, host, ctx);
}
