// cli explore commands: `azdetect search` (the events matching field filters and a time
// range, for pivoting on a finding) and `azdetect summary` (who did what). Both read inputs
// like scan but run no rules.
#pragma once

#include "cli/options.h"

namespace azd::cli {

int run_search(const Options& opt);
int run_summary(const Options& opt);

}  // namespace azd::cli
