# Written by nnfpga convert --board: what the other scripts of this folder read. deploy.json
# states the same facts for the driver.
set nnfpga_board {pynq-z2}
set nnfpga_part {xc7z020clg400-1}
set nnfpga_board_part {tul.com.tw:pynq-z2:part0:*}
set nnfpga_ps zynq-7000
set nnfpga_ps_ip xilinx.com:ip:processing_system7:5.5
set nnfpga_hp_bits 64
set nnfpga_clock_mhz 100
set nnfpga_top golden_cnn
set nnfpga_wrapper golden_cnn_board
set nnfpga_ip_vlnv nnfpga.local:nnfpga:golden_cnn_board:1.0
set nnfpga_ctrl_cell nnfpga_ctrl
set nnfpga_dma_cell axi_dma_0
# The DMA's widths are the accelerator's stream widths (s_axis_tdata, m_axis_tdata).
set nnfpga_mm2s_bits 32
set nnfpga_s2mm_bits 32
set nnfpga_dma_length_bits 26
set nnfpga_rtl_files [list \
    {ip/rtl/golden_cnn_c.v} \
    {ip/rtl/golden_cnn_node_relu.v} \
    {ip/rtl/golden_cnn_node_Reshape_7.v} \
    {ip/rtl/golden_cnn_fc.v} \
    {ip/rtl/golden_cnn_stream_fifo.v} \
    {ip/rtl/golden_cnn_c_stream.v} \
    {ip/rtl/golden_cnn_node_relu_stream.v} \
    {ip/rtl/golden_cnn_node_Reshape_7_stream.v} \
    {ip/rtl/golden_cnn_fc_stream.v} \
    {ip/rtl/golden_cnn.v} \
    {ip/rtl/golden_cnn_axis.v} \
    {ip/rtl/golden_cnn_board.v}]
