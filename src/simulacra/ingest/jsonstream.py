"""The JSON walker lives below the stages now (simulacra.jsonstream, shared with prepare); this keeps old imports."""

from simulacra.jsonstream import CHUNK, MARGIN, MAX_VALUE, JsonStream, drained

__all__ = ["CHUNK", "MARGIN", "MAX_VALUE", "JsonStream", "drained"]
