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
  azdetect scan logs/ --format sarif -o azdetect.sarif
  azdetect scan logs/ --fail-on high           exit 1 only for high or critical findings
  azdetect search logs/ --where correlation_id=90c192cf-d3ac-94af-0f21-ddb66cad4a26
  azdetect summary logs/                       who did what: per caller, IP, operation, group

Exit codes (the highest that applies wins):
  0  no findings at or above --fail-on
  1  findings at or above --fail-on
  2  usage or configuration error (e.g. -o FILE exists without --force)
  3  some input could not be read: the result is incomplete

Output is reproducible: with SOURCE_DATE_EPOCH set, run.started is that time and the
elapsed time and rates are 0. See docs/cli.md.)";

constexpr const char* kRulesFooter = R"(Examples:
  azdetect rules list                          every rule: id, severity, status, ATT&CK, tags, title
  azdetect rules list --format json | jq length
  azdetect rules show AZD-001                  one rule in full, remediation included
  azdetect rules lint my-rules/                check rule files (exit 2 on any problem)
  azdetect scan logs/ --rules my-rules/        scan with the built-in rules plus your own)";

constexpr const char* kSearchFooter = R"(Examples:
  azdetect search logs/ --where correlation_id=90c192cf-d3ac-94af-0f21-ddb66cad4a26
  azdetect search logs/ --where caller=eve@contoso.com --since 2024-05-14T09:00:00Z --until 2024-05-14T10:00:00Z
  azdetect search logs/ --where operation~virtualmachines/delete --where status=Failed
  azdetect search logs/ --where caller_ip=203.0.113.45 --format jsonl | jq -r .resource_id

Fields are those of docs/detections.md (operation, status, caller, caller_ip, resource_id,
resource_group, subscription, correlation_id, ...). = is a case-insensitive equals, ~ a
case-insensitive contains; several --where must all hold.)";

constexpr const char* kSummaryFooter = R"(Examples:
  azdetect summary logs/                       per caller, caller IP, operation, resource group
  azdetect summary logs/ --limit 0             every row, not only the top 20 of each table
  azdetect summary logs/ --format json | jq '.activity.callers[] | select(.failures > 0)')";

// Options that every command writing results shares.
void add_output_options(CLI::App* cmd, Options* out, const std::string& formats_help,
                        const std::vector<std::string>& formats) {
  std::vector<std::string> allowed = {"auto"};
  allowed.insert(allowed.end(), formats.begin(), formats.end());
  cmd->add_option("-f,--format", out->format, formats_help)->check(CLI::IsMember(allowed));
  cmd->add_option("-o,--output", out->output, "Write results to FILE instead of standard output");
  cmd->add_flag("--force", out->force, "Overwrite the -o FILE if it exists");
  cmd->add_option("--color", out->color, "Colour in table output: auto, always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  cmd->add_flag("-q,--quiet", out->quiet, "Print results and errors only (no summary, no progress)");
}

// `azdetect search` and `azdetect summary`: looking at the events themselves.
std::pair<CLI::App*, CLI::App*> add_explore_commands(CLI::App& app, Options* out) {
  CLI::App* search = app.add_subcommand("search", "Print the events matching field filters and a time range");
  search->add_option("paths", out->paths, "Files, directories (recursive) or - for standard input")->required();
  search->add_option("-w,--where", out->where, "FIELD=VALUE (equals) or FIELD~VALUE (contains); repeatable, all must hold")
      ->allow_extra_args(false);
  search->add_option("--since", out->since, "Only events at or after this time (RFC 3339)");
  search->add_option("--until", out->until, "Only events at or before this time (RFC 3339)");
  add_output_options(search, out, "Output format: table, jsonl (default: table on a terminal, jsonl otherwise)",
                     {"table", "jsonl"});
  search->footer(kSearchFooter);

  CLI::App* summary = app.add_subcommand("summary", "Who did what: events and failures per caller, IP, operation, group");
  summary->add_option("paths", out->paths, "Files, directories (recursive) or - for standard input")->required();
  summary->add_option("--limit", out->limit, "Rows per table (default: 20; 0 = all)");
  add_output_options(summary, out, "Output format: table, json (default: table on a terminal, json otherwise)",
                     {"table", "json"});
  summary->footer(kSummaryFooter);
  return {search, summary};
}

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
  add_output_options(scan, out,
                     "Output format: table, json, jsonl, csv, sarif (default: table on a terminal, json otherwise)",
                     {"table", "json", "jsonl", "csv", "sarif"});
  scan->add_option("--fail-on", out->fail_on,
                   "Lowest severity that makes the exit code 1: info, low, medium, high, critical, none (default: info)")
      ->check(CLI::IsMember({"info", "low", "medium", "high", "critical", "none"}));
  scan->add_flag("-v,--verbose", out->verbose, "Describe each input on stderr (shape, encoding, counts)");
  scan->add_option("--max-decompressed", out->max_decompressed,
                   "Refuse a gzip input that expands beyond this size, e.g. 512M (default: 8G)")
      ->transform(CLI::AsSizeValue(false));
  scan->add_option("--threads", out->threads,
                   "Reading threads (default: one per core). Findings and output are the same for any number")
      ->check(CLI::Range(0U, 256U));
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
  const auto [search, summary] = add_explore_commands(app, out);

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
  } else if (search->parsed()) {
    out->command = Command::search;
  } else if (summary->parsed()) {
    out->command = Command::summary;
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
