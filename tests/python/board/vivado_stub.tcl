# A stand-in for Vivado's Tcl interpreter, for tests: runs a deployment folder's build.tcl in
# plain tclsh with every Vivado command the scripts may call replaced by a stub that records the
# call (one JSON array of strings per line) and answers what the scripts need. This is a real
# check, not a mock that accepts anything:
#   - a command missing from the list below is an error ("invalid command name"), and the list
#     holds only commands of UG835 (Vivado 2022.2), so the scripts cannot call a misspelled or
#     invented command;
#   - every script is parsed and every proc on the path taken is run, so a Tcl syntax or
#     variable error fails;
#   - add_files fails on a missing file, and the IP packager's interface inference is modelled
#     from the wrapper's real port list (UG1118's naming: <interface>_<signal>), so an interface
#     or pin the Tcl names must exist in the written RTL;
#   - a block-design pin must belong to a cell that was created.
# The recorded calls are then checked by tests/python/test_board_deploy.py.
#
# usage: tclsh vivado_stub.tcl CALLS_LOG BUILD_TCL [tclargs...]

set stub_log [open [lindex $argv 0] w]
set stub_runs [file join [file dirname [file normalize [lindex $argv 0]]] stub_runs]
file mkdir $stub_runs
set stub_script [lindex $argv 1]
set argv [lrange $argv 2 end]
set argc [llength $argv]

set stub_top ""
set stub_ports [dict create]
set stub_interfaces [dict create]
set stub_cells [dict create]
set stub_memory_maps {}

proc stub_json {s} {
  return "\"[string map [list \\ \\\\ \" \\\" \n \\n \t \\t \r \\r] $s]\""
}

proc stub_record {name arguments} {
  set items [list [stub_json $name]]
  foreach a $arguments {
    lappend items [stub_json $a]
  }
  puts $::stub_log "\[[join $items ,]\]"
  flush $::stub_log
}

# The ports of module `top` in the added files: name -> width.
proc stub_read_ports {top} {
  foreach f $::stub_files {
    set fh [open $f r]
    set text [read $fh]
    close $fh
    if {[regexp "module\\s+$top\\s*\\((.*?)\\);" $text -> body]} {
      set ports [dict create]
      foreach {all dir msb name} [regexp -all -inline \
          {(input|output)\s+wire\s+(?:\[(\d+):0\]\s+)?(\w+)} $body] {
        dict set ports $name [expr {$msb eq "" ? 1 : $msb + 1}]
      }
      return $ports
    }
  }
  error "stub: no module $top in the added files"
}

# An interface is inferred when every one of its signals is a port.
proc stub_infer {} {
  set kinds [dict create \
      s_axis {tdata tvalid tready} \
      m_axis {tdata tvalid tready} \
      s_axi_ctrl {awaddr awvalid awready wdata wstrb wvalid wready bresp bvalid bready araddr \
                  arvalid arready rdata rresp rvalid rready}]
  dict for {busif signals} $kinds {
    set found 1
    foreach s $signals {
      if {![dict exists $::stub_ports ${busif}_$s]} {
        set found 0
      }
    }
    if {$found} {
      dict set ::stub_interfaces $busif 1
    }
  }
  foreach port {aclk aresetn} {
    if {[dict exists $::stub_ports $port]} {
      dict set ::stub_interfaces $port 1
    }
  }
}

proc stub_check_pin {path kind} {
  set cell [lindex [split $path /] 0]
  set pin [lindex [split $path /] 1]
  if {![dict exists $::stub_cells $cell]} {
    error "stub: $kind $path names a cell that was not created"
  }
  if {$cell eq $::nnfpga_ctrl_cell} {
    if {$kind eq "get_bd_intf_pins" && ![dict exists $::stub_interfaces $pin]} {
      error "stub: $path is no interface the packager inferred from $::stub_top's ports"
    }
    if {$kind eq "get_bd_pins" && ![dict exists $::stub_ports $pin]} {
      error "stub: $path is no port of $::stub_top"
    }
  }
}

set stub_files {}
namespace eval ipx {}

