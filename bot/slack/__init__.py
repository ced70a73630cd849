"""Talking to Slack: the Web API client and its failures, posting pace, delivery records,
signed requests, and Slack's markup (parsed once, escaped on the way out).

Nothing here knows the services, the rooms or the runtime.
"""
