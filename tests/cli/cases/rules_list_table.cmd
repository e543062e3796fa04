# The rules table: header and the first required detections (the full list grows with the catalog).
"$AZD" rules list | grep -E '^(ID|AZD-00[1-6]) '
