// nnfpga report: the vendor's latency and resources beside nnfpga's estimate.
#include <iostream>
#include <memory>
#include <string>

#include "cli/commands.hpp"
#include "cli/project_kind.hpp"
#include "deploy/deploy_facts.hpp"
#include "deploy/deploy_report.hpp"
#include "report/project_reports.hpp"

namespace nnfpga::cli {
namespace {

struct ReportOptions {
  std::string project;
  std::string hls;
  std::string vivado;
};

}  // namespace

Command add_report_command(CLI::App& app) {
  auto options = std::make_shared<ReportOptions>();
  CLI::App* cmd = app.add_subcommand(
      "report",
      "Read the HLS (csynth.xml/.rpt) and Vivado (utilization) reports of a built project, or "
      "the Vivado utilization and timing of a built deployment folder, and print them beside the "
      "estimate");
  cmd->add_option("PROJECT", options->project, "project directory written by nnfpga convert")
      ->required();
  cmd->add_option("--hls", options->hls, "the csynth.xml or csynth.rpt to read (default: found)");
  cmd->add_option("--vivado", options->vivado,
                  "the Vivado utilization report to read (default: found)");
  return {cmd, [options] {
            // A deployment folder (convert --board) has Vivado's reports of the whole overlay.
            if (deploy::is_deploy_folder(options->project)) {
              std::cout << deploy::format_deploy_reports(
                  options->project, deploy::read_deploy_reports(options->project));
              return;
            }
            require_project(options->project, "hls", "report", "rtlsynth");
            const report::ProjectReports r =
                report::find_reports(options->project, options->hls, options->vivado);
            std::cout << report::format_comparison(r);
          }};
}

}  // namespace nnfpga::cli
