"""One room per ritual. Each room exposes ``register(app, services)``."""
