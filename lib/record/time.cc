// Time parsing and formatting in 100 ns ticks, without the C library's locale or time zone.
#include <cstdio>

#include "record/record.h"

namespace azd::record {
namespace {

// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, std::int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<std::int64_t>(yoe) + era * 400 + (*m <= 2);
}

unsigned days_in_month(std::int64_t y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

// A tiny cursor over the text; every reader returns false instead of running past the end.
struct Cursor {
  std::string_view s;
  std::size_t i = 0;
  bool done() const { return i >= s.size(); }
  bool eat(char c) {
    if (i < s.size() && s[i] == c) {
      ++i;
      return true;
    }
    return false;
  }
  // Reads between min and max digits.
  bool digits(std::size_t min, std::size_t max, std::int64_t* out, std::size_t* count = nullptr) {
    std::int64_t v = 0;
    std::size_t n = 0;
    while (i < s.size() && n < max && s[i] >= '0' && s[i] <= '9') {
      v = v * 10 + (s[i] - '0');
      ++i;
      ++n;
    }
    if (count) *count = n;
    *out = v;
    return n >= min;
  }
  void skip_spaces() {
    while (i < s.size() && s[i] == ' ') ++i;
  }
};

bool make_ticks(std::int64_t y, std::int64_t mo, std::int64_t d, std::int64_t h, std::int64_t mi,
                std::int64_t sec, std::int64_t frac_ticks, std::int64_t offset_minutes, Ticks* out) {
  if (y < 1 || y > 9999 || mo < 1 || mo > 12 || d < 1) return false;
  if (d > days_in_month(y, static_cast<unsigned>(mo))) return false;
  if (h > 23 || mi > 59 || sec > 60) return false;  // 60: a leap second, as RFC 3339 allows
  const std::int64_t days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  const std::int64_t seconds = days * 86400 + h * 3600 + mi * 60 + sec - offset_minutes * 60;
  *out = seconds * kTicksPerSecond + frac_ticks;
  return true;
}

// Fraction digits to ticks: keep the first 7, drop (truncate) the rest.
bool read_fraction(Cursor* c, std::int64_t* ticks) {
  *ticks = 0;
  if (!c->eat('.') && !c->eat(',')) return true;
  std::size_t n = 0;
  while (!c->done() && c->s[c->i] >= '0' && c->s[c->i] <= '9') {
    if (n < 7) *ticks = *ticks * 10 + (c->s[c->i] - '0');
    ++n;
    ++c->i;
  }
  if (n == 0) return false;
  for (std::size_t k = n; k < 7; ++k) *ticks *= 10;
  return true;
}

// An optional zone offset, "+HH:MM", "+HHMM" or "-HH", into minutes east of UTC. Returns
// false only for a malformed or out-of-range offset; no offset at all leaves `minutes` as is.
bool read_offset(Cursor* c, std::int64_t* minutes) {
  if (c->done() || (c->s[c->i] != '+' && c->s[c->i] != '-')) return true;
  const bool negative = c->s[c->i] == '-';
  ++c->i;
  std::int64_t oh, om = 0;
  if (!c->digits(2, 2, &oh)) return false;
  c->eat(':');
  c->digits(2, 2, &om);
  if (oh > 23 || om > 59) return false;
  *minutes = (negative ? -1 : 1) * (oh * 60 + om);
  return true;
}

bool parse_rfc3339(std::string_view text, Ticks* out) {
  Cursor c{text};
  std::int64_t y, mo, d, h, mi, s = 0, frac = 0, off = 0;
  if (!c.digits(4, 4, &y) || !c.eat('-') || !c.digits(2, 2, &mo) || !c.eat('-') ||
      !c.digits(2, 2, &d))
    return false;
  if (!c.eat('T') && !c.eat('t') && !c.eat(' ')) return false;
  if (!c.digits(2, 2, &h) || !c.eat(':') || !c.digits(2, 2, &mi)) return false;
  if (c.eat(':')) {
    if (!c.digits(2, 2, &s) || !read_fraction(&c, &frac)) return false;
  }
  if (!c.eat('Z') && !c.eat('z') && !read_offset(&c, &off)) return false;
  // No zone at all: Azure writes UTC everywhere, so it is read as UTC.
  return c.done() && make_ticks(y, mo, d, h, mi, s, frac, off, out);
}

// PowerShell 5.1 ConvertTo-Json: "/Date(1574202819000)/" or "/Date(1574202819000+0100)/".
// The escaped form "\/Date(...)\/" is unescaped by the JSON parser before it gets here.
bool parse_ms_date(std::string_view text, Ticks* out) {
  constexpr std::string_view kPrefix = "/Date(";
  if (text.substr(0, kPrefix.size()) != kPrefix) return false;
  Cursor c{text, kPrefix.size()};
  const bool negative = c.eat('-');
  std::int64_t ms;
  if (!c.digits(1, 15, &ms)) return false;
  // A trailing zone offset in this form only says how to display the time; the number is UTC.
  if (c.eat('+') || c.eat('-')) {
    std::int64_t ignored;
    if (!c.digits(4, 4, &ignored)) return false;
  }
  if (!c.eat(')') || !c.eat('/') || !c.done()) return false;
  *out = (negative ? -ms : ms) * 10'000;
  return true;
}

// en-US as written by the Log Analytics portal: "4/28/2021, 2:32:14.029 PM", also without
// the comma, without seconds or AM/PM (24-hour), and with an explicit offset.
bool parse_us_date(std::string_view text, Ticks* out) {
  Cursor c{text};
  std::int64_t y, mo, d, h, mi, s = 0, frac = 0, off = 0;
  if (!c.digits(1, 2, &mo) || !c.eat('/') || !c.digits(1, 2, &d) || !c.eat('/') ||
      !c.digits(4, 4, &y))
    return false;
  c.eat(',');
  c.skip_spaces();
  if (!c.digits(1, 2, &h) || !c.eat(':') || !c.digits(2, 2, &mi)) return false;
  if (c.eat(':') && (!c.digits(2, 2, &s) || !read_fraction(&c, &frac))) return false;
  c.skip_spaces();
  std::string_view rest = text.substr(c.i);
  auto take = [&](std::string_view word) {
    if (rest.size() >= word.size() &&
        (rest.substr(0, word.size()) == word ||
         (rest[0] == word[0] + ('a' - 'A') && rest[1] == word[1] + ('a' - 'A')))) {
      c.i += word.size();
      rest = text.substr(c.i);
      return true;
    }
    return false;
  };
  if (take("PM")) {
    if (h < 1 || h > 12) return false;
    if (h != 12) h += 12;
  } else if (take("AM")) {
    if (h < 1 || h > 12) return false;
    if (h == 12) h = 0;
  }
  c.skip_spaces();
  if (!read_offset(&c, &off)) return false;
  return c.done() && make_ticks(y, mo, d, h, mi, s, frac, off, out);
}

}  // namespace

bool parse_time(std::string_view text, Ticks* out) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (text.empty()) return false;
  if (text.front() == '/') return parse_ms_date(text, out);
  if (text.size() >= 5 && text[4] == '-') return parse_rfc3339(text, out);
  return parse_us_date(text, out);
}

std::string format_time(Ticks t) {
  if (t == kNoTime) return "";
  std::int64_t seconds = t / kTicksPerSecond;
  std::int64_t frac = t % kTicksPerSecond;
  if (frac < 0) {
    frac += kTicksPerSecond;
    --seconds;
  }
  std::int64_t days = seconds / 86400;
  std::int64_t rem = seconds % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  std::int64_t y;
  unsigned m, d;
  civil_from_days(days, &y, &m, &d);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%07lldZ",
                static_cast<long long>(y), m, d, static_cast<long long>(rem / 3600),
                static_cast<long long>(rem / 60 % 60), static_cast<long long>(rem % 60),
                static_cast<long long>(frac));
  return buf;
}

}  // namespace azd::record
