"""The exceptions of nnfpga. Errors of the C++ core arrive as these, with the same message as
the command line tool prints, and where the error is: the file, the layer (node) and the
configuration key, each empty when unknown."""

from __future__ import annotations


class Error(Exception):
    """Any error reported by nnfpga.

    Attributes:
        kind: 'input', 'unsupported', 'config', 'internal' or 'build'.
        message: the message without its location prefix.
        file, node, key: where it happened (empty when unknown).
    """

    kind = "internal"

    def __init__(self, text: str, *, message: str = "", file: str = "", node: str = "",
                 key: str = "") -> None:
        super().__init__(text)
        self.message = message or text
        self.file = file
        self.node = node
        self.key = key


class InputError(Error, ValueError):
    """A malformed model file, data file, array or argument."""

    kind = "input"


class UnsupportedError(Error, NotImplementedError):
    """A well-formed construct nnfpga does not handle; the message names every offending
    layer."""

    kind = "unsupported"


class ConfigError(Error, ValueError):
    """A configuration key or value is wrong; the message names the key and the layer."""

    kind = "config"


class InternalError(Error, RuntimeError):
    """A broken invariant inside nnfpga (a bug), such as a C simulation that differs from the
    emulator."""

    kind = "internal"


class BuildError(Error):
    """The vendor HLS tool is missing or its build failed."""

    kind = "build"
