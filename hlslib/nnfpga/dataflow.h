// A dataflow region of the generated top: the macros it is written with, and how they run.
//
//   NNF_DATAFLOW_BEGIN
//   NNF_STREAM_DEPTH(layer2_out, 34);
//   NNF_PROCESS(nnf::conv_2d<config2>(input, layer2_out));
//   NNF_PROCESS(nnf::relu<config3>(layer2_out, layer3_out));
//   NNF_DATAFLOW_END
//
// - Under __SYNTHESIS__ the processes are plain statements and NNF_STREAM_DEPTH is nothing: the
//   tool sees an ordinary dataflow region (the top writes `#pragma HLS DATAFLOW` and one
//   `#pragma HLS STREAM variable=... depth=...` per FIFO itself).
// - With AMD's hls_stream.h (C simulation in Vitis/Vivado HLS) the processes run one after the
//   other on unbounded streams: a feed-forward dataflow computes the same values so.
// - With nnfpga's hls_stream.h (it defines NNFPGA_HLS_STREAM_BOUNDED) every process runs on its own
//   thread and every stream is bounded at the depth NNF_STREAM_DEPTH gives it, as in hardware: a
//   FIFO too shallow for a reconvergent path is then a deadlock, reported (which process waits
//   on which FIFO) with exit status 1 instead of a hang.
#ifndef NNFPGA_HLS_DATAFLOW_H_
#define NNFPGA_HLS_DATAFLOW_H_

#include "hls_stream.h"

#if defined(__SYNTHESIS__) || !defined(NNFPGA_HLS_STREAM_BOUNDED)

#define NNF_DATAFLOW_BEGIN
#define NNF_STREAM_DEPTH(stream, depth)
#define NNF_PROCESS(...) __VA_ARGS__
#define NNF_DATAFLOW_END

#else

#include <functional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace nnf {

// The processes of one region, started together and joined.
class dataflow_region {
 public:
  // `call` is the process's statement as written: its name in a deadlock report is the text up to
  // the first '(' (the function and its template arguments).
  void add(const char* call, std::function<void()> body) {
    std::string name(call);
    const std::size_t paren = name.find('(');
    if (paren != std::string::npos) name.resize(paren);
    names_.push_back(std::to_string(names_.size()) + ": " + name);
    bodies_.push_back(std::move(body));
  }

  void run() {
    nnfpga_stream_detail::Monitor& m = nnfpga_stream_detail::monitor();
    {
      std::lock_guard<std::mutex> lock(m.mutex);
      m.live = static_cast<int>(bodies_.size());
      m.waiting = 0;
      m.waits.clear();
    }
    std::vector<std::thread> threads;
    threads.reserve(bodies_.size());
    for (std::size_t i = 0; i < bodies_.size(); ++i) {
      threads.emplace_back([this, i, &m] {
        nnfpga_stream_detail::current_process() = &names_[i];
        bodies_[i]();
        nnfpga_stream_detail::current_process() = nullptr;
        std::lock_guard<std::mutex> lock(m.mutex);
        --m.live;
        m.check_deadlock();  // the others may wait for beats this process will never write
      });
    }
    for (std::thread& t : threads) t.join();
  }

 private:
  std::vector<std::string> names_;
  std::vector<std::function<void()> > bodies_;
};

}  // namespace nnf

#define NNF_DATAFLOW_BEGIN \
  {                        \
    ::nnf::dataflow_region nnf_dataflow_region_;
#define NNF_STREAM_DEPTH(stream, depth) (stream).set_depth(depth)
#define NNF_PROCESS(...) nnf_dataflow_region_.add(#__VA_ARGS__, [&]() { __VA_ARGS__; })
#define NNF_DATAFLOW_END     \
  nnf_dataflow_region_.run(); \
  }

#endif

#endif  // NNFPGA_HLS_DATAFLOW_H_
