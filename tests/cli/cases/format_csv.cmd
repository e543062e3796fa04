# --format csv: a header and one RFC 4180 row per finding (CRLF line ends, shown here by tr).
"$AZD" scan samples/ --format csv | tr '\r' '~'
