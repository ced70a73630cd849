"""LocalSlack: the Slack Web API Doorway calls, served in-process on a free local port.

The console, the tests and the benchmarks point a real slack_sdk client at it.
"""

from console.localslack.server import RESPONSE_URL, Call, LocalSlack
from console.localslack.workspace import SlackError, Workspace

__all__ = ["RESPONSE_URL", "Call", "LocalSlack", "SlackError", "Workspace"]
