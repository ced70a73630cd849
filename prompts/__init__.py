"""Prompt templates and curated question banks, loaded by name."""

from functools import cache
from importlib import resources


@cache
def load(name: str) -> str:
    """Return the text of ``prompts/<name>``."""
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
