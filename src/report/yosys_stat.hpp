// Readers for what Yosys writes when `nnfpga rtlsynth` synthesizes a Verilog project for
// 7-series parts (synth_xilinx -family xc7): the cell counts of `stat -json`, grouped into the
// resources a Vivado user reads (LUT, FF, CARRY4, DSP, BRAM), the length of the longest
// combinational path `ltp` finds, and the problems `check` reports.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace nnfpga::report {

// Cell counts of one synthesized design. Every cell lands in exactly one group, so that
// lut + ff + carry + dsp + ram + srl + muxf7 + muxf8 + latch + io + other == total cells.
struct YosysStat {
  std::string source;                      // the file read
  std::string creator;                     // "Yosys 0.23 (git sha1 ...)"
  std::map<std::string, long long> cells;  // every cell type as Yosys names it, with its count
  long long lut = 0;     // LUT1..LUT6 and INV (Vivado maps an INV to a LUT1); a LUT6_2 is one LUT
  long long ff = 0;      // FDRE, FDSE, FDCE, FDPE (and their inverted-clock _1 forms)
  long long carry = 0;   // CARRY4 (CARRY8 on UltraScale): 4 bits of carry chain each
  long long dsp = 0;     // DSP48E1 (DSP48E2)
  long long bram18 = 0;  // block RAM in 18 Kb units: RAMB18E1 counts 1, RAMB36E1 counts 2
  long long lutram = 0;  // distributed RAM cells (RAM32X1D, RAM64M, ...): one per cell
  long long srl = 0;     // SRL16E, SRLC32E shift registers (each sits in a LUT)
  long long muxf7 = 0, muxf8 = 0;  // the slice's wide-function muxes (not LUTs)
  long long latch = 0;             // LDCE, LDPE: nnfpga's RTL never wants one
  long long io = 0;                // IBUF, OBUF, BUFG...: none when synthesized out of context
  long long other = 0;             // a cell type none of the above names (listed in `cells`)
  long long total = 0;
};

// Reads `stat -json`. Takes the "design" total when Yosys wrote one (a hierarchy with a known
// top), else the one module. Throws nnfpga::Error (kInput) naming the file when it is not such
// a report, or when it holds several modules and no design total (run `stat -top <top>`).
YosysStat read_yosys_stat_json(const std::string& path);
YosysStat parse_yosys_stat_json(const std::string& text, const std::string& source);

// Sorts cell counts into the groups above (exposed for tests and the estimate's comparison).
YosysStat classify_yosys_cells(const std::map<std::string, long long>& cells);

// The length `ltp` printed: "Longest topological path in <module> (length=N)". With the
// sequential cells deselected (as rtlsynth runs it), N counts the combinational cells on the
// longest path between registers or ports, like Vivado's "logic levels". Throws nnfpga::Error
// (kInput) when the text holds no such line.
int parse_yosys_ltp_length(const std::string& text, const std::string& source);

// One problem `check` reported: its kind ("multiple drivers", "logic loop", "undriven", or
// "other") and its first line as Yosys wrote it.
struct YosysProblem {
  std::string kind;
  std::string message;
};
std::vector<YosysProblem> parse_yosys_check(const std::string& text);

}  // namespace nnfpga::report
