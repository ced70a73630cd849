"""Doorway: Amazon's decision-making mechanisms as Slack habits."""
