# The block design: the processing system (with the board's preset when its board files are
# installed), the accelerator cell nnfpga_ctrl, the AXI DMA axi_dma_0 in simple mode (no
# scatter-gather: PG021) at the stream width on both sides, one SmartConnect for the registers
# (PS master to the DMA's and the accelerator's AXI4-Lite) and one for memory (the DMA's two
# masters to the PS's high-performance port), a proc_sys_reset, and one fabric clock at the
# configured frequency. The names nnfpga_ctrl and axi_dma_0 are what the driver asks pynq for.
# Commands: create_bd_design, create_bd_cell, apply_bd_automation, connect_bd_net,
# connect_bd_intf_net, assign_bd_address, validate_bd_design (UG835; block designs: UG994).

# The IP `vlnv` when installed, else the newest installed version of the same IP.
proc nnfpga_ipdef {vlnv} {
  if {[llength [get_ipdefs -quiet $vlnv]] > 0} {
    return $vlnv
  }
  set name [join [lrange [split $vlnv :] 0 2] :]
  set found [lsort -dictionary [get_ipdefs -quiet -all $name:*]]
  if {[llength $found] == 0} {
    error "nnfpga: the IP $name is not in this Vivado's catalog"
  }
  return [lindex $found end]
}

# Uses the board's board part when its board files are installed (for the PS preset); without
# them the PS keeps the IP's defaults plus what the design needs, and the script says so.
proc nnfpga_use_board_part {} {
  global nnfpga_board_part nnfpga_have_preset
  set nnfpga_have_preset 0
  if {$nnfpga_board_part eq ""} {
    return
  }
  set found [get_board_parts -quiet -latest_file_version $nnfpga_board_part]
  if {[llength $found] == 0} {
    puts "nnfpga: WARNING: board files for $nnfpga_board_part are not installed: the processing\
          system gets no board preset (DDR and MIO settings); install them (docs/board.md)"
    return
  }
  set_property board_part [lindex $found 0] [current_project]
  set nnfpga_have_preset 1
}

# Zynq-7000: M_AXI_GP0 reaches the registers, S_AXI_HP0 the DDR; FCLK_CLK0 is the fabric clock.
proc nnfpga_create_ps7 {} {
  global nnfpga_ps_ip nnfpga_have_preset nnfpga_hp_bits nnfpga_clock_mhz
  set ps [create_bd_cell -type ip -vlnv [nnfpga_ipdef $nnfpga_ps_ip] processing_system7_0]
  apply_bd_automation -rule xilinx.com:bd_rule:processing_system7 \
      -config [list make_external "FIXED_IO, DDR" apply_board_preset $nnfpga_have_preset \
                   Master Disable Slave Disable] $ps
  set_property -dict [list CONFIG.PCW_USE_M_AXI_GP0 1 CONFIG.PCW_USE_S_AXI_HP0 1 \
      CONFIG.PCW_S_AXI_HP0_DATA_WIDTH $nnfpga_hp_bits CONFIG.PCW_EN_CLK0_PORT 1 \
      CONFIG.PCW_EN_RST0_PORT 1 CONFIG.PCW_FPGA0_PERIPHERAL_FREQMHZ $nnfpga_clock_mhz] $ps
  return [dict create clock processing_system7_0/FCLK_CLK0 \
      resetn processing_system7_0/FCLK_RESET0_N \
      master processing_system7_0/M_AXI_GP0 master_clock processing_system7_0/M_AXI_GP0_ACLK \
      slave processing_system7_0/S_AXI_HP0 slave_clock processing_system7_0/S_AXI_HP0_ACLK]
}

# Zynq UltraScale+: M_AXI_HPM0_FPD reaches the registers, S_AXI_HP0_FPD the DDR; pl_clk0 is the
# fabric clock. The other masters are turned off so that no clock pin is left unconnected.
proc nnfpga_create_mpsoc {} {
  global nnfpga_ps_ip nnfpga_have_preset nnfpga_hp_bits nnfpga_clock_mhz
  set ps [create_bd_cell -type ip -vlnv [nnfpga_ipdef $nnfpga_ps_ip] zynq_ultra_ps_e_0]
  apply_bd_automation -rule xilinx.com:bd_rule:zynq_ultra_ps_e \
      -config [list apply_board_preset $nnfpga_have_preset] $ps
  set_property -dict [list CONFIG.PSU__USE__M_AXI_GP0 1 CONFIG.PSU__USE__M_AXI_GP1 0 \
      CONFIG.PSU__USE__M_AXI_GP2 0 CONFIG.PSU__USE__S_AXI_GP2 1 \
      CONFIG.PSU__SAXIGP2__DATA_WIDTH $nnfpga_hp_bits CONFIG.PSU__FPGA_PL0_ENABLE 1 \
      CONFIG.PSU__CRL_APB__PL0_REF_CTRL__FREQMHZ $nnfpga_clock_mhz] $ps
  return [dict create clock zynq_ultra_ps_e_0/pl_clk0 resetn zynq_ultra_ps_e_0/pl_resetn0 \
      master zynq_ultra_ps_e_0/M_AXI_HPM0_FPD master_clock zynq_ultra_ps_e_0/maxihpm0_fpd_aclk \
      slave zynq_ultra_ps_e_0/S_AXI_HP0_FPD slave_clock zynq_ultra_ps_e_0/saxihp0_fpd_aclk]
}

