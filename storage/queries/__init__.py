"""Every query Doorway runs. Keyword-only functions; each filters by team."""
