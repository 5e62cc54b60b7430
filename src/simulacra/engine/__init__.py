"""One inference engine for every verb: load a run's persona, then generate, stream or score on either side.

Backends plug in behind the same API (`TorchBackend` today: generation, streaming, masked
log-likelihood, shared-prompt scoring and hidden states).
"""

from simulacra.engine.persona import SIDES, Persona, Side
from simulacra.engine.sampling import Sampling

__all__ = ["SIDES", "Persona", "Sampling", "Side"]
