"""The reveal says how much was sent in a sentence that reads right for none, one or many."""

from __future__ import annotations

import pytest

from handlers.memo.messages import said
from storage.models import MemoComment


def sent(*kinds: str) -> list[MemoComment]:
    return [
        MemoComment(team_id="T", session_id=1, user_id="U", kind=k, text="x", request_key=str(n))
        for n, k in enumerate(kinds)
    ]


@pytest.mark.parametrize(
    ("kinds", "sentence"),
    [
        ((), "No comments or questions were sent."),
        (("comment",), "Here is the one comment sent."),
        (("question",), "Here is the one question sent."),
        (("comment", "comment"), "Here are the 2 comments, all at once."),
        (("comment", "question"), "Here are the 2 comments (one of them a question), all at once."),
        (("question", "question"), "Here are the 2 comments (all of them questions), all at once."),
        (
            ("question", "comment", "question"),
            "Here are the 3 comments (2 of them questions), all at once.",
        ),
    ],
)
def test_the_reveal_counts_what_was_sent_in_a_sentence(
    kinds: tuple[str, ...], sentence: str
) -> None:
    assert said(sent(*kinds)) == sentence
