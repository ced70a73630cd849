"""The digest room's command and job names."""

COMMAND = "/digest"
