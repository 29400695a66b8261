// A recording hls::stream for the token-order tests (stream_order_test.cpp): an unbounded FIFO
// that logs every read and write, in order, with the stream it happened on, so that a test can
// see when a process wrote each output relative to the inputs it had read. It stands in for
// hlslib/ap_types/hls_stream.h in this test binary only (tests/CMakeLists.txt puts this folder
// first on its include path).
#ifndef NNFPGA_TEST_RECORDING_HLS_STREAM_H_
#define NNFPGA_TEST_RECORDING_HLS_STREAM_H_

#include <deque>
#include <utility>
#include <vector>

namespace hls {

// (stream, is_write) per access, in program order.
inline std::vector<std::pair<const void*, bool> >& access_log() {
  static std::vector<std::pair<const void*, bool> > log;
  return log;
}

template <typename T>
class stream {
 public:
  stream() {}
  stream(const stream&) = delete;
  stream& operator=(const stream&) = delete;
  void write(const T& value) {
    access_log().push_back(std::make_pair(static_cast<const void*>(this), true));
    data_.push_back(value);
  }
  T read() {
    access_log().push_back(std::make_pair(static_cast<const void*>(this), false));
    T value = data_.front();
    data_.pop_front();
    return value;
  }
  bool empty() const { return data_.empty(); }
  std::size_t size() const { return data_.size(); }

 private:
  std::deque<T> data_;
};

}  // namespace hls

#endif  // NNFPGA_TEST_RECORDING_HLS_STREAM_H_
