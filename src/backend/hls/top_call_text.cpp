// One sample through the top function: the statements the test bench and the bridge share. The
// only names used besides the contents' are kGeneratedLocals (`k`, `word`) and the caller's.
#include "backend/hls/library_call.hpp"
#include "backend/hls/project_text.hpp"

namespace nnfpga::backend::hls {
namespace {

// A stream port's beat: one packed word of the plan's beat width. io_stream is one beat per
// position carrying its channels; a one-position tensor (today's MLPs) is one beat of the whole
// vector, which is what the plan's ports carry, so one word per sample.
std::string word_type(const TensorRef& t, const plan::EdgePlan* edge) {
  return packed_type(t.type, edge->beat_width);
}

// Each line of `text` (which ends with a newline) prefixed with `indent`.
std::string indented(const std::string& text, const std::string& indent) {
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    const std::size_t stop = end == std::string::npos ? text.size() : end + 1;
    out += indent + text.substr(start, stop - start);
    start = stop;
  }
  if (!out.empty() && out.back() != '\n') out += '\n';
  return out;
}

}  // namespace

std::int64_t input_width(const ProjectContents& p) {
  std::int64_t n = 0;
  for (const InputPort& in : p.inputs) n += in.port.size;
  return n;
}

std::int64_t output_width(const ProjectContents& p) {
  std::int64_t n = 0;
  for (const OutputPort& o : p.outputs) n += o.port.size;
  return n;
}

std::string call_top_cpp(const ProjectContents& p, const std::string& values,
                         const std::string& indent) {
  std::string s;
  std::string args;
  std::int64_t offset = 0;
  for (const InputPort& in : p.inputs) {
    const TensorRef& t = in.port;
    const std::string n = std::to_string(t.size);
    const std::string value = values + "[" + std::to_string(offset) + " + k]";
    if (is_stream(in.edge) && in.edge->beats > 1) {
      // One beat per position, in raster order: value k is channel k % width of beat k / width.
      const std::string width = std::to_string(in.edge->beat_width);
      s += "hls::stream<" + word_type(t, in.edge) + " > " + t.var + ";\n";
      s += "for (int k = 0; k < " + n + "; k += " + width + ") {\n  " + word_type(t, in.edge) +
           " word;\n";
      s += "  for (int channel = 0; channel < " + width +
           "; channel++) word.data[channel] = " + values + "[" + std::to_string(offset) +
           " + k + channel];\n";
      s += "  " + t.var + ".write(word);\n}\n";
    } else if (is_stream(in.edge)) {
      s += "hls::stream<" + word_type(t, in.edge) + " > " + t.var + ";\n";
      s += "{\n  " + word_type(t, in.edge) + " word;\n";
      s += "  for (int k = 0; k < " + n + "; k++) word.data[k] = " + value + ";\n";
      s += "  " + t.var + ".write(word);\n}\n";
    } else {
      s += t.type + " " + t.var + "[" + n + "];\n";
      s += "for (int k = 0; k < " + n + "; k++) " + t.var + "[k] = " + value + ";\n";
    }
    args += (args.empty() ? "" : ", ") + t.var;
    offset += t.size;
  }
  for (const OutputPort& o : p.outputs) {
    if (is_stream(o.edge)) {
      s += "hls::stream<" + word_type(o.port, o.edge) + " > " + o.port.var + ";\n";
    } else {
      s += o.port.type + " " + o.port.var + "[" + std::to_string(o.port.size) + "];\n";
    }
    args += ", " + o.port.var;
  }
  s += p.top + "(" + args + ");\n";
  return indented(s, indent);
}

std::string read_outputs_cpp(
    const ProjectContents& p, const std::string& indent,
    const std::function<std::string(const std::string& value, std::int64_t offset)>& consume) {
  std::string s;
  std::int64_t offset = 0;
  for (const OutputPort& o : p.outputs) {
    const std::string loop = "for (int k = 0; k < " + std::to_string(o.port.size) + "; k++) {\n";
    if (is_stream(o.edge) && o.edge->beats > 1) {
      // Beat by beat: value k of the output is channel k % width of beat k / width.
      const std::string width = std::to_string(o.edge->beat_width);
      s += "for (int position = 0; position < " + std::to_string(o.edge->beats) +
           "; position++) {\n";
      s += "  const " + word_type(o.port, o.edge) + " word = " + o.port.var + ".read();\n";
      s += "  for (int channel = 0; channel < " + width + "; channel++) {\n";
      s += "    const int k = position * " + width + " + channel;\n" +
           indented(consume("word.data[channel]", offset), "    ") + "  }\n}\n";
    } else if (is_stream(o.edge)) {
      s += "{\n  const " + word_type(o.port, o.edge) + " word = " + o.port.var + ".read();\n";
      s += "  " + loop + indented(consume("word.data[k]", offset), "    ") + "  }\n}\n";
    } else {
      s += loop + indented(consume(o.port.var + "[k]", offset), "  ") + "}\n";
    }
    offset += o.port.size;
  }
  return indented(s, indent);
}

}  // namespace nnfpga::backend::hls
