"""Generators of the Keras 2 (HDF5) and QKeras fixtures (tests/fixtures/keras2/); run through
tools/make_keras2_fixtures.sh, which provides TensorFlow 2.15 and QKeras in build/venv-tf.

common configures TensorFlow (environment, threads) and so has to be imported before anything
else imports TensorFlow: importing it here makes that hold for every module of the package."""

from . import common  # noqa: F401
