"""Slack markup read once: typed tokens, entities decoded in one pass, nothing across a line."""

from __future__ import annotations

from bot.slack import markup
from bot.slack.markup import Channel, Entity, Link, Special, Text, User


def test_tokens_are_typed_and_give_the_text_back() -> None:
    text = "Hi <@U1|alice>, see <#C1> &amp; <!here> at <https://x.io/a?b=1&amp;c|the doc> <b>"
    found = list(markup.tokens(text))
    assert "".join(token.raw for token in found) == text
    assert found == [
        Text("Hi "),
        User("<@U1|alice>", "@U1", "alice"),
        Text(", see "),
        Channel("<#C1>", "#C1", None),
        Text(" "),
        Entity("&amp;"),
        Text(" "),
        Special("<!here>", "!here", None),
        Text(" at "),
        Link("<https://x.io/a?b=1&amp;c|the doc>", "https://x.io/a?b=1&amp;c", "the doc"),
        Text(" "),
        Link("<b>", "b", None),
    ]
    user, link, other = found[1], found[9], found[11]
    assert isinstance(user, User) and user.id == "U1"
    assert isinstance(link, Link) and link.is_url
    assert isinstance(other, Link) and not other.is_url


def test_special_mentions_know_their_kind() -> None:
    group, here, date = markup.tokens("<!subteam^S1|@eng><!here|here><!date^17^{date}|Nov 14>")
    assert isinstance(group, Special) and (group.name, group.keyword) == ("subteam", "subteam^S1")
    assert isinstance(here, Special) and here.broadcast and here.label == "here"
    assert isinstance(date, Special) and date.name == "date" and not date.broadcast


def test_entities_decode_once_and_typed_text_is_never_markup() -> None:
    assert markup.decode("&amp;lt;@U1&amp;gt; &lt;!here&gt; a & b") == "&lt;@U1&gt; <!here> a & b"
    assert all(
        not isinstance(t, User | Special) for t in markup.tokens("&lt;@U1&gt; &lt;!here&gt;")
    )


def test_markup_never_spans_a_line() -> None:
    assert list(markup.tokens("<@U1\n|alice>")) == [Text("<@U1\n|alice>")]
    assert list(markup.tokens("<a<@U1>")) == [Text("<a"), User("<@U1>", "@U1", None)]
