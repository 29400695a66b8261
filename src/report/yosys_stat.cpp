// `stat -json` of Yosys 0.23 after synth_xilinx: {"creator", "modules": {name: {...,
// "num_cells_by_type": {type: n}}}, "design": {...}}. Cell names are the Xilinx primitives of
// UG953; a name this file does not know is counted in `other` rather than guessed.
#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <string_view>

#include "nnfpga/error.hpp"
#include "report/report_text.hpp"
#include "report/yosys_stat.hpp"

namespace nnfpga::report {
namespace {

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool one_of(std::string_view s, std::initializer_list<std::string_view> names) {
  for (std::string_view n : names) {
    if (s == n) return true;
  }
  return false;
}

// LUT1..LUT6, LUT6_2 (two outputs of one LUT6 site) and INV: each occupies one LUT.
bool is_lut(std::string_view t) {
  return (t.size() == 4 && starts_with(t, "LUT") && t[3] >= '1' && t[3] <= '6') || t == "LUT6_2" ||
         t == "INV";
}

bool is_ff(std::string_view t) {
  return one_of(t, {"FDRE", "FDSE", "FDCE", "FDPE", "FDRE_1", "FDSE_1", "FDCE_1", "FDPE_1", "FDR",
                    "FDS", "FD", "FDE"});
}

bool is_lutram(std::string_view t) {
  return starts_with(t, "RAM16") || starts_with(t, "RAM32") || starts_with(t, "RAM64") ||
         starts_with(t, "RAM128") || starts_with(t, "RAM256");
}

bool is_io(std::string_view t) {
  return one_of(t, {"IBUF", "OBUF", "IOBUF", "OBUFT", "IBUFG", "BUFG", "BUFGCTRL", "BUFR", "BUFH",
                    "BUFIO", "IBUFDS", "OBUFDS"});
}

// Adds `n` cells of type `t` to the group it belongs to.
void add_cell(YosysStat& s, std::string_view t, long long n) {
  s.total += n;
  if (is_lut(t)) {
    s.lut += n;
  } else if (is_ff(t)) {
    s.ff += n;
  } else if (t == "CARRY4" || t == "CARRY8") {
    s.carry += n;
  } else if (starts_with(t, "DSP48")) {
    s.dsp += n;
  } else if (t == "RAMB18E1" || t == "RAMB18E2") {
    s.bram18 += n;
  } else if (t == "RAMB36E1" || t == "RAMB36E2") {
    s.bram18 += 2 * n;  // a 36 Kb block is two 18 Kb halves
  } else if (is_lutram(t)) {
    s.lutram += n;
  } else if (t == "SRL16E" || t == "SRLC32E" || t == "SRLC16E") {
    s.srl += n;
  } else if (t == "MUXF7") {
    s.muxf7 += n;
  } else if (t == "MUXF8") {
    s.muxf8 += n;
  } else if (one_of(t, {"LDCE", "LDPE", "LDCE_1", "LDPE_1"})) {
    s.latch += n;
  } else if (is_io(t)) {
    s.io += n;
  } else {
    s.other += n;
  }
}

Error not_a_stat(const std::string& source, const std::string& why) {
  return Error(ErrorKind::kInput, "not a Yosys `stat -json` report: " + why, {.file = source});
}

// The object whose cells make the design: "design" when present, else the only module.
const nlohmann::json& design_object(const nlohmann::json& doc, const std::string& source) {
  if (doc.contains("design") && doc["design"].contains("num_cells_by_type")) return doc["design"];
  if (!doc.contains("modules") || !doc["modules"].is_object()) {
    throw not_a_stat(source, "no \"modules\" object");
  }
  const nlohmann::json& modules = doc["modules"];
  if (modules.size() != 1) {
    throw Error(ErrorKind::kInput,
                fmt::format("the Yosys report holds {} modules and no design total: flatten the "
                            "design or run `stat -top <top>`",
                            modules.size()),
                {.file = source});
  }
  return modules.begin().value();
}

}  // namespace

YosysStat classify_yosys_cells(const std::map<std::string, long long>& cells) {
  YosysStat s;
  s.cells = cells;
  for (const auto& [type, count] : cells) add_cell(s, type, count);
  return s;
}

YosysStat parse_yosys_stat_json(const std::string& text, const std::string& source) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw not_a_stat(source, e.what());
  }
  if (!doc.is_object()) throw not_a_stat(source, "the top level is not an object");
  const nlohmann::json& design = design_object(doc, source);
  if (!design.contains("num_cells_by_type") || !design["num_cells_by_type"].is_object()) {
    throw not_a_stat(source, "no \"num_cells_by_type\" object");
  }
  std::map<std::string, long long> cells;
  try {
    for (const auto& [type, count] : design["num_cells_by_type"].items()) {
      // Yosys escapes user-visible names with a backslash; primitives have none.
      const std::string name = !type.empty() && type[0] == '\\' ? type.substr(1) : type;
      cells[name] += count.get<long long>();
    }
  } catch (const nlohmann::json::exception& e) {
    throw not_a_stat(source, e.what());
  }
  YosysStat s = classify_yosys_cells(cells);
  s.source = source;
  s.creator = doc.value("creator", "");
  return s;
}

YosysStat read_yosys_stat_json(const std::string& path) {
  return parse_yosys_stat_json(read_report_file(path), path);
}

}  // namespace nnfpga::report
