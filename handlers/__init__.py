"""One room per ritual. Each room exposes what the composition root (bot/app.py) calls:

- ``register(app)``: its listeners on the Bolt app;
- ``register_jobs(registry)``: the handlers of its scheduled work;
- ``DIGEST_SECTIONS``: what it adds to a channel's weekly digest (bot.decisions.digest_sections);
- ``FORGET``: how `doorway forget` deletes a workspace's rows of its tables, or takes one
  person out of them (storage.queries.forget).

Rooms never import each other; what two share lives in ``bot.decisions``, storage or the platform.
"""
