// The simulated board behind `nnfpga boardsim`: the accelerator's RTL (<top>_board, Verilated),
// a cycle-level model of the AXI DMA in simple (no scatter-gather) mode, a simulated DDR made of
// the host buffers the pynq stand-in allocates, and an AXI4-Lite master for the accelerator's
// registers. Everything advances together, one rising edge of aclk at a time.
//
// Compiled by nnfpga boardsim with Verilator into a shared library that Python loads with
// ctypes; TOP_CLASS names the Verilated model and NNFPGA_BEAT_BITS the stream width B.
//
// The DMA's registers and status bits follow PG021 (AXI DMA v7.1), simple mode:
//   MM2S_DMACR 0x00, MM2S_DMASR 0x04, MM2S_SA 0x18 (+0x1C MSB), MM2S_LENGTH 0x28,
//   S2MM_DMACR 0x30, S2MM_DMASR 0x34, S2MM_DA 0x48 (+0x4C MSB), S2MM_LENGTH 0x58;
//   DMACR bit 0 RS, bit 2 Reset; DMASR bit 0 Halted, 1 Idle, 4 DMAIntErr, 5 DMASlvErr,
//   6 DMADecErr, 12 IOC_Irq, 14 Err_Irq (the last two write-one-to-clear).
// Writing LENGTH with RS set starts a transfer. MM2S reads memory in bursts and raises TLAST on
// the transfer's last beat; S2MM takes beats only while a transfer is armed, ends it at TLAST
// (LENGTH then reads the bytes received) and flags DMAIntErr when a packet overruns LENGTH.
// The memory timing (read latency, burst length, FIFO depth, write response) is a model
// assumption stated below, not a measurement of a Zynq's DDR.
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <vector>

#include "verilated.h"

namespace {

constexpr int kBeatBytes = NNFPGA_BEAT_BITS / 8;
constexpr std::uint64_t kReadLatency = 24;    // cycles from a burst's read request to its data
constexpr std::uint64_t kBurstBeats = 16;     // the DMA's default maximum burst
constexpr std::uint64_t kFifoBeats = 64;      // MM2S data FIFO, requests wait for room
constexpr std::uint64_t kWriteLatency = 16;   // S2MM: last beat to the last write response
constexpr std::uint64_t kRegisterCycles = 4;  // a PS write or read of a DMA register

constexpr std::uint32_t kRs = 1U << 0, kReset = 1U << 2;
constexpr std::uint32_t kHalted = 1U << 0, kIdle = 1U << 1, kIntErr = 1U << 4, kDecErr = 1U << 6,
                        kIoc = 1U << 12, kErrIrq = 1U << 14;

using Beat = std::vector<std::uint8_t>;  // kBeatBytes bytes, little-endian lanes

template <typename T>
void put_data(T& port, const Beat& b) {
  std::uint64_t v = 0;
  std::memcpy(&v, b.data(), sizeof(T) < sizeof v ? sizeof(T) : sizeof v);
  port = static_cast<T>(v);
}
template <std::size_t N>
void put_data(VlWide<N>& port, const Beat& b) {
  for (std::size_t i = 0; i < N; ++i) std::memcpy(&port[i], b.data() + 4 * i, 4);
}
template <typename T>
void get_data(const T& port, Beat& b) {
  const std::uint64_t v = port;
  std::memcpy(b.data(), &v, sizeof(T) < sizeof v ? sizeof(T) : sizeof v);
}
template <std::size_t N>
void get_data(const VlWide<N>& port, Beat& b) {
  for (std::size_t i = 0; i < N; ++i) std::memcpy(b.data() + 4 * i, &port[i], 4);
}

// Host buffers registered by the stand-in's allocate(), found by simulated physical address.
class Memory {
 public:
  void map(std::uint64_t phys, std::uint8_t* host, std::uint64_t bytes) {
    regions_[phys] = {host, bytes};
  }
  void unmap(std::uint64_t phys) { regions_.erase(phys); }
  // Nullptr when [phys, phys + bytes) is not inside one mapped buffer (a decode error).
  std::uint8_t* at(std::uint64_t phys, std::uint64_t bytes) const {
    auto it = regions_.upper_bound(phys);
    if (it == regions_.begin()) return nullptr;
    --it;
    const std::uint64_t offset = phys - it->first;
    if (offset + bytes > it->second.bytes) return nullptr;
    return it->second.host + offset;
  }

