// The pieces board_wrapper.cpp and board_wrapper_stream.cpp share: the template filler and the
// counters' widths (board_wrapper.cpp), and the streaming wrapper's own text and fields
// (board_wrapper_stream.cpp). Internal to src/deploy/.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "deploy/board_wrapper.hpp"

namespace nnfpga::deploy::wrapper_detail {

using WrapperFields = std::map<std::string, std::string>;

// `text` with every ${NAME} replaced; throws nnfpga::Error (kInternal) if one is left.
std::string fill_wrapper_template(std::string text, const WrapperFields& fields);

// Bits of a counter of 0 .. count-1 (at least 1), and a sized decimal literal.
int counter_bits(std::int64_t count);
std::string sized_literal(int bits, std::int64_t value);

// The streaming wrapper's header comment and datapath (between the shared ports and control).
const char* stream_wrapper_intro();
const char* stream_wrapper_datapath();

// The fields only the streaming templates use; `depth` is the start-time FIFO's.
void add_stream_fields(const WrapperSpec& spec, int depth, WrapperFields& fields);

}  // namespace nnfpga::deploy::wrapper_detail
