#include "report/layout.h"

#include <algorithm>

namespace azd::report::detail {

std::size_t display_width(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

std::string fit(std::string_view s, std::size_t width) {
  if (display_width(s) <= width) return std::string(s);
  if (width == 0) return "";
  std::string out;
  std::size_t cols = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool starts = (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
    if (starts && ++cols > width - 1) break;
    out.push_back(s[i]);
  }
  return out + "…";
}

std::string pad(std::string s, std::size_t width) {
  const std::size_t w = display_width(s);
  if (w < width) s.append(width - w, ' ');
  return s;
}

std::string render_columns(const std::vector<std::string>& headers, const std::vector<std::vector<std::string>>& rows,
                           const std::vector<std::size_t>& caps) {
  std::vector<std::size_t> widths;
  for (const std::string& h : headers) widths.push_back(display_width(h));
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], display_width(row[i]));
    }
  }
  for (std::size_t i = 0; i < widths.size() && i < caps.size(); ++i) {
    if (caps[i] > 0) widths[i] = std::min(widths[i], caps[i]);
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string out;
    for (std::size_t i = 0; i < cells.size() && i < widths.size(); ++i) {
      if (i) out += "  ";
      const std::string cell = fit(cells[i], widths[i]);
      out += i + 1 == cells.size() ? cell : pad(cell, widths[i]);
    }
    return out + "\n";
  };
  std::string text = line(headers);
  for (const auto& row : rows) text += line(row);
  return text;
}

}  // namespace azd::report::detail
