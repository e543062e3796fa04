# The rules table: header and the first required detections. Column widths follow the whole
# catalog, which grows, so runs of spaces are squeezed here.
COLUMNS=400 "$AZD" rules list | grep -E '^(ID|AZD-00[1-6]) ' | tr -s ' '
