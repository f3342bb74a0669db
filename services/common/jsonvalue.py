"""JSON values that went through google.protobuf.Struct, where every number is a double."""
from typing import Any


def normalize_numbers(value: Any) -> Any:
    """Integral doubles back to ints (5.0 -> 5), recursively; everything else unchanged."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: normalize_numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [normalize_numbers(v) for v in value]
    return value
