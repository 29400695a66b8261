// nnfpga's hls::stream for C simulation with plain g++ (see README.md): an unbounded FIFO. As in
// AMD's simulation model, reading an empty stream warns and yields a default-constructed value
// instead of blocking (the warning goes to stderr here, AMD's goes to stdout).
#ifndef NNFPGA_HLSLIB_HLS_STREAM_H_
#define NNFPGA_HLSLIB_HLS_STREAM_H_

#include <cstddef>
#include <deque>
#include <iostream>
#include <string>

namespace hls {

template <typename T>
class stream {
 public:
  stream() : name_("hls::stream") {}
  explicit stream(const char* name) : name_(name) {}
  explicit stream(const std::string& name) : name_(name) {}

  // A stream is a hardware FIFO: copying one has no meaning, as in AMD's model.
  stream(const stream&) = delete;
  stream& operator=(const stream&) = delete;

  virtual ~stream() {
    if (!data_.empty()) {
      std::cerr << "WARNING: hls::stream '" << name_ << "' contains leftover data (" << data_.size()
                << " elements)" << std::endl;
    }
  }

  void write(const T& value) { data_.push_back(value); }
  bool write_nb(const T& value) {
    write(value);
    return true;
  }

  T read() {
    if (data_.empty()) {
      std::cerr << "WARNING: hls::stream '" << name_ << "' is read while empty" << std::endl;
      return T();
    }
    T value = data_.front();
    data_.pop_front();
    return value;
  }
  void read(T& value) { value = read(); }
  bool read_nb(T& value) {
    if (data_.empty()) {
      value = T();
      return false;
    }
    value = read();
    return true;
  }

  void operator<<(const T& value) { write(value); }
  void operator>>(T& value) { read(value); }

  bool empty() const { return data_.empty(); }
  bool full() const { return false; }
  std::size_t size() const { return data_.size(); }

 private:
  std::string name_;
  std::deque<T> data_;
};

}  // namespace hls

#endif  // NNFPGA_HLSLIB_HLS_STREAM_H_
