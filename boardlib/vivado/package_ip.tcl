# Packages the accelerator's RTL (ip/rtl/, top <top>_board) as an IP for the block design. The
# packager infers the AXI interfaces from the port names (s_axis_*, m_axis_*, s_axi_ctrl_*) and
# the clock and reset from aclk and aresetn (UG1118, "Inferring interfaces"); the script then
# checks that each interface was found, so that a renamed port fails here rather than as a
# dangling pin in the block design. Commands: ipx::package_project, ipx::associate_bus_interfaces,
# ipx::add_bus_parameter, ipx::add_memory_map, ipx::save_core (UG835).

# The project of the main build stays open: the packaging runs in a project of its own.
proc nnfpga_package_ip {deploy_dir repo_dir} {
  global nnfpga_part nnfpga_wrapper nnfpga_rtl_files nnfpga_ip_vlnv
  set main_project [current_project]
  create_project -force nnfpga_ip [file join $repo_dir package_project] -part $nnfpga_part
  foreach f $nnfpga_rtl_files {
    add_files -norecurse [file join $deploy_dir $f]
  }
  set_property top $nnfpga_wrapper [current_fileset]
  update_compile_order -fileset sources_1
  set vlnv [split $nnfpga_ip_vlnv :]
  ipx::package_project -root_dir [file join $repo_dir $nnfpga_wrapper] \
      -vendor [lindex $vlnv 0] -library [lindex $vlnv 1] -taxonomy /UserIP -import_files
  set core [ipx::current_core]
  set_property name [lindex $vlnv 2] $core
  set_property version [lindex $vlnv 3] $core
  set_property display_name "nnfpga accelerator ($nnfpga_wrapper)" $core
  foreach busif {s_axis m_axis s_axi_ctrl aclk aresetn} {
    if {[llength [ipx::get_bus_interfaces $busif -of_objects $core]] == 0} {
      error "nnfpga: the IP packager inferred no interface '$busif' from $nnfpga_wrapper's ports"
    }
  }
  # Every stream and the register port run on aclk and are reset by aresetn (active low).
  ipx::associate_bus_interfaces -busif s_axis -clock aclk $core
  ipx::associate_bus_interfaces -busif m_axis -clock aclk $core
  ipx::associate_bus_interfaces -busif s_axi_ctrl -clock aclk $core
  ipx::associate_bus_interfaces -clock aclk -reset aresetn $core
  # aresetn is active low; said outright rather than left to the inference from its name.
  set reset [ipx::get_bus_interfaces aresetn -of_objects $core]
  if {[llength [ipx::get_bus_parameters POLARITY -of_objects $reset]] == 0} {
    ipx::add_bus_parameter POLARITY $reset
  }
  set_property value ACTIVE_LOW [ipx::get_bus_parameters POLARITY -of_objects $reset]
  # The registers' address block: 256 bytes are decoded (awaddr/araddr are 8 bits); the block is
  # 4 KiB, the smallest range the address editor assigns.
  if {[llength [ipx::get_memory_maps s_axi_ctrl -of_objects $core]] == 0} {
    ipx::add_memory_map s_axi_ctrl $core
    set_property slave_memory_map_ref s_axi_ctrl [ipx::get_bus_interfaces s_axi_ctrl -of_objects $core]
    ipx::add_address_block reg0 [ipx::get_memory_maps s_axi_ctrl -of_objects $core]
  }
  set_property range 4096 [ipx::get_address_blocks -of_objects \
      [ipx::get_memory_maps s_axi_ctrl -of_objects $core]]
  ipx::create_xgui_files $core
  ipx::update_checksums $core
  ipx::check_integrity $core
  ipx::save_core $core
  close_project
  current_project $main_project
  set_property ip_repo_paths [list $repo_dir] [current_project]
  update_ip_catalog -rebuild
}
