#include "cli/project_kind.hpp"

#include <cctype>

#include "backend/backend.hpp"
#include "nnfpga/error.hpp"

namespace nnfpga::cli {
namespace {

// "an HLS project", "a Verilog project": an acronym takes the article of its first letter's name.
std::string with_article(std::string_view label) {
  const bool acronym = label.size() > 1 && std::isupper(static_cast<unsigned char>(label[1]));
  const std::string_view vowel_sounds = acronym ? "AEFHILMNORSX" : "AEIOUaeiou";
  return (vowel_sounds.find(label.front()) != std::string_view::npos ? "an " : "a ") +
         std::string(label);
}

}  // namespace

void require_project(const std::string& dir, std::string_view backend, const std::string& command,
                     const std::string& instead) {
  const backend::Backend* found = backend::project_backend(dir);
  const backend::Backend& wanted = backend::find_backend(backend);
  if (found == nullptr || found == &wanted) return;
  throw Error(ErrorKind::kInput, dir + " is " + with_article(found->label()) +
                                     " project (convert --backend " + std::string(found->name()) +
                                     "); `" + command + "` reads " + std::string(wanted.label()) +
                                     " projects: run `nnfpga " + instead + " " + dir + "` instead");
}

}  // namespace nnfpga::cli
