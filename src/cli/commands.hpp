// The subcommands, one file each. Each adds itself to the top-level app and returns what to run.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/common.hpp"

namespace nnfpga::cli {

Command add_show_command(CLI::App& app);      // show.cpp
Command add_config_command(CLI::App& app);    // config_cmd.cpp
Command add_predict_command(CLI::App& app);   // predict.cpp
Command add_trace_command(CLI::App& app);     // trace.cpp
Command add_evaluate_command(CLI::App& app);  // evaluate.cpp
Command add_convert_command(CLI::App& app);   // convert.cpp
Command add_csim_command(CLI::App& app);      // csim.cpp
Command add_report_command(CLI::App& app);    // report.cpp
Command add_rtlsim_command(CLI::App& app);    // rtlsim.cpp
Command add_rtlsynth_command(CLI::App& app);  // rtlsynth.cpp
Command add_build_command(CLI::App& app);     // build.cpp
Command add_boardsim_command(CLI::App& app);  // boardsim.cpp
Command add_tune_command(CLI::App& app);      // tune.cpp

}  // namespace nnfpga::cli
