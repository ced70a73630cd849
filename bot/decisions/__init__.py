"""The decision logic several rooms share: judgment, sizing and its rules, review scheduling,
the chair bank and the digest-section contract.

It imports no room (nothing from `handlers`) and no runtime (no Bolt, no app, CLI, servers or
console): import-linter holds it to that (pyproject.toml, `[tool.importlinter]`).
"""