 private:
  struct Region {
    std::uint8_t* host;
    std::uint64_t bytes;
  };
  std::map<std::uint64_t, Region> regions_;
};

// One DMA channel's register file and transfer state.
struct Channel {
  std::uint32_t dmacr = 0;
  std::uint32_t dmasr = kHalted;
  std::uint64_t address = 0;
  std::uint32_t length = 0;
  bool busy = false;
  std::uint64_t done_bytes = 0;  // MM2S: bytes sent; S2MM: bytes received
  std::uint64_t beats = 0;       // beats moved since reset (statistics)

  void fail(std::uint32_t bits) {
    dmasr |= bits | kHalted | kErrIrq;
    dmasr &= ~kIdle;
    dmacr &= ~kRs;
    busy = false;
  }
  void finish() {
    busy = false;
    dmasr |= kIdle | kIoc;
  }
};

struct InFlight {
  std::uint64_t arrives;  // cycle the beat reaches the FIFO
  Beat data;
  bool last;
};

class Board {
 public:
  Board() : top_(&context_) {
    top_.aresetn = 0;
    top_.s_axis_tvalid = 0;
    top_.m_axis_tready = 0;
    idle_lite();
    for (int i = 0; i < 4; ++i) tick();
    top_.aresetn = 1;
    tick();
  }
  ~Board() { top_.final(); }

  Memory memory;
  std::uint64_t cycle = 0;

  std::uint32_t dma_read(std::uint32_t offset) {
    advance(kRegisterCycles);
    Channel& c = offset >= 0x30 ? s2mm_ : mm2s_;
    switch (offset % 0x30) {
      case 0x00:
        return c.dmacr;
      case 0x04:
        return c.dmasr;
      case 0x18:
        return static_cast<std::uint32_t>(c.address);
      case 0x1C:
        return static_cast<std::uint32_t>(c.address >> 32);
      case 0x28:
        return &c == &s2mm_ && !c.busy ? static_cast<std::uint32_t>(c.done_bytes) : c.length;
      default:
        return 0;
    }
  }

  void dma_write(std::uint32_t offset, std::uint32_t value) {
    advance(kRegisterCycles);
    Channel& c = offset >= 0x30 ? s2mm_ : mm2s_;
    switch (offset % 0x30) {
      case 0x00:
        if ((value & kReset) != 0) {
          mm2s_ = Channel{};
          s2mm_ = Channel{};
          fifo_.clear();
          return;
        }
        c.dmacr = value & ~kReset;
        if ((value & kRs) != 0) {
          c.dmasr &= ~kHalted;
        } else {
          c.dmasr |= kHalted;
          c.busy = false;
        }
        return;
      case 0x04:
        c.dmasr &= ~(value & (kIoc | kErrIrq));
        return;
      case 0x18:
        c.address = (c.address & ~std::uint64_t{0xFFFFFFFF}) | value;
        return;
      case 0x1C:
        c.address = (c.address & 0xFFFFFFFF) | (static_cast<std::uint64_t>(value) << 32);
        return;
      case 0x28:
        start(c, value);
        return;
      default:
        return;
    }
  }

  // The accelerator's AXI4-Lite slave, driven as the PS's master does: 0 on OKAY, 1 when the
  // slave does not answer within the limit, 2 on an error response.
  int ctrl_write(std::uint32_t address, std::uint32_t data) {
    bool aw = true, w = true;
    for (int k = 0; k < kLiteLimit; ++k) {
      top_.s_axi_ctrl_awvalid = aw;
      top_.s_axi_ctrl_awaddr = static_cast<std::uint8_t>(address);
      top_.s_axi_ctrl_wvalid = w;
      top_.s_axi_ctrl_wdata = data;
      top_.s_axi_ctrl_wstrb = 0xF;
      top_.s_axi_ctrl_bready = 1;
      settle();
      const bool aw_fire = aw && top_.s_axi_ctrl_awready;
      const bool w_fire = w && top_.s_axi_ctrl_wready;
      const bool b_fire = !aw && !w && top_.s_axi_ctrl_bvalid;
      const int resp = top_.s_axi_ctrl_bresp;
      edge();
      aw = aw && !aw_fire;
      w = w && !w_fire;
      if (b_fire) {
        idle_lite();
        return resp == 0 ? 0 : 2;
      }
    }
    idle_lite();
    return 1;
  }

