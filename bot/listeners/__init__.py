"""What the rooms' listeners share: the services from a request's context, its fields,
modal forms, once-only work and the people behind a request (their names and time zones)."""
