"""Generators of the QAT fixtures (tests/fixtures/qonnx, hgq2, keras3); run through
tools/make_qat_fixtures.sh, which provides the pinned frameworks in build/venv-qat."""
