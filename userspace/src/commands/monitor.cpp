// resfencectl monitor [--json]: follow the module's "events" multicast group,
// one line (or one JSON object) per event, until SIGINT or SIGTERM.
#include <CLI/CLI.hpp>
#include <ostream>

#include "commands/commands.h"
#include "output/json.h"
#include "output/text.h"

namespace resfence {

CLI::App* add_monitor_command(CLI::App& app, MonitorOptions& o) {
  CLI::App* cmd =
      app.add_subcommand("monitor", "print the module's events as they happen, until interrupted");
  cmd->add_flag("--json", o.json, "one JSON object per line (schema in resfencectl(8))");
  return cmd;
}

void run_monitor(const MonitorOptions& o, Context& ctx) {
  const auto source = ctx.subscribe();
  // On stderr so stdout stays pure events; scripts can wait for it to know the
  // subscription is live.
  ctx.err << "resfencectl: monitor: listening for events (Ctrl-C to stop)" << std::endl;
  for (;;) {
    const std::vector<Event> events = source->wait();
    if (events.empty()) return;  // interrupted: a normal end
    for (const Event& ev : events) {
      if (o.json)
        ctx.out << event_json(ev, ctx.now()).dump() << "\n";
      else
        ctx.out << event_line(ev, ctx.now()) << "\n";
    }
    // Line-buffered in effect, so a pipe reader sees each event immediately.
    ctx.out << std::flush;
  }
}

}  // namespace resfence
