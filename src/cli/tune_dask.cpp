// The child process and its protocol: one JSON object per line each way over a socket pair (a
// socket, so that writing to a helper that died is an error here, not SIGPIPE). The search part
// of the data travels as .npy files in a temporary directory, read once by the helper.
#include "cli/tune_dask.hpp"

#include <fmt/format.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <vector>

#include "io/npy.hpp"
#include "nnfpga/error.hpp"
#include "tune/tune.hpp"

namespace nnfpga::cli {
namespace {

class DaskBridge : public tune::RemoteMeasurer {
 public:
  DaskBridge(std::string address, std::string python)
      : address_(std::move(address)), python_(std::move(python)) {
    int fds[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) {
      throw Error(ErrorKind::kInput, std::string("cannot open a socket pair for the Dask "
                                                 "helper: ") +
                                         std::strerror(errno));
    }
    child_ = fork();
    if (child_ < 0) {
      throw Error(ErrorKind::kInput,
                  std::string("cannot start the Dask helper: ") + std::strerror(errno));
    }
    if (child_ == 0) {
      close(fds[0]);
      dup2(fds[1], STDIN_FILENO);
      dup2(fds[1], STDOUT_FILENO);
      close(fds[1]);
      execlp(python_.c_str(), python_.c_str(), "-m", "nnfpga._dask_bridge", address_.c_str(),
             static_cast<char*>(nullptr));
      const std::string message = "nnfpga: cannot run '" + python_ + "': " + std::strerror(errno) +
                                  " (set NNFPGA_PYTHON to an interpreter with nnfpga and dask)\n";
      [[maybe_unused]] const ssize_t ignored = write(STDERR_FILENO, message.data(), message.size());
      _exit(127);
    }
    close(fds[1]);
    socket_ = fds[0];
  }

  ~DaskBridge() override {
    close(socket_);  // the helper sees the end of its input, closes its client and exits
    int status = 0;
    waitpid(child_, &status, 0);
    std::error_code ec;
    if (!data_dir_.empty()) std::filesystem::remove_all(data_dir_, ec);
  }

  DaskBridge(const DaskBridge&) = delete;
  DaskBridge& operator=(const DaskBridge&) = delete;

  void start(const nlohmann::json& context, const tune::Dataset& search) override {
    data_dir_ = std::filesystem::temp_directory_path() /
                fmt::format("nnfpga_tune_dask_{}", static_cast<long>(getpid()));
    std::error_code ec;
    std::filesystem::create_directories(data_dir_, ec);
    if (ec) {
      throw Error(ErrorKind::kInput, "cannot create the directory: " + ec.message(),
                  {.file = data_dir_.string()});
    }
    nlohmann::json inputs = nlohmann::json::array();
    for (std::size_t i = 0; i < search.inputs.size(); ++i) {
      const std::filesystem::path file =
          data_dir_ / std::string("input_").append(std::to_string(i)).append(".npy");
      std::ofstream out(file, std::ios::binary);
      out << io::encode_npy(search.inputs[i], io::Dtype::kFloat64);
      if (!out) throw Error(ErrorKind::kInput, "cannot write the file", {.file = file.string()});
      inputs.push_back(file.string());
    }
    exchange({{"context", context.dump()},
              {"inputs", inputs},
              {"labels", search.labels ? nlohmann::json(*search.labels) : nlohmann::json()}});
  }

  std::vector<tune::Measurement> measure(const std::vector<config::Tree>& configs) override {
    nlohmann::json texts = nlohmann::json::array();
    for (const config::Tree& c : configs) texts.push_back(c.dump());
    const nlohmann::json reply = exchange({{"configs", texts}});
    std::vector<tune::Measurement> out;
    for (const nlohmann::json& m : reply.at("measurements")) {
      out.push_back(tune::measurement_from_json(
          config::parse_json(m.get<std::string>(), "the Dask helper's measurement")));
    }
    return out;
  }

 private:
  std::string helper() const { return python_ + " -m nnfpga._dask_bridge " + address_; }

  nlohmann::json exchange(const nlohmann::json& message) {
    const std::string line = message.dump() + "\n";
    for (std::size_t sent = 0; sent < line.size();) {
      const ssize_t n = send(socket_, line.data() + sent, line.size() - sent, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) throw ended("taking a request");
      sent += static_cast<std::size_t>(n);
    }
    const nlohmann::json reply = config::parse_json(read_line(), "the Dask helper's answer");
    if (reply.contains("error")) {
      throw Error(ErrorKind::kInput, fmt::format("the Dask evaluation failed ('{}'): {}", helper(),
                                                 reply.at("error").get<std::string>()));
    }
    return reply;
  }

  std::string read_line() {
    while (true) {
      const std::size_t end = buffer_.find('\n');
      if (end != std::string::npos) {
        std::string line = buffer_.substr(0, end);
        buffer_.erase(0, end + 1);
        return line;
      }
      char chunk[65536];
      const ssize_t n = recv(socket_, chunk, sizeof chunk, 0);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) throw ended("answering");
      buffer_.append(chunk, static_cast<std::size_t>(n));
    }
  }

  Error ended(const char* doing) const {
    return Error(ErrorKind::kInput,
                 fmt::format("the Dask helper '{}' ended before {} (its message, if any, is "
                             "above): it needs nnfpga and dask.distributed installed for '{}' "
                             "(NNFPGA_PYTHON chooses the interpreter) and a Dask scheduler at '{}'",
                             helper(), doing, python_, address_));
  }

  std::string address_;
  std::string python_;
  pid_t child_ = -1;
  int socket_ = -1;
  std::string buffer_;
  std::filesystem::path data_dir_;
};

}  // namespace

std::shared_ptr<tune::RemoteMeasurer> dask_measurer(const std::string& address,
                                                    const std::string& python) {
  return std::make_shared<DaskBridge>(address, python);
}

}  // namespace nnfpga::cli
