# rules show: everything about one rule, remediation included; ids match in any case.
"$AZD" rules show azd-001
