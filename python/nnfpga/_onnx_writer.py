"""A serialized ONNX model written directly in protobuf's wire format.

The torch.fx reader (``_torch_fx.py``) builds a small ONNX graph in memory and hands its bytes to
the C++ ONNX reader. Importing the ``onnx`` package for that would cost more than the whole
conversion of a small model (its import loads ml_dtypes: seconds on a busy machine), so the few
messages needed are encoded here: ModelProto, GraphProto, NodeProto (with metadata_props, where
torch's exporter writes the module scopes), AttributeProto, TensorProto (raw_data) and
ValueInfoProto. Field numbers are onnx.proto's; tests parse the result with the onnx package.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Union

import numpy as np

# TensorProto.DataType and AttributeProto.AttributeType values used here.
_FLOAT, _INT64 = 1, 7
_ATTR_FLOAT, _ATTR_INT, _ATTR_STRING, _ATTR_FLOATS, _ATTR_INTS = 1, 2, 3, 6, 7
_IR_VERSION = 10
_OPSET = 20

AttributeValue = Union[int, float, str, Sequence[int], Sequence[float]]


def _varint(value: int) -> bytes:
    if value < 0:
        value += 1 << 64  # int64 fields are sent as their two's complement
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _key(number: int, wire_type: int) -> bytes:
    return _varint((number << 3) | wire_type)


def _int_field(number: int, value: int) -> bytes:
    return _key(number, 0) + _varint(value)


def _bytes_field(number: int, value: bytes) -> bytes:
    return _key(number, 2) + _varint(len(value)) + value


def _str_field(number: int, value: str) -> bytes:
    return _bytes_field(number, value.encode())


def _float_field(number: int, value: float) -> bytes:
    return _key(number, 5) + struct.pack("<f", value)


def _attribute(name: str, value: AttributeValue) -> bytes:
    out = _str_field(1, name)
    if isinstance(value, bool) or isinstance(value, (int, np.integer)):
        return out + _int_field(3, int(value)) + _int_field(20, _ATTR_INT)
    if isinstance(value, (float, np.floating)):
        return out + _float_field(2, float(value)) + _int_field(20, _ATTR_FLOAT)
    if isinstance(value, str):
        return out + _bytes_field(4, value.encode()) + _int_field(20, _ATTR_STRING)
    values = list(value)
    if all(isinstance(v, (int, np.integer)) for v in values):
        return out + b"".join(_int_field(8, int(v)) for v in values) + _int_field(20, _ATTR_INTS)
    return out + b"".join(_float_field(7, float(v)) for v in values) + _int_field(20, _ATTR_FLOATS)


def tensor_proto(name: str, array: np.ndarray) -> bytes:
    """A TensorProto of a float32 or int64 array (other dtypes are converted to float32)."""
    a = np.asarray(array)
    if a.dtype.kind in "iub":
        a, data_type = np.ascontiguousarray(a, dtype="<i8"), _INT64
    else:
        a, data_type = np.ascontiguousarray(a, dtype="<f4"), _FLOAT
    out = b"".join(_int_field(1, d) for d in a.shape)
    return out + _int_field(2, data_type) + _str_field(8, name) + _bytes_field(9, a.tobytes())


def _value_info(name: str, shape: Sequence[int]) -> bytes:
    dims = b"".join(_bytes_field(1, _int_field(1, d)) for d in shape)
    tensor_type = _int_field(1, _FLOAT) + _bytes_field(2, dims)
    return _str_field(1, name) + _bytes_field(2, _bytes_field(1, tensor_type))


@dataclass
class Node:
    op_type: str
    inputs: List[str]
    outputs: List[str]
    name: str
    attributes: Dict[str, AttributeValue] = field(default_factory=dict)
    metadata: Dict[str, str] = field(default_factory=dict)
    domain: str = ""

    def encode(self) -> bytes:
        out = b"".join(_str_field(1, i) for i in self.inputs)
        out += b"".join(_str_field(2, o) for o in self.outputs)
        out += _str_field(3, self.name) + _str_field(4, self.op_type)
        out += b"".join(_bytes_field(5, _attribute(k, v)) for k, v in self.attributes.items())
        if self.domain:
            out += _str_field(7, self.domain)
        entries = (_str_field(1, k) + _str_field(2, v) for k, v in self.metadata.items())
        return out + b"".join(_bytes_field(9, e) for e in entries)


@dataclass
class Model:
    """What a model holds: nodes in topological order, float32/int64 initializers, and the
    graph inputs and outputs with their static shapes (batch axis included)."""

    name: str
    nodes: List[Node] = field(default_factory=list)
    initializers: Dict[str, np.ndarray] = field(default_factory=dict)
    inputs: List[tuple] = field(default_factory=list)  # (name, shape)
    outputs: List[tuple] = field(default_factory=list)  # (name, shape)
    producer: Optional[str] = None
    domains: Dict[str, int] = field(default_factory=dict)  # opsets beside ONNX's own

    def serialize(self) -> bytes:
        graph = b"".join(_bytes_field(1, n.encode()) for n in self.nodes)
        graph += _str_field(2, self.name)
        graph += b"".join(_bytes_field(5, tensor_proto(k, v)) for k, v in self.initializers.items())
        graph += b"".join(_bytes_field(11, _value_info(n, s)) for n, s in self.inputs)
        graph += b"".join(_bytes_field(12, _value_info(n, s)) for n, s in self.outputs)
        opsets = {"": _OPSET, **self.domains}
        out = _int_field(1, _IR_VERSION)
        if self.producer:
            out += _str_field(2, self.producer)
        out += _bytes_field(7, graph)
        return out + b"".join(_bytes_field(8, _str_field(1, d) + _int_field(2, v))
                              for d, v in opsets.items())
