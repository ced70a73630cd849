"""The runtimes that bring Slack's requests in: over HTTP (`http`, behind `gate`) or over
Socket Mode (`socket_mode`), and what both share: reaching Slack at start (`startup`),
the database made ready (`database`), the dispatch that tracks acknowledged work and the
replay of what a stop kept (`resume`). `bot.process` runs them."""
