# Builds the overlay of an nnfpga deployment folder: the accelerator packaged as an IP, a block
# design around the board's processing system, synthesis, implementation, the bitstream, and the
# .bit and .hwh copied into overlay/ (docs/board.md). Run by `nnfpga build DEPLOY`, or by hand:
#   vivado -mode batch -source DEPLOY/vivado/build.tcl -tclargs [JOBS]
# Paths are taken from this script's place, so it runs from any directory. Each step prints a
# line "nnfpga-phase: <name>" that `nnfpga build` turns into progress.
# Commands used: Vivado Design Suite Tcl Command Reference Guide (UG835), 2022.2 and later.

set nnfpga_vivado_dir [file dirname [file normalize [info script]]]
set nnfpga_deploy_dir [file dirname $nnfpga_vivado_dir]
set nnfpga_jobs 2
if {$argc > 0} {
  set nnfpga_jobs [lindex $argv 0]
}

proc nnfpga_phase {name} {
  puts "nnfpga-phase: $name"
  flush stdout
}

foreach script {settings.tcl package_ip.tcl block_design.tcl implement.tcl} {
  source [file join $nnfpga_vivado_dir $script]
}

nnfpga_phase project
create_project -force nnfpga [file join $nnfpga_vivado_dir project] -part $nnfpga_part
nnfpga_use_board_part

nnfpga_phase package
nnfpga_package_ip $nnfpga_deploy_dir [file join $nnfpga_vivado_dir ip_repo]

nnfpga_phase block_design
nnfpga_build_block_design

nnfpga_implement $nnfpga_deploy_dir $nnfpga_jobs
nnfpga_phase done