  int ctrl_read(std::uint32_t address, std::uint32_t* data) {
    bool ar = true;
    for (int k = 0; k < kLiteLimit; ++k) {
      top_.s_axi_ctrl_arvalid = ar;
      top_.s_axi_ctrl_araddr = static_cast<std::uint8_t>(address);
      top_.s_axi_ctrl_rready = 1;
      settle();
      const bool ar_fire = ar && top_.s_axi_ctrl_arready;
      const bool r_fire = !ar && top_.s_axi_ctrl_rvalid;
      *data = top_.s_axi_ctrl_rdata;
      const int resp = top_.s_axi_ctrl_rresp;
      edge();
      ar = ar && !ar_fire;
      if (r_fire) {
        idle_lite();
        return resp == 0 ? 0 : 2;
      }
    }
    idle_lite();
    return 1;
  }

  void advance(std::uint64_t cycles) {
    for (std::uint64_t i = 0; i < cycles; ++i) tick();
  }

  // Runs until the channel's DMASR shows Idle (0) or Halted (1), or `limit` cycles pass (2).
  int wait(std::uint32_t dmasr_offset, std::uint64_t limit) {
    const Channel& c = dmasr_offset >= 0x30 ? s2mm_ : mm2s_;
    for (std::uint64_t i = 0; i <= limit; ++i) {
      if ((c.dmasr & kHalted) != 0) return 1;
      if ((c.dmasr & kIdle) != 0) return 0;
      tick();
    }
    return 2;
  }

  std::uint64_t beats(int channel) const { return channel == 0 ? mm2s_.beats : s2mm_.beats; }

 private:
  static constexpr int kLiteLimit = 1000;

  void idle_lite() {
    top_.s_axi_ctrl_awvalid = 0;
    top_.s_axi_ctrl_wvalid = 0;
    top_.s_axi_ctrl_bready = 0;
    top_.s_axi_ctrl_arvalid = 0;
    top_.s_axi_ctrl_rready = 0;
    top_.s_axi_ctrl_wstrb = 0;
  }

  void start(Channel& c, std::uint32_t length) {
    if ((c.dmacr & kRs) == 0 || length == 0) return;  // ignored, as by the hardware
    // PG021 leaves a LENGTH write during a transfer undefined: the model flags it.
    if (c.busy) return c.fail(kIntErr);
    c.length = length;
    c.busy = true;
    c.done_bytes = 0;
    c.dmasr &= ~kIdle;
    if (&c == &mm2s_) {
      issued_beats_ = 0;
      in_flight_.clear();
      fifo_.clear();
      total_beats_ = (length + kBeatBytes - 1) / kBeatBytes;
    } else {
      s2mm_done_at_ = 0;
    }
  }

  // MM2S: read requests (a burst when the FIFO has room), their data arriving one beat a cycle
  // after the read latency.
  void mm2s_fetch() {
    if (!mm2s_.busy) return;
    const std::uint64_t queued = fifo_.size() + in_flight_.size();
    if (issued_beats_ < total_beats_ && queued + kBurstBeats <= kFifoBeats) {
      const std::uint64_t n = std::min(kBurstBeats, total_beats_ - issued_beats_);
      std::uint64_t at = cycle + kReadLatency;
      if (!in_flight_.empty() && in_flight_.back().arrives >= at)
        at = in_flight_.back().arrives + 1;
      for (std::uint64_t b = 0; b < n; ++b, ++issued_beats_) {
        const std::uint64_t offset = issued_beats_ * kBeatBytes;
        const std::uint64_t bytes = std::min<std::uint64_t>(kBeatBytes, mm2s_.length - offset);
        const std::uint8_t* src = memory.at(mm2s_.address + offset, bytes);
        if (src == nullptr) return mm2s_.fail(kDecErr);
        Beat beat(kBeatBytes, 0);
        std::memcpy(beat.data(), src, bytes);
        in_flight_.push_back({at + b, std::move(beat), issued_beats_ + 1 == total_beats_});
      }
    }
    while (!in_flight_.empty() && in_flight_.front().arrives <= cycle) {
      fifo_.push_back(std::move(in_flight_.front()));
      in_flight_.pop_front();
    }
  }

  // One rising edge of aclk: the DMA's stream outputs are set, the RTL settles, handshakes are
  // sampled, the edge is applied, then the model's state advances.
  void tick() {
    settle();
    edge();
  }

