"""Empty-chair questions from the curated bank, and the text clean-up rooms share.

Both the door and the chair rooms ask the absent customer's question; the picking
lives here because rooms never import each other.
"""

import hashlib
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache

import prompts
from bot.slack import markup

BANK_FILE = "chair_bank.toml"
FALLBACK_TOPIC = "general"
# The longest decision Doorway keeps (storage.models.TEXT_MAX): the rules read all of what
# was stored, in a worker thread, so a long text costs time but never an ack.
MAX_CHARS = 12_000

_USER_ID = re.compile(r"[A-Z0-9]+")
_SHORTCODE = re.compile(r"(?<!\w):[a-z_+\-][a-z0-9_+\-']*:(?!\w)", re.IGNORECASE)
_SPACE = re.compile(r"\s+")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
_DROPPED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "So", "Sk", "Me"}


def normalize(text: object) -> str:
    """Return readable plain text: NFKC, Slack markup resolved, emoji and bidi marks gone."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    text = unicodedata.normalize("NFKC", text[:MAX_CHARS])
    text = "".join(_plain(token) for token in markup.tokens(text))
    text = _SHORTCODE.sub(" ", text).translate(_QUOTES)
    text = "".join(ch for ch in text if _kept(ch))
    return _SPACE.sub(" ", text).strip()


def _plain(token: markup.Token) -> str:
    """A broadcast is nobody, an unnamed person is someone; a label is what a reader sees."""
    if isinstance(token, markup.Text):
        return token.raw
    if isinstance(token, markup.Entity):
        return token.char
    if isinstance(token, markup.Special) and token.broadcast:
        return " "
    if isinstance(token, markup.User) and token.label is None and _USER_ID.fullmatch(token.id):
        return "@someone"
    if token.label is not None:
        return markup.decode(token.label or token.target)
    return markup.decode(token.target.lstrip("#@!"))


def _kept(ch: str) -> bool:
    if ch.isspace():
        return True
    if 0xFE00 <= ord(ch) <= 0xFE0F:  # emoji variation selectors
        return False
    category = unicodedata.category(ch)
    if category == "Sk" and ch.isascii():
        return True
    return category not in _DROPPED_CATEGORIES


@dataclass(frozen=True)
class Topic:
    name: str
    questions: tuple[str, ...]
    pattern: re.Pattern[str] | None


@cache
def _bank() -> tuple[Topic, ...]:
    raw = tomllib.loads(prompts.load(BANK_FILE))["topics"]
    topics = []
    for name, entry in raw.items():
        questions = tuple(q.strip() for q in entry["questions"] if q.strip())
        if not questions:
            raise ValueError(f"chair bank topic {name!r} has no questions")
        keywords = sorted({k.casefold() for k in entry.get("keywords", [])}, key=len, reverse=True)
        pattern = None
        if keywords:
            words = "|".join(re.escape(k) for k in keywords)
            pattern = re.compile(rf"(?<!\w)(?:{words})(?!\w)")
        topics.append(Topic(name, questions, pattern))
    if FALLBACK_TOPIC not in {t.name for t in topics}:
        raise ValueError(f"chair bank needs a {FALLBACK_TOPIC!r} topic")
    return tuple(topics)


def topic_names() -> list[str]:
    """Names of the topics in the bank, in priority order."""
    return [t.name for t in _bank()]


def pick_topic(text: str) -> str:
    """The bank topic whose trigger words best match ``text``; the fallback if none do."""
    folded = normalize(text).casefold()
    best, best_score = FALLBACK_TOPIC, 0
    for topic in _bank():
        if topic.pattern is None:
            continue
        # Phrases are more specific than single words, so they count per word.
        hits = {m.group(0) for m in topic.pattern.finditer(folded)}
        score = sum(len(hit.split()) for hit in hits)
        if score > best_score:
            best, best_score = topic.name, score
    return best


def chair_questions(text: str, n: int = 3) -> list[str]:
    """Up to ``n`` distinct customer questions for ``text``: same text, same questions."""
    if n <= 0:
        return []
    by_name = {t.name: t for t in _bank()}
    folded = normalize(text).casefold()
    seed = int.from_bytes(hashlib.sha256(folded.encode()).digest()[:8], "big")
    picked: list[str] = []
    for name in (pick_topic(text), FALLBACK_TOPIC):
        questions = by_name[name].questions
        start = seed % len(questions)
        for i in range(len(questions)):
            question = questions[(start + i) % len(questions)]
            if question not in picked:
                picked.append(question)
            if len(picked) == n:
                return picked
    return picked


def chair_question(text: str) -> str:
    """The one customer question to put on a card about ``text``."""
    return chair_questions(text, 1)[0]
