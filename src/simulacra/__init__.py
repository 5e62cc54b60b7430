"""Simulacra: turn chat exports into a language model that speaks like a chosen person."""

__version__ = "0.1.0"
