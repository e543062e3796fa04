// control: the run controls an analyst sets without editing rules. Owns the time range
// (--since/--until, absolute or relative to now), rule selection (--rule, --exclude-rule,
// --tag, --min-severity) and what suppression entries mean for a finding (caller, app id,
// caller IP or CIDR, resource group, resource id, expiry). The suppressions file's JSON is
// parsed by catalog/; evaluating rules is engine/'s. Errors are values: nothing here prints.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.h"
#include "engine/engine.h"
#include "record/record.h"

namespace azd::control {

using record::Ticks;

/// Parses a --since/--until value: RFC 3339 (`2026-03-01T00:00:00Z`, `...+02:00`, or a bare
/// date `2026-03-01`, read as midnight UTC), or a duration before `now` (`90m`, `24h`, `7d`,
/// `2w`, `30s`). Returns false with a message in `err` otherwise.
bool parse_time_bound(std::string_view text, Ticks now, Ticks* out, std::string* err);

/// What the command line asks to run and on which events, before anything is read.
struct Settings {
  std::string since, until;
  std::vector<std::string> rules, exclude_rules, tags;  ///< ids or globs; tactic/technique ids or tags
  std::string min_severity;                             ///< "" = no minimum
  std::string suppressions_path;                        ///< "" = none
};

/// Settings checked and resolved against a catalog and the current time.
struct Controls {
  Ticks since = record::kNoTime, until = record::kNoTime;
  std::vector<std::string> rules, exclude_rules, tags;
  bool has_min_severity = false;
  catalog::Severity min_severity = catalog::Severity::info;
  std::vector<catalog::Suppression> suppressions;

  /// True when the selection keeps `d`: it matches a --rule (if any), no --exclude-rule,
  /// carries a --tag (if any: tactic, technique or its parent, or tag), and reaches the
  /// minimum severity.
  bool selects(const catalog::Detection& d) const;
  /// The engine options these controls imply (time range, rule filter). The filter refers
  /// to this object, which must outlive the engines.
  engine::EngineOptions engine_options() const;
};

/// Resolves `s`: parses times, checks that every --rule/--exclude-rule/--tag names at least
/// one rule of `catalog`, that --since is not after --until, and loads and checks the
/// suppressions file. Appends one message per problem (file and field for the suppressions
/// file) to `errors` and returns false on any.
bool resolve(const Settings& s, const catalog::Catalog& catalog, Ticks now, Controls* out,
             std::vector<std::string>* errors);

/// True when `ip` (IPv4 or IPv6, optionally with a :port or [v6]:port) lies in `block`: an
/// address (exact match) or a CIDR block such as `10.0.0.0/8` or `2001:db8::/32`.
bool ip_in_block(std::string_view ip, std::string_view block);
/// True when `block` is a valid address or CIDR block.
bool valid_block(std::string_view block);

/// Marks each finding that an unexpired entry of `suppressions` matches (the first such
/// entry's reason is kept). An entry matches when its rule glob matches the rule id and each
/// of its matchers holds for every value the finding has for that field (a finding without a
/// value for a matcher's field is not matched): a burst involving one unexpected caller stays
/// visible. Entries whose `expires` date is before `now` do not suppress; one warning per
/// such entry goes to `warnings`. Returns the number of findings suppressed.
std::uint64_t apply_suppressions(std::vector<engine::Finding>* findings,
                                 const std::vector<catalog::Suppression>& suppressions, Ticks now,
                                 std::vector<std::string>* warnings);

}  // namespace azd::control
