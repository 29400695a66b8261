// nnfpga's hls::stream for C simulation with plain g++ (see README.md).
//
// Outside a dataflow region (hlslib/nnfpga/dataflow.h), a stream is an unbounded FIFO, as in
// AMD's simulation model: reading an empty stream warns and yields a default-constructed value
// instead of blocking (the warning goes to stderr here, AMD's goes to stdout). Testbenches and the
// pipelined MLP tops use it so.
//
// Inside a dataflow region each process runs on its own thread, and a stream behaves as the
// hardware FIFO: a read waits while it is empty, and a write waits while it holds `depth` beats
// (set_depth(n), a constructor argument or the template argument, as `#pragma HLS STREAM
// depth=n` sets it; 0 leaves it unbounded). Every stream shares one monitor, which knows how many
// process threads are alive and how many wait: when all of them wait, no beat can ever move, so
// the monitor prints which process waits on which stream, and why, and exits with status 1
// instead of hanging.
#ifndef NNFPGA_HLSLIB_HLS_STREAM_H_
#define NNFPGA_HLSLIB_HLS_STREAM_H_

// Tells hlslib/nnfpga/dataflow.h that streams here are bounded and thread-safe, so processes may
// run as threads (AMD's header does not define it: the processes then run one after another).
#define NNFPGA_HLS_STREAM_BOUNDED 1

#include <condition_variable>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <iostream>
#include <mutex>
#include <string>
#include <vector>

namespace nnfpga_stream_detail {

// What a waiting process waits for.
struct Wait {
  const std::string* process;  // the process's name (dataflow.h)
  const std::string* stream;   // the stream's name
  bool for_space;              // true: the stream is full (a write); false: empty (a read)
  std::size_t depth;
};

// The one monitor of every stream and dataflow region: a mutex for the streams' contents, the
// count of live and waiting process threads, and what each waiting thread waits for.
struct Monitor {
  std::mutex mutex;
  int live = 0;     // process threads of the running region that have not returned
  int waiting = 0;  // of those, the ones waiting on a stream
  std::vector<Wait> waits;

  // Called with `mutex` held, after a thread's count changed: when every live thread waits, the
  // region can never make progress.
  void check_deadlock() {
    if (live == 0 || waiting < live) return;
    std::fflush(stdout);
    std::cerr << "nnfpga csim: deadlock in the dataflow region: every process waits on a FIFO\n";
    for (const Wait& w : waits) {
      std::cerr << "  process '" << *w.process << "' waits to " << (w.for_space ? "write" : "read")
                << " FIFO '" << *w.stream << "' ("
                << (w.for_space ? "full at depth " + std::to_string(w.depth) : std::string("empty"))
                << ")\n";
    }
    std::cerr << "A FIFO on a reconvergent path (a skip connection's bypass, a Concatenate's "
                 "shorter branch) is too shallow: deepen it (FifoDepth in the configuration)."
              << std::endl;
    std::_Exit(1);
  }
};

inline Monitor& monitor() {
  static Monitor m;
  return m;
}

// The process the calling thread runs, or nullptr outside a dataflow region.
inline const std::string*& current_process() {
  static thread_local const std::string* name = nullptr;
  return name;
}

}  // namespace nnfpga_stream_detail

namespace hls {

template <typename T, std::size_t Depth = 0>
class stream {
 public:
  stream() : name_("hls::stream"), depth_(Depth) {}
  explicit stream(const char* name, std::size_t depth = Depth) : name_(name), depth_(depth) {}
  explicit stream(const std::string& name, std::size_t depth = Depth)
      : name_(name), depth_(depth) {}

  // A stream is a hardware FIFO: copying one has no meaning, as in AMD's model.
  stream(const stream&) = delete;
  stream& operator=(const stream&) = delete;

  virtual ~stream() {
    if (!data_.empty()) {
      std::cerr << "WARNING: hls::stream '" << name_ << "' contains leftover data (" << data_.size()
                << " elements)" << std::endl;
    }
  }

