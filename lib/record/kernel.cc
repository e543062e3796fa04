// Which simdjson code runs, for `azdetect --version -v` and the benchmark (docs/performance.md).
//
// simdjson 3.0.1 splits the work in two. Stage 1, the SIMD pass that finds every structural
// character, lives in libsimdjson and is chosen at run time for this CPU (icelake, haswell,
// westmere or fallback). On Demand (stage 2, the field-by-field walk) is inlined from the
// header and compiled for one kernel picked from the compiler flags; azd_record is built with
// the baseline flags, so it is `fallback`. Measured on this code base, compiling azd_record
// for haswell or icelake changed neither the instruction count nor the CPU time (see
// docs/performance.md), so the portable build is kept on purpose.
#include <simdjson.h>

#include "record/record.h"

namespace azd::record {

#define AZD_STRINGIFY2(x) #x
#define AZD_STRINGIFY(x) AZD_STRINGIFY2(x)

SimdjsonInfo simdjson_info() {
  SimdjsonInfo info;
  info.version = AZD_STRINGIFY(SIMDJSON_VERSION);
  info.stage1 = simdjson::get_active_implementation()->name();
  info.on_demand = AZD_STRINGIFY(SIMDJSON_BUILTIN_IMPLEMENTATION);
  return info;
}

}  // namespace azd::record