  void settle() {
    mm2s_fetch();
    const bool in_valid = mm2s_.busy && !fifo_.empty();
    top_.s_axis_tvalid = in_valid;
    if (in_valid) {
      put_data(top_.s_axis_tdata, fifo_.front().data);
      top_.s_axis_tlast = fifo_.front().last;
    } else {
      top_.s_axis_tlast = 0;
    }
    top_.m_axis_tready = s2mm_.busy && s2mm_done_at_ == 0;
    top_.aclk = 0;
    top_.eval();
  }

  void edge() {
    const bool in_fire = top_.s_axis_tvalid && top_.s_axis_tready;
    const bool out_fire = top_.m_axis_tvalid && top_.m_axis_tready;
    Beat out(kBeatBytes, 0);
    bool out_last = false;
    if (out_fire) {
      get_data(top_.m_axis_tdata, out);
      out_last = top_.m_axis_tlast;
    }
    top_.aclk = 1;
    top_.eval();
    ++cycle;
    if (in_fire) {
      fifo_.pop_front();
      ++mm2s_.beats;
      mm2s_.done_bytes += kBeatBytes;
      if (mm2s_.done_bytes >= mm2s_.length) mm2s_.finish();
    }
    if (out_fire) s2mm_take(out, out_last);
    if (s2mm_done_at_ != 0 && cycle >= s2mm_done_at_) {
      s2mm_done_at_ = 0;
      s2mm_.finish();
    }
  }

  void s2mm_take(const Beat& beat, bool last) {
    ++s2mm_.beats;
    if (s2mm_.done_bytes + kBeatBytes > s2mm_.length) return s2mm_.fail(kIntErr);
    std::uint8_t* dst = memory.at(s2mm_.address + s2mm_.done_bytes, kBeatBytes);
    if (dst == nullptr) return s2mm_.fail(kDecErr);
    std::memcpy(dst, beat.data(), kBeatBytes);
    s2mm_.done_bytes += kBeatBytes;
    if (last) s2mm_done_at_ = cycle + kWriteLatency;
  }

  VerilatedContext context_;
  TOP_CLASS top_;
  Channel mm2s_, s2mm_;
  std::deque<InFlight> in_flight_;
  std::deque<InFlight> fifo_;
  std::uint64_t issued_beats_ = 0, total_beats_ = 0;
  std::uint64_t s2mm_done_at_ = 0;  // cycle the last write response arrives; 0: none pending
};

}  // namespace

// The C interface the Python stand-in (pynq/) loads with ctypes.
extern "C" {
void* nnfpga_board_open() {
  return new Board();
}
void nnfpga_board_close(void* b) {
  delete static_cast<Board*>(b);
}
int nnfpga_board_beat_bits() {
  return NNFPGA_BEAT_BITS;
}
void nnfpga_board_map(void* b, std::uint64_t phys, void* host, std::uint64_t bytes) {
  static_cast<Board*>(b)->memory.map(phys, static_cast<std::uint8_t*>(host), bytes);
}
void nnfpga_board_unmap(void* b, std::uint64_t phys) {
  static_cast<Board*>(b)->memory.unmap(phys);
}
std::uint32_t nnfpga_board_dma_read(void* b, std::uint32_t offset) {
  return static_cast<Board*>(b)->dma_read(offset);
}
void nnfpga_board_dma_write(void* b, std::uint32_t offset, std::uint32_t value) {
  static_cast<Board*>(b)->dma_write(offset, value);
}
int nnfpga_board_ctrl_read(void* b, std::uint32_t address, std::uint32_t* value) {
  return static_cast<Board*>(b)->ctrl_read(address, value);
}
int nnfpga_board_ctrl_write(void* b, std::uint32_t address, std::uint32_t value) {
  return static_cast<Board*>(b)->ctrl_write(address, value);
}
int nnfpga_board_wait(void* b, std::uint32_t dmasr_offset, std::uint64_t limit) {
  return static_cast<Board*>(b)->wait(dmasr_offset, limit);
}
void nnfpga_board_advance(void* b, std::uint64_t cycles) {
  static_cast<Board*>(b)->advance(cycles);
}
std::uint64_t nnfpga_board_cycles(void* b) {
  return static_cast<Board*>(b)->cycle;
}
std::uint64_t nnfpga_board_beats(void* b, int channel) {
  return static_cast<Board*>(b)->beats(channel);
}
}