# Commands that only need recording.
foreach cmd {
  update_compile_order close_project update_ip_catalog create_bd_design apply_bd_automation
  connect_bd_net connect_bd_intf_net assign_bd_address validate_bd_design save_bd_design
  generate_target wait_on_run open_run report_utilization report_timing_summary
  ipx::create_xgui_files ipx::update_checksums ipx::check_integrity ipx::save_core
  ipx::add_address_block
} {
  proc $cmd args "stub_record $cmd \$args; return {}"
}

proc create_project args { stub_record create_project $args; return [lindex $args end-1] }
proc current_project args { stub_record current_project $args; return nnfpga_project }
proc current_fileset args { return sources_1 }
proc set_property args {
  stub_record set_property $args
  if {[lindex $args 0] eq "top"} {
    set ::stub_top [lindex $args 1]
  }
  return {}
}
proc add_files args {
  stub_record add_files $args
  set f [lindex $args end]
  if {![file exists $f]} {
    error "stub: add_files: $f does not exist"
  }
  lappend ::stub_files $f
  return $f
}
proc ipx::package_project args {
  stub_record ipx::package_project $args
  set ::stub_ports [stub_read_ports $::stub_top]
  stub_infer
  return {}
}
proc ipx::current_core args { return core }
proc ipx::get_bus_interfaces args {
  set name [lindex $args 0]
  return [expr {[dict exists $::stub_interfaces $name] ? $name : ""}]
}
proc ipx::associate_bus_interfaces args {
  stub_record ipx::associate_bus_interfaces $args
  foreach {flag value} [lrange $args 0 end-1] {
    if {![dict exists $::stub_interfaces $value]} {
      error "stub: ipx::associate_bus_interfaces $flag $value: no such interface"
    }
  }
  return {}
}
set stub_bus_parameters {}
proc ipx::get_bus_parameters args {
  return [expr {[lsearch $::stub_bus_parameters [lindex $args 0]] >= 0 ? [lindex $args 0] : ""}]
}
proc ipx::add_bus_parameter args {
  stub_record ipx::add_bus_parameter $args
  lappend ::stub_bus_parameters [lindex $args 0]
  return [lindex $args 0]
}
proc ipx::get_memory_maps args { return $::stub_memory_maps }
proc ipx::add_memory_map args {
  stub_record ipx::add_memory_map $args
  set ::stub_memory_maps [lindex $args 0]
  return [lindex $args 0]
}
proc ipx::get_address_blocks args { return reg0 }
proc get_board_parts args { return [string map {* 1.0} [lindex $args end]] }
proc get_ipdefs args { return [string map {* 1.0} [lindex $args end]] }
proc create_bd_cell args {
  stub_record create_bd_cell $args
  dict set ::stub_cells [lindex $args end] [lindex $args end-1]
  return [lindex $args end]
}
proc get_bd_pins args {
  stub_record get_bd_pins $args
  stub_check_pin [lindex $args end] get_bd_pins
  return [lindex $args end]
}
proc get_bd_intf_pins args {
  stub_record get_bd_intf_pins $args
  stub_check_pin [lindex $args end] get_bd_intf_pins
  return [lindex $args end]
}
proc get_files args {
  if {[lsearch $args -of_objects] >= 0} {
    set hwh [file join $::stub_runs nnfpga_bd.hwh]
    set fh [open $hwh w]
    puts $fh "stub hardware handoff"
    close $fh
    return $hwh
  }
  return [lindex $args end]
}
proc make_wrapper args {
  stub_record make_wrapper $args
  set wrapper [file join $::stub_runs nnfpga_bd_wrapper.v]
  set fh [open $wrapper w]
  puts $fh "// stub block design wrapper"
  close $fh
  return $wrapper
}
proc launch_runs args {
  stub_record launch_runs $args
  set run [lindex $args 0]
  file mkdir [file join $::stub_runs $run]
  if {$run eq "impl_1"} {
    set fh [open [file join $::stub_runs $run nnfpga_bd_wrapper.bit] w]
    puts $fh "stub bitstream"
    close $fh
  }
  return {}
}
proc get_runs args { return [lindex $args end] }
proc get_property args {
  switch -- [lindex $args 0] {
    PROGRESS { return "100%" }
    DIRECTORY { return [file join $::stub_runs [lindex $args end]] }
  }
  error "stub: get_property [lindex $args 0] is not modelled"
}
proc get_cells args { return "nnfpga_bd_i/nnfpga_ctrl" }

source $stub_script
close $stub_log
