# summary: who did what, per caller, caller IP, operation and resource group.
"$AZD" summary samples/ --format table
