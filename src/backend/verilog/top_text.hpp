// The text of the modules around the layers: the core (layers wired together, tensors delayed
// to meet, the valid pipeline), the contract's top module, and the AXI-stream-style wrapper.
#pragma once

#include <string>
#include <vector>

#include "backend/verilog/netlist.hpp"

namespace nnfpga::backend::verilog {

// A tensor of the core: a flat wire of `bits`, available after `stage` registers.
struct CoreTensor {
  std::string wire;
  int bits = 1;
  int stage = 0;
  std::vector<std::string> delayed;  // the wire after 1, 2, ... more registers
};

// One layer instance: the module, its input tensors (indices into the tensor list), its output.
struct CoreInstance {
  std::string module;
  std::string instance;
  std::vector<int> inputs;
  std::vector<int> input_stages;  // the stage each input is read in
  int output = 0;
};

// The core module before it is text: its tensors (wires), its layer instances, and the
// latency from in_data to out_data.
struct CoreModule {
  std::string name;  // <top>_core
  std::vector<CoreTensor> tensors;
  std::vector<CoreInstance> instances;
  int input = 0;   // the tensor that is in_data
  int output = 0;  // the tensor that is out_data
  int latency = 0;
};

// The core module. Tensors read in later stages than they arrive get register chains here.
std::string core_text(CoreModule& core);

// module <top>: the contract's ports, the core with its clock enable tied high.
std::string top_text(const std::string& top, const std::string& core, int in_bits, int out_bits);

// module <top>_axis: s_axis_* in, m_axis_* out; the pipeline advances (ce) whenever its output
// is taken or is not valid, so s_axis_tready = m_axis_tready | ~m_axis_tvalid.
std::string axis_text(const std::string& top, const std::string& core, int in_bits, int out_bits,
                      int latency);

}  // namespace nnfpga::backend::verilog
