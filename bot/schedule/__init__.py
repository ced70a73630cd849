"""Durable scheduled work: the job runner (`jobs`), the in-process timer (`scheduler`),
the daily prune (`retention`) and the planning of review reminders (`reviews`)."""
