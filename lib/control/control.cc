// Run controls: time bounds, rule selection and suppressions (see control.h).
#include "control/control.h"

#include <arpa/inet.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "base/text.h"

namespace azd::control {
namespace {

using catalog::Detection;

constexpr Ticks kDay = 86400LL * record::kTicksPerSecond;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// A date alone (`2026-03-01`) is read as midnight UTC.
bool parse_date_or_time(std::string_view text, Ticks* out) {
  if (text.size() == 10) return record::parse_time(std::string(text) + "T00:00:00Z", out);
  return record::parse_time(text, out);
}

// An address in network byte order: 4 bytes (IPv4) or 16 (IPv6).
struct Address {
  std::array<unsigned char, 16> bytes{};
  std::size_t size = 0;
};

bool parse_address(std::string_view text, Address* out) {
  // Addresses in logs sometimes carry a port: "203.0.113.9:51234", "[2001:db8::1]:443".
  if (!text.empty() && text.front() == '[') {
    const std::size_t close = text.find(']');
    if (close == std::string_view::npos) return false;
    text = text.substr(1, close - 1);
  } else if (text.find('.') != std::string_view::npos && text.find(':') != std::string_view::npos &&
             text.find(':') == text.rfind(':')) {
    text = text.substr(0, text.find(':'));
  }
  if (text.empty() || text.size() > 45) return false;
  const std::string s(text);
  if (s.find(':') != std::string::npos) {
    if (inet_pton(AF_INET6, s.c_str(), out->bytes.data()) != 1) return false;
    out->size = 16;
  } else {
    if (inet_pton(AF_INET, s.c_str(), out->bytes.data()) != 1) return false;
    out->size = 4;
  }
  return true;
}

bool parse_block(std::string_view block, Address* base, std::size_t* prefix) {
  const std::size_t slash = block.find('/');
  if (!parse_address(block.substr(0, slash), base)) return false;
  *prefix = base->size * 8;
  if (slash == std::string_view::npos) return true;
  const std::string_view bits = block.substr(slash + 1);
  if (bits.empty() || bits.size() > 3) return false;
  std::size_t n = 0;
  for (char c : bits) {
    if (!is_digit(c)) return false;
    n = n * 10 + static_cast<std::size_t>(c - '0');
  }
  if (n > base->size * 8) return false;
  *prefix = n;
  return true;
}

bool glob_any(const std::vector<std::string>& globs, std::string_view value) {
  for (const std::string& g : globs) {
    if (base::glob_match(g, value, true)) return true;
  }
  return false;
}

// Every value matches one of the alternatives; no values, no match.
template <typename Pred>
bool all_match(const std::vector<std::string>& values, Pred pred) {
  bool any = false;
  for (const std::string& v : values) {
    if (v.empty()) continue;
    if (!pred(v)) return false;
    any = true;
  }
  return any;
}

bool entry_matches(const catalog::Suppression& s, const engine::Finding& f) {
  if (!base::glob_match(s.rule, f.rule->id, true)) return false;
  auto globs = [](const std::vector<std::string>& g) { return [&g](const std::string& v) { return glob_any(g, v); }; };
  if (!s.callers.empty() && !all_match(f.callers, globs(s.callers))) return false;
  if (!s.app_ids.empty() && !all_match(f.app_ids, globs(s.app_ids))) return false;
  if (!s.resource_ids.empty() && !all_match(f.resources, globs(s.resource_ids))) return false;
  if (!s.caller_ips.empty() && !all_match(f.caller_ips, [&](const std::string& ip) {
        for (const std::string& block : s.caller_ips) {
          if (ip_in_block(ip, block)) return true;
        }
        return false;
      })) {
    return false;
  }
  if (!s.resource_groups.empty()) {
    std::vector<std::string> groups{f.resource_group};
    for (const std::string& r : f.resources) groups.emplace_back(record::split_resource_id(r).resource_group);
    if (!all_match(groups, globs(s.resource_groups))) return false;
  }
  return true;
}

// Does a --rule/--exclude-rule pattern name this rule (id glob, case-insensitive)?
bool names_rule(const std::string& pattern, const Detection& d) { return base::glob_match(pattern, d.id, true); }

// Does a --tag value name this rule: a tactic, a technique (T1578 also names T1578.003), or a tag?
bool has_tag(const std::string& tag, const Detection& d) {
  for (const std::string& t : d.attack.tactics) {
    if (base::iequals(t, tag)) return true;
  }
  for (const std::string& t : d.attack.techniques) {
    if (base::iequals(t, tag) || (t.size() > tag.size() && t[tag.size()] == '.' && base::istarts_with(t, tag))) {
      return true;
    }
  }
  for (const std::string& t : d.tags) {
    if (base::iequals(t, tag)) return true;
  }
  return false;
}

bool read_file(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::stringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return !in.bad();
}

}  // namespace

bool parse_time_bound(std::string_view text, Ticks now, Ticks* out, std::string* err) {
  if (text.empty()) {
    *err = "is empty";
    return false;
  }
  if (text.size() >= 10 && is_digit(text[0]) && text[4] == '-') {
    if (parse_date_or_time(text, out)) return true;
    *err = "is not a valid RFC 3339 time (e.g. 2026-03-01T00:00:00Z or 2026-03-01T02:00:00+02:00)";
    return false;
  }
  std::int64_t span = 0;
  if (catalog::parse_duration(text, &span) && span > 0) {
    *out = now - span;
    return true;
  }
  *err = "is neither an RFC 3339 time (2026-03-01T00:00:00Z) nor a duration before now (90m, 24h, 7d)";
  return false;
}

bool Controls::selects(const Detection& d) const {
  if (!rules.empty()) {
    bool any = false;
    for (const std::string& p : rules) any = any || names_rule(p, d);
    if (!any) return false;
  }
  for (const std::string& p : exclude_rules) {
    if (names_rule(p, d)) return false;
  }
  if (!tags.empty()) {
    bool any = false;
    for (const std::string& t : tags) any = any || has_tag(t, d);
    if (!any) return false;
  }
  return !has_min_severity || d.severity >= min_severity;
}

engine::EngineOptions Controls::engine_options() const {
  engine::EngineOptions o;
  o.since = since;
  o.until = until;
  o.select = [this](const Detection& d) { return selects(d); };
  return o;
}

bool resolve(const Settings& s, const catalog::Catalog& catalog, Ticks now, Controls* out,
             std::vector<std::string>* errors) {
  const std::size_t before = errors->size();
  std::string err;
  if (!s.since.empty() && !parse_time_bound(s.since, now, &out->since, &err)) {
    errors->push_back("--since '" + base::escape_for_terminal(s.since) + "' " + err);
  }
  if (!s.until.empty() && !parse_time_bound(s.until, now, &out->until, &err)) {
    errors->push_back("--until '" + base::escape_for_terminal(s.until) + "' " + err);
  }
  if (out->since != record::kNoTime && out->until != record::kNoTime && out->since > out->until) {
    errors->push_back("--since is after --until: no event can be in the range");
  }
  // A pattern that names no rule is almost always a typo; running without it would
  // silently scan with the wrong rules.
  auto check = [&](const std::vector<std::string>& patterns, const char* option, auto pred) {
    for (const std::string& p : patterns) {
      bool any = false;
      for (const Detection& d : catalog.rules()) any = any || pred(p, d);
      if (!any) errors->push_back(std::string(option) + " '" + base::escape_for_terminal(p) + "' names no rule (see `azdetect rules list`)");
    }
  };
  check(s.rules, "--rule", names_rule);
  check(s.exclude_rules, "--exclude-rule", names_rule);
  check(s.tags, "--tag", has_tag);
  out->rules = s.rules;
  out->exclude_rules = s.exclude_rules;
  out->tags = s.tags;
  if (!s.min_severity.empty()) {
    out->has_min_severity = catalog::parse_severity(s.min_severity, &out->min_severity);
    if (!out->has_min_severity) {
      errors->push_back("--min-severity '" + base::escape_for_terminal(s.min_severity) +
                        "' must be info, low, medium, high or critical");
    }
  }
  if (!s.suppressions_path.empty()) {
    const std::string shown = base::escape_for_terminal(s.suppressions_path);
    std::string text;
    std::vector<catalog::LintError> lint;
    if (!read_file(s.suppressions_path, &text)) {
      errors->push_back(shown + ": cannot read the suppressions file: " + std::strerror(errno));
    } else {
      catalog::parse_suppressions(s.suppressions_path, text, &out->suppressions, &lint);
      for (catalog::Suppression& e : out->suppressions) {
        Ticks t;
        if (!e.expires.empty() && (e.expires.size() != 10 || !parse_date_or_time(e.expires, &t))) {
          lint.push_back({s.suppressions_path, e.where + ".expires", "must be a date such as \"2026-12-31\""});
        }
        for (const std::string& block : e.caller_ips) {
          if (!valid_block(block)) {
            lint.push_back({s.suppressions_path, e.where + ".caller_ip",
                            "'" + block + "' is not an IPv4/IPv6 address or CIDR block (10.0.0.0/8, 2001:db8::/32)"});
          }
        }
        e.where = s.suppressions_path + ": " + e.where;
      }
    }
    for (const catalog::LintError& e : lint) {
      errors->push_back(base::escape_for_terminal(e.file) + ": " + e.field + (e.field.empty() ? "" : ": ") +
                        base::escape_for_terminal(e.message));
    }
  }
  return errors->size() == before;
}

bool ip_in_block(std::string_view ip, std::string_view block) {
  Address a, b;
  std::size_t prefix = 0;
  if (!parse_address(ip, &a) || !parse_block(block, &b, &prefix) || a.size != b.size) return false;
  const std::size_t whole = prefix / 8, rest = prefix % 8;
  if (std::memcmp(a.bytes.data(), b.bytes.data(), whole) != 0) return false;
  if (rest == 0) return true;
  const unsigned mask = (0xFFu << (8 - rest)) & 0xFFu;
  return (a.bytes[whole] & mask) == (b.bytes[whole] & mask);
}

bool valid_block(std::string_view block) {
  Address b;
  std::size_t prefix = 0;
  return parse_block(block, &b, &prefix);
}

std::uint64_t apply_suppressions(std::vector<engine::Finding>* findings,
                                 const std::vector<catalog::Suppression>& suppressions, Ticks now,
                                 std::vector<std::string>* warnings) {
  std::vector<const catalog::Suppression*> active;
  for (const catalog::Suppression& s : suppressions) {
    Ticks day = 0;
    // `expires` names the last day the entry applies (UTC).
    if (!s.expires.empty() && parse_date_or_time(s.expires, &day) && now >= day + kDay) {
      warnings->push_back(base::escape_for_terminal(s.where) + " (rule " + base::escape_for_terminal(s.rule) +
                          ") expired on " + s.expires + " and no longer suppresses anything");
      continue;
    }
    active.push_back(&s);
  }
  std::uint64_t n = 0;
  for (engine::Finding& f : *findings) {
    for (const catalog::Suppression* s : active) {
      if (!entry_matches(*s, f)) continue;
      f.suppressed = true;
      f.suppression_reason = s->reason;
      ++n;
      break;
    }
  }
  return n;
}

}  // namespace azd::control
