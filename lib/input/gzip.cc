// gzip members: zlib inflates, and the member's CRC-32 is computed here, by carry-less
// multiplication, instead of by zlib's byte tables. On a 1 GB JSON Lines gzip, zlib's
// check took a fifth of the whole scan (perf: crc32_z 18 %); docs/performance.md.
#include <immintrin.h>

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "input/decode.h"

namespace azd::input {
namespace detail {

namespace {

// The gzip CRC's polynomial, x^32 + x^26 + ... + 1, with its x^32 term.
constexpr std::uint64_t kPoly = 0x104C11DB7ULL;

// x^e mod P, as a 32-bit polynomial (bit i: the coefficient of x^i).
constexpr std::uint64_t x_pow_mod(unsigned e) {
  std::uint64_t r = 1;
  for (unsigned i = 0; i < e; ++i) {
    r <<= 1;
    if (r >> 32) r ^= kPoly;
  }
  return r;
}

constexpr std::uint64_t reflect32(std::uint64_t v) {
  std::uint64_t r = 0;
  for (int i = 0; i < 32; ++i) r |= ((v >> i) & 1) << (31 - i);
  return r;
}

// The CRC is bit-reflected: the first byte's lowest bit is the highest power. Moving a
// 128-bit block forward by `bits` multiplies each 64-bit half by x^(bits +- 32) mod P,
// reflected and shifted left one place so that the 96-bit product lines up with the block
// it is added to (a reflected product of n- and m-bit values has n + m - 1 bits).
constexpr std::uint64_t fold_constant(unsigned exponent) { return reflect32(x_pow_mod(exponent)) << 1; }

// By eight blocks (two 512-bit registers), four, three, two and one block.
constexpr std::uint64_t k1024_low = fold_constant(1024 + 32), k1024_high = fold_constant(1024 - 32);
constexpr std::uint64_t k512_low = fold_constant(512 + 32), k512_high = fold_constant(512 - 32);
constexpr std::uint64_t k128_low = fold_constant(128 + 32), k128_high = fold_constant(128 - 32);
static_assert(k512_low == 0x154442bd4 && k512_high == 0x1c6e41596 && k128_low == 0x1751997d0 &&
              k128_high == 0x0ccaa009e, "the published folding constants of the gzip CRC");

// Below this, the tables are as fast as setting up the folds.
constexpr std::size_t kFoldMinimum = 256;

#define AZD_CLMUL [[gnu::target("pclmul,sse2")]]
#define AZD_CLMUL512 [[gnu::target("pclmul,sse2,avx512f,vpclmulqdq")]]

AZD_CLMUL inline __m128i pair(std::uint64_t high, std::uint64_t low) {
  return _mm_set_epi64x(static_cast<long long>(high), static_cast<long long>(low));
}
AZD_CLMUL inline __m128i load(const unsigned char* p) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)); }
// x moved forward by the distance of k, plus the block it lands on.
AZD_CLMUL inline __m128i fold(__m128i x, __m128i k, __m128i onto) {
  return _mm_xor_si128(_mm_xor_si128(_mm_clmulepi64_si128(x, k, 0x00), _mm_clmulepi64_si128(x, k, 0x11)), onto);
}

// Four consecutive blocks folded into one, congruent to the four.
AZD_CLMUL inline __m128i fold4(__m128i a, __m128i b, __m128i c, __m128i d) {
  const __m128i k1 = pair(k128_high, k128_low);
  return fold(fold(fold(a, k1, b), k1, c), k1, d);
}

// The blocks from p on (n of them left, n < 64 or the caller's loop ended) folded into x,
// then x and the tail through the tables: the final reduction to 32 bits is 16 table steps
// per call instead of per block. With x congruent to the bytes before p, and the register
// already added into them, the register starts over from zero: zlib's ~0.
AZD_CLMUL std::uint32_t finish(__m128i x, const unsigned char* p, std::size_t n) {
  const __m128i k1 = pair(k128_high, k128_low);
  for (; n >= 16; p += 16, n -= 16) x = fold(x, k1, load(p));
  unsigned char block[16];
  _mm_storeu_si128(reinterpret_cast<__m128i*>(block), x);
  const uLong folded = ::crc32(0xFFFFFFFFUL, block, sizeof block);
  return static_cast<std::uint32_t>(::crc32(folded, p, static_cast<uInt>(n)));
}

// Four 128-bit lanes in flight, since a carry-less multiply's result comes a few cycles
// after it is issued. n >= 64.
AZD_CLMUL std::uint32_t crc32_clmul(std::uint32_t crc, const unsigned char* p, std::size_t n) {
  const __m128i k4 = pair(k512_high, k512_low);
  __m128i x0 = _mm_xor_si128(load(p), _mm_cvtsi32_si128(static_cast<int>(~crc)));
  __m128i x1 = load(p + 16), x2 = load(p + 32), x3 = load(p + 48);
  for (p += 64, n -= 64; n >= 64; p += 64, n -= 64) {
    x0 = fold(x0, k4, load(p));
    x1 = fold(x1, k4, load(p + 16));
    x2 = fold(x2, k4, load(p + 32));
    x3 = fold(x3, k4, load(p + 48));
  }
  return finish(fold4(x0, x1, x2, x3), p, n);
}

