#include "cli/options.h"

#include <CLI/CLI.hpp>

#include <cstdio>

namespace azd::cli {

const char* version() { return AZDETECT_VERSION; }

namespace {

constexpr const char* kDescription =
    "azdetect: find suspicious control-plane actions in Azure Activity Log exports.";

constexpr const char* kFooter = R"(Examples:
  azdetect scan logs/                          scan every file below logs/ (any export shape)
  azdetect scan activity.json --format json | jq '.findings[].rule.id'
  az monitor activity-log list --offset 7d | azdetect scan -
  azdetect scan insights-activity-logs/ -q     findings only, no summary
  azdetect scan logs/ --since 7d --min-severity high
  azdetect scan logs/ --since 2026-03-01T00:00:00Z --until 2026-03-02T00:00:00+01:00
  azdetect scan logs/ --tag TA0040 --exclude-rule 'AZD-00*' --suppressions suppress.json

Exit codes:
  0  no findings
  1  at least one finding
  2  usage error, or an input could not be read)";

constexpr const char* kRulesFooter = R"(Examples:
  azdetect rules list                          every rule: id, severity, status, ATT&CK, tags, title
  azdetect rules list --format json | jq length
  azdetect rules show AZD-001                  one rule in full, remediation included
  azdetect rules lint my-rules/                check rule files (exit 2 on any problem)
  azdetect scan logs/ --rules my-rules/        scan with the built-in rules plus your own)";

// `azdetect rules list|show|lint`: the catalog as documentation and a checker for rule files.
CLI::App* add_rules_commands(CLI::App& app, Options* out) {
  CLI::App* rules = app.add_subcommand("rules", "List, show and check detection rules");
  rules->require_subcommand(1);
  rules->footer(kRulesFooter);
  auto common = [&](CLI::App* cmd) {
    cmd->add_option("-f,--format", out->format, "Output format: table or json (default: table)")
        ->check(CLI::IsMember({"auto", "table", "json"}));
    cmd->add_option("--rules", out->rule_paths, "Also load the rules in this file or directory (repeatable)")
        ->allow_extra_args(false);
  };
  common(rules->add_subcommand("list", "List the rules: id, severity, status, ATT&CK ids, tags, title"));
  CLI::App* show = rules->add_subcommand("show", "Show one rule in full, remediation included");
  show->add_option("id", out->rule_id, "Rule id, e.g. AZD-001")->required();
  common(show);
  CLI::App* lint = rules->add_subcommand("lint", "Check rule files: one 'file: field: message' line per problem, exit 2 if any");
  lint->add_option("paths", out->paths, "Rule files or directories (searched recursively for *.json)")->required();
  return rules;
}

}  // namespace

int parse_options(int argc, char** argv, Options* out) {
  for (int i = 1; i < argc; ++i) out->arguments.emplace_back(argv[i]);  // argv[0] varies by install path
  CLI::App app{kDescription, "azdetect"};
  app.footer(kFooter);
  app.require_subcommand(0, 1);
  bool show_version = false;
  app.add_flag("--version", show_version, "Print the version and exit");
  app.add_flag("-v,--verbose", out->verbose, "With --version: also the simdjson kernels in use");

  CLI::App* scan = app.add_subcommand("scan", "Scan Activity Log exports and report findings");
  scan->add_option("paths", out->paths, "Files, directories (recursive) or - for standard input")->required();
  scan->add_option("-f,--format", out->format, "Output format: table, json (default: table on a terminal, json otherwise)")
      ->check(CLI::IsMember({"auto", "table", "json"}));
  scan->add_option("--color", out->color, "Colour in table output: auto, always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  scan->add_flag("-q,--quiet", out->quiet, "Print findings and errors only");
  scan->add_flag("-v,--verbose", out->verbose, "Describe each input on stderr (shape, encoding, counts)");
  scan->add_option("--max-decompressed", out->max_decompressed,
                   "Refuse a gzip input that expands beyond this size, e.g. 512M (default: 8G)")
      ->transform(CLI::AsSizeValue(false));
  scan->add_option("--rules", out->rule_paths,
                   "Also load the rules in this file or directory (repeatable; format: docs/detections.md)")
      ->allow_extra_args(false);
  control::Settings& c = out->controls;
  // One value per occurrence, so `--rule AZD-002 logs/` leaves logs/ to the paths.
  auto repeatable = [](CLI::Option* o) { o->allow_extra_args(false); };
  scan->add_option("--since", c.since,
                   "Only events at or after this time: RFC 3339 (2026-03-01T00:00:00Z, +02:00 offsets) or a duration "
                   "before now (90m, 24h, 7d)");
  scan->add_option("--until", c.until, "Only events at or before this time (same forms as --since)");
  repeatable(scan->add_option("--rule", c.rules, "Run only these rules: ids or globs (AZD-002, 'AZD-0*'); repeatable"));
  repeatable(scan->add_option("--exclude-rule", c.exclude_rules, "Do not run these rules: ids or globs; repeatable"));
  repeatable(scan->add_option("--tag", c.tags,
                              "Run only rules with this ATT&CK tactic (TA0040), technique (T1485; T1578 includes "
                              "T1578.003) or tag; repeatable"));
  scan->add_option("--min-severity", c.min_severity, "Run only rules of at least this severity")
      ->check(CLI::IsMember({"info", "low", "medium", "high", "critical"}));
  scan->add_option("--suppressions", c.suppressions_path, "JSON file of expected findings to hide (docs/suppressions.md)");
  scan->add_flag("--show-suppressed", out->show_suppressed, "Also print suppressed findings, marked with the reason");
  scan->footer(kFooter);
  CLI::App* rules = add_rules_commands(app, out);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    // CLI11 returns 0 for --help; anything else is a usage error.
    return code == 0 ? kExitClean : kExitError;
  }
  if (show_version) {
    out->command = Command::version;
  } else if (scan->parsed()) {
    out->command = Command::scan;
  } else if (rules->parsed()) {
    out->command = rules->get_subcommand("list")->parsed()   ? Command::rules_list
                   : rules->get_subcommand("show")->parsed() ? Command::rules_show
                                                             : Command::rules_lint;
  } else {
    std::fputs(app.help().c_str(), stderr);
    return kExitError;
  }
  return -1;
}

}  // namespace azd::cli