  // The FIFO's depth in beats inside a dataflow region (0: unbounded).
  void set_depth(std::size_t depth) {
    std::lock_guard<std::mutex> lock(detail().mutex);
    depth_ = depth;
  }
  std::size_t depth() const { return depth_; }
  const std::string& name() const { return name_; }

  void write(const T& value) {
    nnfpga_stream_detail::Monitor& m = detail();
    std::unique_lock<std::mutex> lock(m.mutex);
    const std::string* process = nnfpga_stream_detail::current_process();
    if (process != nullptr && depth_ > 0 && data_.size() >= depth_) {
      wait(lock, process, true, writer_waits_, space_);
    }
    data_.push_back(value);
    wake(reader_waits_, data_ready_);
  }
  bool write_nb(const T& value) {
    {
      std::lock_guard<std::mutex> lock(detail().mutex);
      if (depth_ > 0 && data_.size() >= depth_) return false;
    }
    write(value);
    return true;
  }

  T read() {
    nnfpga_stream_detail::Monitor& m = detail();
    std::unique_lock<std::mutex> lock(m.mutex);
    const std::string* process = nnfpga_stream_detail::current_process();
    if (data_.empty()) {
      if (process == nullptr) {
        std::cerr << "WARNING: hls::stream '" << name_ << "' is read while empty" << std::endl;
        return T();
      }
      wait(lock, process, false, reader_waits_, data_ready_);
    }
    T value = data_.front();
    data_.pop_front();
    wake(writer_waits_, space_);
    return value;
  }
  void read(T& value) { value = read(); }
  bool read_nb(T& value) {
    {
      std::lock_guard<std::mutex> lock(detail().mutex);
      if (data_.empty()) {
        value = T();
        return false;
      }
    }
    value = read();
    return true;
  }

  void operator<<(const T& value) { write(value); }
  void operator>>(T& value) { read(value); }

  bool empty() const {
    std::lock_guard<std::mutex> lock(detail().mutex);
    return data_.empty();
  }
  bool full() const {
    std::lock_guard<std::mutex> lock(detail().mutex);
    return depth_ > 0 && data_.size() >= depth_;
  }
  std::size_t size() const {
    std::lock_guard<std::mutex> lock(detail().mutex);
    return data_.size();
  }

 private:
  static nnfpga_stream_detail::Monitor& detail() { return nnfpga_stream_detail::monitor(); }

  // Waits (the monitor's mutex held by `lock`) until the other side wakes this side. The other
  // side counts the waiter out before it notifies, so the monitor's count of waiting threads is
  // exact whenever its mutex is free, and a deadlock is never reported while a wake-up is on its
  // way.
  void wait(std::unique_lock<std::mutex>& lock, const std::string* process, bool for_space,
            bool& waits, std::condition_variable& cv) {
    nnfpga_stream_detail::Monitor& m = detail();
    waits = true;
    ++m.waiting;
    m.waits.push_back({process, &name_, for_space, depth_});
    m.check_deadlock();
    cv.wait(lock, [&] { return !waits; });
  }

  // Wakes the other side if it waits on this stream (the monitor's mutex held).
  void wake(bool& waits, std::condition_variable& cv) {
    if (!waits) return;
    nnfpga_stream_detail::Monitor& m = detail();
    waits = false;
    --m.waiting;
    for (std::size_t i = 0; i < m.waits.size(); ++i) {
      if (m.waits[i].stream == &name_) {
        m.waits.erase(m.waits.begin() + static_cast<std::ptrdiff_t>(i));
        break;
      }
    }
    cv.notify_one();
  }

  std::string name_;
  std::size_t depth_;
  std::deque<T> data_;
  bool reader_waits_ = false;
  bool writer_waits_ = false;
  std::condition_variable data_ready_;
  std::condition_variable space_;
};

}  // namespace hls

#endif  // NNFPGA_HLSLIB_HLS_STREAM_H_
