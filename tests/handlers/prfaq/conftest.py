"""The PR/FAQ tests post a document of several messages to one channel at a time: the
pacer that keeps Slack's one-message-a-second per channel is made quick here (its own
tests are in tests/bot/slack)."""

from __future__ import annotations

import pytest

from bot.services import Services
from bot.slack.pacing import ChannelPacer


@pytest.fixture(autouse=True)
def quick_pacer(services: Services) -> None:
    services.pacer = ChannelPacer(interval=0.01)