AZD_CLMUL512 inline __m512i pair4(std::uint64_t high, std::uint64_t low) {
  const auto h = static_cast<long long>(high), l = static_cast<long long>(low);
  return _mm512_set_epi64(h, l, h, l, h, l, h, l);
}
AZD_CLMUL512 inline __m512i fold512(__m512i x, __m512i k, __m512i onto) {
  // 0x96: a ^ b ^ c
  return _mm512_ternarylogic_epi64(_mm512_clmulepi64_epi128(x, k, 0x00), _mm512_clmulepi64_epi128(x, k, 0x11), onto, 0x96);
}

// The same with 512-bit registers: four lanes per instruction, two registers in flight
// (measured here: 55 GB/s against 14 GB/s for crc32_clmul and 6 GB/s for the tables).
// n >= 128.
AZD_CLMUL512 std::uint32_t crc32_clmul512(std::uint32_t crc, const unsigned char* p, std::size_t n) {
  const __m512i k8 = pair4(k1024_high, k1024_low);
  __m512i x0 = _mm512_xor_si512(_mm512_loadu_si512(p), _mm512_set_epi64(0, 0, 0, 0, 0, 0, 0, ~crc));
  __m512i x1 = _mm512_loadu_si512(p + 64);
  for (p += 128, n -= 128; n >= 128; p += 128, n -= 128) {
    x0 = fold512(x0, k8, _mm512_loadu_si512(p));
    x1 = fold512(x1, k8, _mm512_loadu_si512(p + 64));
  }
  // Its four lanes one after the other, as 128-bit blocks (through memory: GCC 12's lane
  // extraction intrinsics trip its own uninitialised-value warning).
  alignas(64) __m128i lane[4];
  _mm512_store_si512(lane, fold512(x0, pair4(k512_high, k512_low), x1));
  return finish(fold4(lane[0], lane[1], lane[2], lane[3]), p, n);
}

#undef AZD_CLMUL
#undef AZD_CLMUL512

std::uint32_t crc32_tables(std::uint32_t crc, const unsigned char* p, std::size_t n) {
  uLong c = crc;
  while (n > 0) {  // zlib's length is an unsigned int
    const std::size_t step = std::min<std::size_t>(n, 1U << 30);
    c = ::crc32(c, p, static_cast<uInt>(step));
    p += step;
    n -= step;
  }
  return static_cast<std::uint32_t>(c);
}

}  // namespace

CrcKernel best_crc_kernel() {
  static const CrcKernel best = [] {
    __builtin_cpu_init();
    if (!__builtin_cpu_supports("pclmul")) return CrcKernel::tables;
    // avx512f is reported only where the system saves the 512-bit registers too.
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("vpclmulqdq")) return CrcKernel::clmul512;
    return CrcKernel::clmul;
  }();
  return best;
}

std::uint32_t crc32(std::uint32_t crc, std::string_view bytes, CrcKernel kernel) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t n = bytes.size();
  if (n >= kFoldMinimum) {
    if (kernel == CrcKernel::clmul512) return crc32_clmul512(crc, p, n);
    if (kernel == CrcKernel::clmul) return crc32_clmul(crc, p, n);
  }
  return crc32_tables(crc, p, n);
}

std::uint32_t crc32(std::uint32_t crc, std::string_view bytes) { return crc32(crc, bytes, best_crc_kernel()); }

}  // namespace detail

std::string_view gzip_check_kernel() {
  switch (detail::best_crc_kernel()) {
    case detail::CrcKernel::clmul512: return "vpclmulqdq";
    case detail::CrcKernel::clmul: return "pclmulqdq";
    case detail::CrcKernel::tables: break;
  }
  return "tables";
}

namespace detail {

bool init_gunzip(z_stream* zs, std::string* err) {
  *zs = z_stream{};
  // 15 + 16: any window size, gzip members only (GzipCheck reads their 8-byte trailers).
  if (inflateInit2(zs, 15 + 16) != Z_OK) {
    *err = "gzip: cannot initialise zlib";
    return false;
  }
  (void)inflateValidate(zs, 0);  // it stays off across inflateReset()
  return true;
}

bool GzipCheck::end_member(const unsigned char* trailer, std::string* err) {
  const auto le32 = [](const unsigned char* p) {
    return std::uint32_t{p[0]} | std::uint32_t{p[1]} << 8 | std::uint32_t{p[2]} << 16 | std::uint32_t{p[3]} << 24;
  };
  const bool crc_ok = le32(trailer) == crc_;
  const bool size_ok = le32(trailer + 4) == static_cast<std::uint32_t>(size_);
  crc_ = 0;
  size_ = 0;
  // zlib's words for the same failures, so messages do not depend on who checked.
  if (!crc_ok) *err = "gzip: corrupt data (incorrect data check)";
  else if (!size_ok) *err = "gzip: corrupt data (incorrect length check)";
  return crc_ok && size_ok;
}

}  // namespace detail
}  // namespace azd::input
