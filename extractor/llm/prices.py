"""USD per million tokens (input, output) by model name prefix; local models cost nothing."""

from __future__ import annotations

PRICES: dict[str, tuple[float, float]] = {
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1": (2.00, 8.00),
    "deepseek-chat": (0.27, 1.10),
    "qwen-plus": (0.40, 1.20),
    "qwen-turbo": (0.05, 0.20),
    "qwen2.5-coder": (0.0, 0.0),
}


def price_of(model: str) -> tuple[float, float]:
    """The price of the longest matching prefix; unknown models are priced at 0 (say so in evals)."""
    name = model.lower().rsplit("/", 1)[-1]
    best = max((p for p in PRICES if name.startswith(p)), key=len, default=None)
    return PRICES[best] if best else (0.0, 0.0)
