// The README.md of a deployment folder: what is in it, how samples are packed into beats, the
// registers, and the steps to a running board, with this model's numbers filled in.
#pragma once

#include <string>

#include "deploy/boards.hpp"
#include "deploy/deploy_facts.hpp"

namespace nnfpga::deploy {

std::string folder_readme(const Board& board, const DeployFacts& facts);

}  // namespace nnfpga::deploy
