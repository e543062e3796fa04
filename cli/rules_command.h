// `azdetect rules list|show|lint` and the loading of rules for every command: the built-in
// catalog plus the files given with --rules, with each problem printed as file: field: message.
#pragma once

#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "cli/options.h"

namespace azd::cli {

/// Loads the built-in rules and then every file or directory in `extra`. Prints each problem
/// to stderr (escaped: rule files given by the user are untrusted text) and returns false if
/// there was any, in which case the caller exits with kExitError.
bool load_rules(const std::vector<std::string>& extra, catalog::Catalog* out);

/// Runs Command::rules_list, rules_show or rules_lint and returns the exit code.
int run_rules(const Options& opt);

}  // namespace azd::cli
