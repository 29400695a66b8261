// The Verilator driver of the board wrapper <top>_board (its C++ text, compiled by
// build_testbench): AXI4-Lite register reads and writes, then every input beat offered with random
// gaps while output beats are taken with random stalls, then the registers again. It prints what
// it saw; board_wrapper_rtl_test.cpp judges it.
#pragma once

namespace nnfpga::deploy::testing {

// argv: inputs file (one beat per line, 32-bit hex words, least significant first), outputs file,
// words per beat, seed, TLAST_EVERY to write, input beats per sample, output beats per sample,
// and the percentages of cycles in which TVALID and TREADY are offered.
// Output lines: "reg A V" (a register read: address, value), "beat CYCLE TLAST W..." (a taken
// output beat), "stall_violations N" (beats that changed or vanished while stalled),
// "measured_last_cycles N" (first input beat to last output beat of the last sample, counted here),
// "stream_cycles N" (from the first input beat offered to the last output beat taken).
// It follows the bench's shared prelude (backend/verilog/verilator_bench.hpp: Words, put, get,
// read_inputs).
inline constexpr const char* kBoardDriver = R"(
static TOP_CLASS* top;
static long cycle = 0;
static void edge() {
  top->aclk = 1;
  top->eval();
  ++cycle;
}
static void settle() {
  top->aclk = 0;
  top->eval();
}
static uint32_t lite_read(uint32_t addr) {
  top->s_axi_ctrl_araddr = addr;
  top->s_axi_ctrl_arvalid = 1;
  for (;;) {
    settle();
    const bool taken = top->s_axi_ctrl_arready;
    edge();
    if (taken) break;
  }
  top->s_axi_ctrl_arvalid = 0;
  for (;;) {
    top->s_axi_ctrl_rready = std::rand() % 2;
    settle();
    const bool done = top->s_axi_ctrl_rvalid && top->s_axi_ctrl_rready;
    const uint32_t data = top->s_axi_ctrl_rdata;
    edge();
    if (done) {
      top->s_axi_ctrl_rready = 0;
      return data;
    }
  }
}
static void lite_write(uint32_t addr, uint32_t data, uint32_t strb) {
  top->s_axi_ctrl_awaddr = addr;
  top->s_axi_ctrl_wdata = data;
  top->s_axi_ctrl_wstrb = strb;
  top->s_axi_ctrl_awvalid = 1;
  top->s_axi_ctrl_wvalid = 1;
  while (top->s_axi_ctrl_awvalid || top->s_axi_ctrl_wvalid) {
    settle();
    const bool aw = top->s_axi_ctrl_awvalid && top->s_axi_ctrl_awready;
    const bool w = top->s_axi_ctrl_wvalid && top->s_axi_ctrl_wready;
    edge();
    if (aw) top->s_axi_ctrl_awvalid = 0;
    if (w) top->s_axi_ctrl_wvalid = 0;
  }
  for (;;) {
    top->s_axi_ctrl_bready = std::rand() % 2;
    settle();
    const bool done = top->s_axi_ctrl_bvalid && top->s_axi_ctrl_bready;
    edge();
    if (done) break;
  }
  top->s_axi_ctrl_bready = 0;
}
static void read_all(FILE* out) {
  for (uint32_t a = 0; a <= 0x38; a += 4) std::fprintf(out, "reg %u %u\n", a, lite_read(a));
}
int main(int argc, char** argv) {
  if (argc != 10) return 2;
  FILE* in = std::fopen(argv[1], "r");
  FILE* out = std::fopen(argv[2], "w");
  const std::size_t words = std::strtoul(argv[3], nullptr, 10);
  std::srand(static_cast<unsigned>(std::strtoul(argv[4], nullptr, 10)));
  const uint32_t tlast_every = std::strtoul(argv[5], nullptr, 10);
  const long in_beats = std::strtol(argv[6], nullptr, 10);
  const long out_beats = std::strtol(argv[7], nullptr, 10);
  const int valid_percent = std::atoi(argv[8]);
  const int ready_percent = std::atoi(argv[9]);
  std::vector<Words> beats;
  std::vector<bool> present;
  read_inputs(in, beats, present);
  VerilatedContext context;
  top = new TOP_CLASS(&context);
  top->aresetn = 0;
  for (int k = 0; k < 3; ++k) {
    settle();
    edge();
  }
  top->aresetn = 1;
  read_all(out);
  lite_write(0x38, tlast_every, 0xF);
  // A write with no byte enabled changes nothing.
  lite_write(0x38, 0xFFFFFFFFu, 0x0);
  std::fprintf(out, "reg_after_write %u\n", lite_read(0x38));
  const long samples = static_cast<long>(beats.size()) / in_beats;
  const long want_out = samples * out_beats;
  std::size_t next = 0;
  long taken = 0, violations = 0, measured = -1;
  std::vector<long> starts;
  bool waiting = false;
  const long stream_start = cycle;
  Words held(words, 0), w(words, 0);
  for (long c = 0; taken < want_out && c < 200L * want_out + 1000; ++c) {
    top->s_axis_tvalid = next < beats.size() && std::rand() % 100 < valid_percent;
    top->s_axis_tlast = std::rand() % 2;  // ignored by the wrapper: it counts beats
    if (next < beats.size()) put(top->s_axis_tdata, beats[next]);
    top->m_axis_tready = std::rand() % 100 < ready_percent;
    settle();
    if (waiting) {
      get(top->m_axis_tdata, w);
      if (!top->m_axis_tvalid || w != held) ++violations;
    }
    if (top->s_axis_tvalid && top->s_axis_tready) {
      if (next % in_beats == 0) starts.push_back(cycle);
      ++next;
    }
    waiting = top->m_axis_tvalid && !top->m_axis_tready;
    if (waiting) get(top->m_axis_tdata, held);
    if (top->m_axis_tvalid && top->m_axis_tready) {
      get(top->m_axis_tdata, w);
      std::fprintf(out, "beat %ld %d", cycle, top->m_axis_tlast ? 1 : 0);
      for (std::size_t i = 0; i < w.size(); ++i) std::fprintf(out, " %08x", w[i]);
      std::fprintf(out, "\n");
      if (top->m_axis_tkeep != (1ULL << (words * 4)) - 1) ++violations;  // TKEEP all ones
      ++taken;
      if (taken % out_beats == 0) measured = cycle - starts.at(taken / out_beats - 1);
    }
    edge();
  }
  top->s_axis_tvalid = 0;
  top->m_axis_tready = 0;
  std::fprintf(out, "stall_violations %ld\n", violations);
  std::fprintf(out, "measured_last_cycles %ld\n", measured);
  std::fprintf(out, "stream_cycles %ld\n", cycle - stream_start);
  read_all(out);
  std::fclose(in);
  std::fclose(out);
  delete top;
  return 0;
}
)";

}  // namespace nnfpga::deploy::testing
