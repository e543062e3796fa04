// catalog: detection rules as data. Owns the rule file format (docs/detections.md), its
// parser and validator (used by `rules lint`), and the rules compiled into the binary from
// detections/. It produces plain structs; how rules are evaluated is engine/'s business.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace azd::catalog {

/// The rule-file format version this build reads (`"azdetect_rule": 1`).
inline constexpr int kFormatVersion = 1;

enum class Severity : std::uint8_t { info, low, medium, high, critical };
std::string_view severity_name(Severity s);
bool parse_severity(std::string_view text, Severity* out);

/// The normalised event fields a rule can name (record::EventView members), plus raw paths.
enum class Field : std::uint8_t {
  operation, operation_display, status, substatus, status_message, caller, caller_ip,
  resource_id, subscription, resource_group, provider, resource_type, resource_name, category,
  level, correlation_id, operation_id, event_id, event_name, http_method, tenant_id, app_id,
  authorization_action, authorization_scope,
  raw,  ///< a raw JSON path into the record (Condition::path)
};
inline constexpr int kFieldCount = static_cast<int>(Field::raw);
bool parse_field(std::string_view name, Field* out);
std::string_view field_name(Field f);

/// A boolean condition over one event, as written in a rule's "match".
struct Condition {
  enum class Kind : std::uint8_t { all, any, negate, leaf };
  enum class Op : std::uint8_t { equals, prefix, suffix, contains, wildcard, exists, gt, gte, lt, lte };
  Kind kind = Kind::leaf;
  std::vector<Condition> children;    ///< all / any / negate (one child)
  Field field = Field::operation;     ///< leaf
  std::string path;                   ///< leaf with Field::raw: dotted JSON path
  Op op = Op::equals;
  std::vector<std::string> values;    ///< string operands (any of them may match)
  double number = 0;                  ///< numeric operand of gt/gte/lt/lte
  bool expect_exists = true;          ///< operand of exists
  bool case_sensitive = false;        ///< off by default: Azure mixes case freely
};
/// The rule-file spelling of an operator ("equals", "suffix", ...), for printing rules.
std::string_view op_name(Condition::Op op);

/// Which final status of an operation a rule asks for.
enum class Outcome : std::uint8_t {
  succeeded,  ///< the operation's final status is Succeeded
  failed,     ///< the operation's final status is Failed
  any,        ///< any record of the operation, whatever its status
};
std::string_view outcome_name(Outcome o);

/// "At least `threshold` within `timespan`, per group", sliding on event time.
struct WindowSpec {
  bool present = false;
  std::vector<Field> group_by;        ///< e.g. subscription, caller
  bool count_distinct = true;         ///< count distinct values of `distinct` (else operations)
  Field distinct = Field::resource_id;
  std::int64_t timespan_ticks = 0;    ///< 100 ns ticks
  std::uint64_t threshold = 0;        ///< fires at count >= threshold ("gt": 10 becomes 11)
};

/// "A then B within T by the same identity / on the same resource".
struct SequenceStep {
  std::string name;
  Condition match;
  Outcome outcome = Outcome::succeeded;
};
struct SequenceSpec {
  bool present = false;
  std::vector<SequenceStep> steps;    ///< in the order they must happen
  std::vector<Field> same;            ///< fields that must be equal across steps (e.g. caller)
  /// When set, each later step's resource must lie inside the scope of the first step's
  /// resource once this trailing provider segment is removed (a lock's scope).
  std::string scope_of_first;         ///< e.g. "Microsoft.Authorization/locks"
  std::int64_t within_ticks = 0;
};

/// One remediation step: text, and optionally a ready-to-run command. Both may contain
/// placeholders ({resource_group}, {resource_name}, {resource_id}, {subscription},
/// {caller}, {caller_ip}, {correlation_id}, {operation}, {first_time}, {last_time}).
struct Step {
  std::string text;
  std::string command;
};

struct Remediation {
  std::string summary;                ///< the first thing to do, one line
  std::string why;                    ///< why this matters
  std::vector<Step> triage, containment, recovery, prevention;
};

struct Attack {
  std::vector<std::string> tactics;     ///< TA0040
  std::vector<std::string> techniques;  ///< T1485, T1578.003
};

/// One detection rule.
struct Detection {
  std::string id, title, description, status, origin;  ///< origin: file the rule came from
  Severity severity = Severity::medium;
  Attack attack;
  std::vector<std::string> tags, falsepositives, references;
  std::string notes;                   ///< data caveats, e.g. data-plane operations
  Condition match;
  Outcome outcome = Outcome::succeeded;
  WindowSpec window;
  SequenceSpec sequence;
  Remediation remediation;
};

/// A problem in a rule file, with where it is.
struct LintError {
  std::string file;
  std::string field;   ///< JSON path of the offending member, e.g. "match.all[1].equals"
  std::string message;
};

/// A set of rules, in load order; ids are unique.
class Catalog {
 public:
  const std::vector<Detection>& rules() const { return rules_; }
  const Detection* find(std::string_view id) const;
  /// Parses one rule file's text and adds it. Returns false (and appends to `errors`) when
  /// the rule is invalid or its id is already taken; the catalog is then unchanged.
  bool add_from_text(std::string_view origin, std::string_view json, std::vector<LintError>* errors);

 private:
  std::vector<Detection> rules_;
};

/// Adds the rules compiled in from detections/.
bool load_builtin(Catalog* catalog, std::vector<LintError>* errors);

/// Adds every *.json rule below `dir` (recursively, sorted), or the single file `dir`.
bool load_directory(Catalog* catalog, const std::string& dir, std::vector<LintError>* errors);

/// One entry of a suppressions file (docs/suppressions.md): which findings it hides and why.
/// Every list holds alternatives (any may match); empty lists do not constrain.
struct Suppression {
  std::string rule;                        ///< rule id or glob ("AZD-00*", "*")
  std::vector<std::string> callers, app_ids, resource_groups, resource_ids;  ///< globs
  std::vector<std::string> caller_ips;     ///< addresses or CIDR blocks, IPv4 or IPv6
  std::string reason;                      ///< required: why these findings are expected
  std::string expires;                     ///< optional date, YYYY-MM-DD (last day it applies)
  std::string where;                       ///< "suppressions[3]", for messages
};

/// The suppressions-file format version this build reads (`"azdetect_suppressions": 1`).
inline constexpr int kSuppressionsVersion = 1;

/// Parses a suppressions file's text. Returns false (and appends errors naming `origin` and
/// the member at fault) when it is not valid; unknown members are errors, so a typo can never
/// widen what an entry hides. Values are checked for shape only (control/ checks addresses
/// and dates).
bool parse_suppressions(std::string_view origin, std::string_view json, std::vector<Suppression>* out,
                        std::vector<LintError>* errors);

/// Parses "20m", "1h", "7d", "90s" into ticks. Returns false when malformed.
bool parse_duration(std::string_view text, std::int64_t* ticks);

}  // namespace azd::catalog
