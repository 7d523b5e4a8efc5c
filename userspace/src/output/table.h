// Column-aligned text tables for human output (the style of `ip -br` and `lsblk`).
#pragma once

#include <string>
#include <vector>

namespace resfence {

class Table {
 public:
  explicit Table(std::vector<std::string> headers);
  // A row shorter than the header is padded with empty cells; a longer one
  // throws std::invalid_argument (a programming error).
  void add_row(std::vector<std::string> cells);
  [[nodiscard]] bool empty() const { return rows_.empty(); }
  // Columns left-aligned, separated by two spaces, no trailing whitespace,
  // one '\n' per line including the header.
  [[nodiscard]] std::string render() const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace resfence
