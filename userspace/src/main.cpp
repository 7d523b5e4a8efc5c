// resfencectl: see resfencectl(8).
#include <vector>

#include "cli.h"
#include "context.h"

int main(int argc, char** argv) {
  resfence::Context ctx = resfence::system_context();
  const std::vector<std::string> args(argv + 1, argv + argc);  // NOLINT: argv is an array
  return resfence::run_main(args, ctx);
}
