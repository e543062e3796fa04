#include <catch2/catch.hpp>

#include "record/record.h"

using azd::record::format_time;
using azd::record::parse_time;
using azd::record::Ticks;

namespace {
std::string roundtrip(std::string_view text) {
  Ticks t = 0;
  if (!parse_time(text, &t)) return "unparsed";
  return format_time(t);
}
}  // namespace

TEST_CASE("time keeps all seven fractional digits", "[time]") {
  CHECK(roundtrip("2026-02-23T01:39:21.6411294Z") == "2026-02-23T01:39:21.6411294Z");
}

TEST_CASE("time accepts 0 to 9 fractional digits, padding or truncating to 7", "[time]") {
  CHECK(roundtrip("2026-02-23T01:40:30Z") == "2026-02-23T01:40:30.0000000Z");
  CHECK(roundtrip("2018-03-07T14:23:51.991Z") == "2018-03-07T14:23:51.9910000Z");
  CHECK(roundtrip("2025-06-11T15:24:05.463916Z") == "2025-06-11T15:24:05.4639160Z");
  CHECK(roundtrip("2007-01-09T09:41:00.535404056Z") == "2007-01-09T09:41:00.5354040Z");
}

TEST_CASE("time converts offsets to UTC", "[time]") {
  CHECK(roundtrip("2022-03-22T10:48:48.8558814+00:00") == "2022-03-22T10:48:48.8558814Z");
  CHECK(roundtrip("2022-03-22T12:48:48+02:00") == "2022-03-22T10:48:48.0000000Z");
  CHECK(roundtrip("2022-03-22T00:30:00-01:30") == "2022-03-22T02:00:00.0000000Z");
}

TEST_CASE("time without a zone is read as UTC", "[time]") {
  CHECK(roundtrip("2007-01-09T09:41:00") == "2007-01-09T09:41:00.0000000Z");
}

TEST_CASE("time reads PowerShell /Date(ms)/ values", "[time]") {
  CHECK(roundtrip("/Date(1574202819000)/") == "2019-11-19T22:33:39.0000000Z");
  CHECK(roundtrip("/Date(1574202819123+0100)/") == "2019-11-19T22:33:39.1230000Z");
}

TEST_CASE("time reads the Log Analytics CSV 12-hour format", "[time]") {
  CHECK(roundtrip("4/28/2021, 2:32:14.029 PM") == "2021-04-28T14:32:14.0290000Z");
  CHECK(roundtrip("4/28/2021, 12:05:00.000 AM") == "2021-04-28T00:05:00.0000000Z");
  CHECK(roundtrip("12/31/2020, 12:00:01 PM") == "2020-12-31T12:00:01.0000000Z");
}

TEST_CASE("time rejects malformed and impossible dates", "[time]") {
  CHECK(roundtrip("") == "unparsed");
  CHECK(roundtrip("yesterday") == "unparsed");
  CHECK(roundtrip("2023-02-29T00:00:00Z") == "unparsed");
  CHECK(roundtrip("2024-13-01T00:00:00Z") == "unparsed");
  CHECK(roundtrip("2024-01-01T25:00:00Z") == "unparsed");
  CHECK(roundtrip("2024-01-01T00:00:00Zjunk") == "unparsed");
}

TEST_CASE("time handles leap days and dates before 1970", "[time]") {
  CHECK(roundtrip("2024-02-29T23:59:59.9999999Z") == "2024-02-29T23:59:59.9999999Z");
  CHECK(roundtrip("1969-12-31T23:59:59.5Z") == "1969-12-31T23:59:59.5000000Z");
}

TEST_CASE("time reads the US layouts met in Activity Log pipelines, with or without AM/PM and offsets", "[time]") {
  CHECK(roundtrip("01/09/2007 09:41:00") == "2007-01-09T09:41:00.0000000Z");
  CHECK(roundtrip("1/9/2007 9:41:00 AM") == "2007-01-09T09:41:00.0000000Z");
  CHECK(roundtrip("1/9/2007 10:41:00 AM +01:00") == "2007-01-09T09:41:00.0000000Z");
  CHECK(roundtrip("1/9/2007, 9:41 pm") == "2007-01-09T21:41:00.0000000Z");
  CHECK(roundtrip("4/28/2021, 13:32:14.029 PM") == "unparsed");
}

TEST_CASE("time reads PowerShell 7 ISO dates with a local offset and negative /Date()/", "[time]") {
  CHECK(roundtrip("2019-11-19T22:32:50Z") == "2019-11-19T22:32:50.0000000Z");
  CHECK(roundtrip("2019-11-20T00:32:50.12+02:00") == "2019-11-19T22:32:50.1200000Z");
  CHECK(roundtrip("/Date(-1000)/") == "1969-12-31T23:59:59.0000000Z");
  CHECK(roundtrip("/Date(abc)/") == "unparsed");
}

TEST_CASE("time rejects out-of-range zone offsets in every layout", "[time]") {
  CHECK(roundtrip("2022-03-22T10:48:48+24:00") == "unparsed");
  CHECK(roundtrip("4/28/2021, 2:32:14 PM +99:00") == "unparsed");
  CHECK(roundtrip("4/28/2021, 2:32:14 PM +01:00") == "2021-04-28T13:32:14.0000000Z");
}
