// Remote evaluation without a cluster: a RemoteMeasurer that hands every configuration to a
// RemoteWorker through JSON text, as a Dask task does, must give run_tune the same points, front
// and pick as the local threads; a measurement survives its JSON round trip; a malformed one is
// an input error that says what it was reading.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "api/model_io.hpp"
#include "io/array_io.hpp"
#include "nnfpga/error.hpp"
#include "tune/report_json.hpp"
#include "tune/tune.hpp"

namespace nnfpga::tune {
namespace {

const std::string kDigitsDir = std::string(NNFPGA_FIXTURES_DIR) + "/../../examples/digits/";

Dataset first_digits(std::int64_t n) {
  emulate::Array x = io::read_array(kDigitsDir + "test_x.npy");
  const std::int64_t row = x.shape[1];
  x.data.resize(static_cast<std::size_t>(n * row));
  x.shape[0] = n;
  Dataset d;
  d.inputs.push_back(x);
  std::vector<std::int64_t> labels;
  for (double v : io::read_array(kDigitsDir + "test_y.npy").data) {
    if (static_cast<std::int64_t>(labels.size()) == n) break;
    labels.push_back(static_cast<std::int64_t>(v));
  }
  d.labels = labels;
  return d;
}

// The worker side in this process, everything crossing as text as it would over the network.
class InProcessMeasurer : public RemoteMeasurer {
 public:
  void start(const nlohmann::json& context, const Dataset& search) override {
    worker_ = std::make_unique<RemoteWorker>(context.dump(), search);
  }
  std::vector<Measurement> measure(const std::vector<config::Tree>& configs) override {
    std::vector<Measurement> out;
    for (const config::Tree& c : configs) {
      out.push_back(measurement_from_json(nlohmann::json::parse(worker_->measure(c.dump()))));
      ++measured;
    }
    return out;
  }
  int measured = 0;

 private:
  std::unique_ptr<RemoteWorker> worker_;
};

nlohmann::json without_time(const TuneResult& r, const TuneOptions& o) {
  nlohmann::json j = to_json(r, o);
  j.erase("seconds");
  for (const Point& p : r.points) j["points"].push_back(point_json(p));
  return j;
}

TEST(RemoteTune, GivesTheLocalPointsFrontAndPick) {
  const ir::Graph g = read_model(kDigitsDir + "digits_mlp.onnx");
  const Dataset data = first_digits(120);
  TuneOptions local;
  local.threads = 2;
  const TuneResult expected = run_tune(g, config::Tree::object(), data, local);
  TuneOptions remote = local;
  auto measurer = std::make_shared<InProcessMeasurer>();
  remote.remote = measurer;
  const TuneResult got = run_tune(g, config::Tree::object(), data, remote);
  EXPECT_EQ(measurer->measured, static_cast<int>(got.points.size()));
  EXPECT_EQ(without_time(got, remote).dump(), without_time(expected, local).dump());
}

TEST(RemoteTune, MeasurementSurvivesItsJsonRoundTrip) {
  Measurement m;
  m.quality = 0.1 + 0.2;  // not a short decimal
  m.loss = 1.0 / 3.0;
  m.meets_quality = true;
  m.output_error = 2.5e-17;
  m.resources = {1, 2, 3, 4, 5, 6};
  m.overflows.push_back({"dense", 10, 1, 2, 3});
  const nlohmann::json text = nlohmann::json::parse(measurement_json(m).dump());
  const Measurement back = measurement_from_json(text);
  EXPECT_EQ(back.quality, m.quality);
  EXPECT_EQ(back.loss, m.loss);
  EXPECT_EQ(back.output_error, m.output_error);
  EXPECT_EQ(measurement_json(back), measurement_json(m));
}

TEST(RemoteTune, MalformedMeasurementIsAnInputError) {
  try {
    measurement_from_json(nlohmann::json{{"quality", 1}});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInput);
    EXPECT_NE(std::string(e.what()).find("a remote tune measurement"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace nnfpga::tune
