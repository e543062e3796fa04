# --version -v names the simdjson code in use: the stage-1 kernel is chosen at run time for
# the CPU (any of simdjson's x86 kernels), the On Demand kernel is fixed at build time. It
# also says how gzip's CRC-32 is computed (chosen at run time too).
"$AZD" --version -v | sed -E 's/^azdetect .*/azdetect VERSION/; s/^(simdjson stage-1 kernel: )(icelake|haswell|westmere|fallback) /\1KERNEL /; s/^(gzip CRC-32: )(vpclmulqdq|pclmulqdq|tables) /\1KERNEL /'
