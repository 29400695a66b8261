# Synthesis, implementation and the bitstream of the block design, then the reports `nnfpga
# report` reads and the overlay files pynq loads (a .bit and the .hwh of the same base name).
# Commands: generate_target, make_wrapper, launch_runs, wait_on_run, open_run,
# report_utilization, report_timing_summary (UG835; the flow: UG894 and UG994).

proc nnfpga_require_run {run what} {
  if {[get_property PROGRESS [get_runs $run]] ne "100%"} {
    error "nnfpga: $what failed: see the log of run $run in [get_property DIRECTORY [get_runs $run]]"
  }
}

proc nnfpga_implement {deploy_dir jobs} {
  global nnfpga_ctrl_cell
  set bd [get_files nnfpga_bd.bd]
  generate_target all $bd
  add_files -norecurse [make_wrapper -files $bd -top]
  set_property top nnfpga_bd_wrapper [current_fileset]
  update_compile_order -fileset sources_1

  nnfpga_phase synthesis
  launch_runs synth_1 -jobs $jobs
  wait_on_run synth_1
  nnfpga_require_run synth_1 synthesis

  nnfpga_phase implementation
  launch_runs impl_1 -to_step write_bitstream -jobs $jobs
  wait_on_run impl_1
  nnfpga_require_run impl_1 "implementation or write_bitstream"

  nnfpga_phase reports
  open_run impl_1
  set reports [file join $deploy_dir vivado reports]
  file mkdir $reports
  report_utilization -file [file join $reports utilization.rpt]
  report_utilization -cells [lindex [get_cells -hierarchical -filter "NAME =~ */$nnfpga_ctrl_cell"] 0] \
      -file [file join $reports accelerator_utilization.rpt]
  report_timing_summary -file [file join $reports timing_summary.rpt]

  nnfpga_phase overlay
  set overlay [file join $deploy_dir overlay]
  file mkdir $overlay
  file copy -force [file join [get_property DIRECTORY [get_runs impl_1]] nnfpga_bd_wrapper.bit] \
      [file join $overlay nnfpga.bit]
  set hwh [lindex [get_files -all -of_objects $bd nnfpga_bd.hwh] 0]
  if {$hwh eq ""} {
    error "nnfpga: the block design's hardware handoff (nnfpga_bd.hwh) was not generated"
  }
  file copy -force $hwh [file join $overlay nnfpga.hwh]
}