# The DMA in simple mode, both directions at the stream width (PG021: the memory-mapped width is
# at least the stream width; equal keeps one beat per word), with the longest buffer length
# register (26 bits: transfers of up to 64 MiB, a whole batch in one transfer).
proc nnfpga_create_dma {} {
  global nnfpga_dma_cell nnfpga_mm2s_bits nnfpga_s2mm_bits nnfpga_dma_length_bits
  set dma [create_bd_cell -type ip -vlnv [nnfpga_ipdef xilinx.com:ip:axi_dma:7.1] $nnfpga_dma_cell]
  set_property -dict [list CONFIG.c_include_sg 0 CONFIG.c_sg_length_width $nnfpga_dma_length_bits \
      CONFIG.c_include_mm2s 1 CONFIG.c_include_s2mm 1 \
      CONFIG.c_m_axi_mm2s_data_width $nnfpga_mm2s_bits \
      CONFIG.c_m_axis_mm2s_tdata_width $nnfpga_mm2s_bits \
      CONFIG.c_m_axi_s2mm_data_width $nnfpga_s2mm_bits \
      CONFIG.c_s_axis_s2mm_tdata_width $nnfpga_s2mm_bits \
      CONFIG.c_mm2s_burst_size 16 CONFIG.c_s2mm_burst_size 16] $dma
  return $dma
}

proc nnfpga_build_block_design {} {
  global nnfpga_ps nnfpga_ctrl_cell nnfpga_dma_cell nnfpga_ip_vlnv
  create_bd_design nnfpga_bd
  if {$nnfpga_ps eq "zynq-7000"} {
    set ps [nnfpga_create_ps7]
  } else {
    set ps [nnfpga_create_mpsoc]
  }
  create_bd_cell -type ip -vlnv $nnfpga_ip_vlnv $nnfpga_ctrl_cell
  nnfpga_create_dma
  create_bd_cell -type ip -vlnv [nnfpga_ipdef xilinx.com:ip:proc_sys_reset:5.0] rst_fabric
  set sc [nnfpga_ipdef xilinx.com:ip:smartconnect:1.0]
  set ctrl_sc [create_bd_cell -type ip -vlnv $sc ctrl_interconnect]
  set_property -dict [list CONFIG.NUM_SI 1 CONFIG.NUM_MI 2] $ctrl_sc
  set mem_sc [create_bd_cell -type ip -vlnv $sc mem_interconnect]
  set_property -dict [list CONFIG.NUM_SI 2 CONFIG.NUM_MI 1] $mem_sc

  # One clock for everything: the PS's fabric clock at the configured frequency.
  connect_bd_net [get_bd_pins [dict get $ps clock]] [get_bd_pins [dict get $ps master_clock]] \
      [get_bd_pins [dict get $ps slave_clock]] [get_bd_pins $nnfpga_ctrl_cell/aclk] \
      [get_bd_pins $nnfpga_dma_cell/s_axi_lite_aclk] [get_bd_pins $nnfpga_dma_cell/m_axi_mm2s_aclk] \
      [get_bd_pins $nnfpga_dma_cell/m_axi_s2mm_aclk] [get_bd_pins ctrl_interconnect/aclk] \
      [get_bd_pins mem_interconnect/aclk] [get_bd_pins rst_fabric/slowest_sync_clk]
  connect_bd_net [get_bd_pins [dict get $ps resetn]] [get_bd_pins rst_fabric/ext_reset_in]
  connect_bd_net [get_bd_pins rst_fabric/peripheral_aresetn] \
      [get_bd_pins $nnfpga_ctrl_cell/aresetn] [get_bd_pins $nnfpga_dma_cell/axi_resetn]
  connect_bd_net [get_bd_pins rst_fabric/interconnect_aresetn] \
      [get_bd_pins ctrl_interconnect/aresetn] [get_bd_pins mem_interconnect/aresetn]

  # Registers: the PS's master to the DMA's and the accelerator's AXI4-Lite ports.
  connect_bd_intf_net [get_bd_intf_pins [dict get $ps master]] \
      [get_bd_intf_pins ctrl_interconnect/S00_AXI]
  connect_bd_intf_net [get_bd_intf_pins ctrl_interconnect/M00_AXI] \
      [get_bd_intf_pins $nnfpga_dma_cell/S_AXI_LITE]
  connect_bd_intf_net [get_bd_intf_pins ctrl_interconnect/M01_AXI] \
      [get_bd_intf_pins $nnfpga_ctrl_cell/s_axi_ctrl]
  # Data: memory to stream, through the accelerator, and back to memory.
  connect_bd_intf_net [get_bd_intf_pins $nnfpga_dma_cell/M_AXI_MM2S] \
      [get_bd_intf_pins mem_interconnect/S00_AXI]
  connect_bd_intf_net [get_bd_intf_pins $nnfpga_dma_cell/M_AXI_S2MM] \
      [get_bd_intf_pins mem_interconnect/S01_AXI]
  connect_bd_intf_net [get_bd_intf_pins mem_interconnect/M00_AXI] \
      [get_bd_intf_pins [dict get $ps slave]]
  connect_bd_intf_net [get_bd_intf_pins $nnfpga_dma_cell/M_AXIS_MM2S] \
      [get_bd_intf_pins $nnfpga_ctrl_cell/s_axis]
  connect_bd_intf_net [get_bd_intf_pins $nnfpga_ctrl_cell/m_axis] \
      [get_bd_intf_pins $nnfpga_dma_cell/S_AXIS_S2MM]

  # Every slave gets an address in the PS's map (the registers at the PS's GP0/HPM0 window, the
  # DDR for the DMA's masters); pynq reads them from the .hwh.
  assign_bd_address
  validate_bd_design
  save_bd_design
}
