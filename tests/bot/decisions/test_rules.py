"""The built-in door rules: accuracy on the labeled set, held-out cases, explanations."""

import json
import re
from pathlib import Path

import pytest

from bot.decisions.judgment import Door, Judgment, Source
from bot.decisions.questions import normalize
from bot.decisions.rules import by_signals, classify

DATA = Path(__file__).resolve().parents[2] / "data" / "decisions.jsonl"

# Written separately from decisions.jsonl and before the rules were tuned: a guard
# against the rules merely memorising the labeled set.
HELD_OUT: list[tuple[str, Door]] = [
    ("sign a five year lease on the Austin warehouse", Door.ONE_WAY),
    ("we're going to lay off the entire QA team next week", Door.ONE_WAY),
    ("permanently delete inactive user accounts and their files", Door.ONE_WAY),
    ("raise the subscription price for current customers by $10/month", Door.ONE_WAY),
    ("acquire our competitor BrightPath", Door.ONE_WAY),
    ("announce the new pricing in a press release tomorrow", Door.ONE_WAY),
    ("terminate Alex's employment effective Friday", Door.ONE_WAY),
    ("give the new CTO 2% equity", Door.ONE_WAY),
    ("deprecate the public GraphQL API by end of year", Door.ONE_WAY),
    ("sign an exclusive 3-year reseller agreement with Telco", Door.ONE_WAY),
    ("expose customers' billing addresses in the public partner API", Door.ONE_WAY),
    (
        "migrate the production MySQL database to a new cluster and decommission the old one",
        Door.ONE_WAY,
    ),
    ("rebrand the product as Flux and retire the old name everywhere", Door.ONE_WAY),
    ("settle the patent dispute and agree to pay royalties for 10 years", Door.ONE_WAY),
    ("hire 15 engineers in Poland and open a legal entity there", Door.ONE_WAY),
    ("trial Loom for async updates for two weeks", Door.TWO_WAY),
    ("run an A/B test on the signup button color", Door.TWO_WAY),
    ("move Thursday's sync to 3pm", Door.TWO_WAY),
    ("pilot the new triage bot in #support-internal", Door.TWO_WAY),
    ("put the new pricing page behind a feature flag for internal users", Door.TWO_WAY),
    ("switch our linter config to stricter rules", Door.TWO_WAY),
    ("prototype a CLI for the reports export", Door.TWO_WAY),
    ("draft a proposal for the new team structure", Door.TWO_WAY),
    ("delete the dev database snapshots from last month", Door.TWO_WAY),
    ("rename the #design-ops channel to #design", Door.TWO_WAY),
    ("try a 15-minute daily standup instead of 30", Door.TWO_WAY),
    ("temporarily scale up the worker pool for the backfill", Door.TWO_WAY),
    ("roll back the search change if error rates go up", Door.TWO_WAY),
    ("change the dashboard default date range to 30 days", Door.TWO_WAY),
    ("use Google Meet instead of Zoom for this week's retro", Door.TWO_WAY),
    ("pick the offsite restaurant", Door.TWO_WAY),
    ("canary the new cache on 2% of requests", Door.TWO_WAY),
]

# A second held-out list, written before the rules were generalised for a reviewer's
# misses (brand, org, product removal, merges, offices, rewrites, credential changes),
# and never tuned against case by case. Scored 28/40 (70%) before that work.
HELD_OUT_2: list[tuple[str, Door]] = [
    ("let's stop offering the on-prem edition to new customers", Door.ONE_WAY),
    ("move HQ to the bigger office in Denver, it's a 7-year lease", Door.ONE_WAY),
    ("change the company name to Northwind before the Series B", Door.ONE_WAY),
    ("we're splitting engineering into three business units, each with its own GM", Door.ONE_WAY),
    ("fold the Insights add-on into the core product and stop selling it separately", Door.ONE_WAY),
    ("rewrite the billing service in Go and retire the Ruby one", Door.ONE_WAY),
    ("force all customers to re-authenticate by revoking every OAuth token", Door.ONE_WAY),
    ("switch payment processors from Stripe to Adyen for all merchants", Door.ONE_WAY),
    ("make API v2 the only version and turn off v1 in March", Door.ONE_WAY),
    ("give every employee a permanent 4-day work week", Door.ONE_WAY),
    ("publish our salary bands on the careers page", Door.ONE_WAY),
    ("open a warehouse in Rotterdam to serve EU orders", Door.ONE_WAY),
    ("hard-delete soft-deleted tickets older than a year in prod", Door.ONE_WAY),
    ("reorg support so it reports to the COO instead of the CTO", Door.ONE_WAY),
    ("notify every customer that we're ending phone support in June", Door.ONE_WAY),
    ("replace Postgres with DynamoDB for the orders service", Door.ONE_WAY),
    ("bump the session timeout from 30 to 60 minutes", Door.TWO_WAY),
    ("try pairing new hires with a buddy for their first month", Door.TWO_WAY),
    ("swap the homepage hero copy to lead with security", Door.TWO_WAY),
    ("let's move design crit to Wednesdays", Door.TWO_WAY),
    ("add a 'last seen' column to the admin users table", Door.TWO_WAY),
    ("switch the team from Asana to Linear for Q3 sprint work", Door.TWO_WAY),
    ("rename the 'Projects' tab to 'Workspaces' in the sidebar", Door.TWO_WAY),
    ("run the onboarding email experiment on half of new signups", Door.TWO_WAY),
    ("turn on dependabot for the web repo", Door.TWO_WAY),
    ("spin up a sandbox org for the sales demo", Door.TWO_WAY),
    ("raise log retention on staging to 14 days", Door.TWO_WAY),
    ("hold off on the Redis upgrade until after the launch freeze", Door.TWO_WAY),
    ("write support macros for the top 10 refund questions", Door.TWO_WAY),
    ("order pizza for the release party on Friday", Door.TWO_WAY),
    ("reorder the onboarding checklist so 'invite teammates' comes first", Door.TWO_WAY),
    ("increase the Sentry sample rate to 50% for a week", Door.TWO_WAY),
    ("add a Slack reminder for timesheets every Friday afternoon", Door.TWO_WAY),
    ("ship the redesigned settings page to internal users first", Door.TWO_WAY),
    ("cut the weekly metrics review from 60 to 30 minutes", Door.TWO_WAY),
    ("use gpt-4o-mini instead of gpt-4o for summaries, behind a flag", Door.TWO_WAY),
    ("hire a contractor for two months to clean up the design system", Door.TWO_WAY),
    ("write a migration guide for the new SDK", Door.TWO_WAY),
    ("move the billing FAQ into the help center", Door.TWO_WAY),
    ("archive the old roadmap doc and start a fresh one for H2", Door.TWO_WAY),
]

# An independent reviewer's misses, sized against a fresh sample: each of these families
# used to fall through to "No strong one-way signal", or (the last) past a negation.
REVIEWER_MISSES: list[tuple[str, Door]] = [
    ("Remove the free tier", Door.ONE_WAY),
    ("Change our logo", Door.ONE_WAY),
    ("Reorganize the sales team into regions", Door.ONE_WAY),
    ("Merge the two mobile apps into one", Door.ONE_WAY),
    ("Open a second office in Berlin", Door.ONE_WAY),
    ("Rewrite the frontend in Svelte", Door.ONE_WAY),
    ("Rotate the API keys for all customers", Door.ONE_WAY),
    ("We will not delete any data", Door.TWO_WAY),
]

WEIRD_INPUTS = [
    "",
    "   \n\t  ",
    "\x00\x01\x7f",
    "🎉🚪🔥" * 50,
    ":tada: :white_check_mark:",
    "<!channel> <!here|here> <@U0123ABC> <#C0123|general>",
    "<https://example.com/doc|sign a 5-year lease> please review",
    "<https://example.com/only-a-link>",
    "\u202eesael raey-5 a ngis\u202c \u200f\u200e\u2066x\u2069",
    "נחתום על חוזה לשלוש שנים",
    "سنوقع عقدا لمدة ثلاث سنوات",
    "ｓｉｇｎ　ａ　５－ｙｅａｒ　ｃｏｎｔｒａｃｔ",
    "&lt;script&gt;alert(1)&lt;/script&gt; &amp;",
    "?!?!... --- ***",
    "try " * 1_200,
    "no rollback " * 500,
    "sign the contract and delete all production data " * 120,
    "a" * 10_000,
    "$$$ $ $1,2,3 $9999999999999999999999999999k 1e99 dollars",
    "\ud800 lone surrogate",
]

QUOTE = re.compile(r"“(.+?)”")


def _labeled() -> list[dict[str, str]]:
    with DATA.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def _accuracy(items: list[tuple[str, Door]]) -> tuple[float, list[str]]:
    misses = []
    for text, want in items:
        got = classify(text)
        if got.door is not want:
            misses.append(f"want {want.value}, got {got.door.value} ({got.confidence}): {text}")
    return 1 - len(misses) / len(items), misses


def test_labeled_set_is_big_varied_and_well_formed() -> None:
    rows = _labeled()
    assert len(rows) >= 170
    assert all(set(row) == {"text", "door", "why"} for row in rows)
    assert all(row["text"].strip() and row["why"].strip() for row in rows)
    assert len({row["text"].casefold() for row in rows}) == len(rows)
    one_way = sum(Door(row["door"]) is Door.ONE_WAY for row in rows) / len(rows)
    assert 0.3 <= one_way <= 0.5


def test_accuracy_on_labeled_set() -> None:
    rows = _labeled()
    accuracy, misses = _accuracy([(row["text"], Door(row["door"])) for row in rows])
    print(f"door rules accuracy on {len(rows)} labeled decisions: {accuracy:.1%}")
    assert accuracy >= 0.85, f"accuracy {accuracy:.1%}; misclassified:\n" + "\n".join(misses)


def test_held_out_examples_are_not_in_the_labeled_set() -> None:
    labeled = {row["text"].casefold() for row in _labeled()}
    assert not [text for text, _ in HELD_OUT if text.casefold() in labeled]
    assert len(HELD_OUT) >= 30


def test_accuracy_on_held_out_examples() -> None:
    accuracy, misses = _accuracy(HELD_OUT)
    print(f"door rules accuracy on {len(HELD_OUT)} held-out decisions: {accuracy:.1%}")
    assert accuracy >= 0.8, f"accuracy {accuracy:.1%}; misclassified:\n" + "\n".join(misses)


def test_second_held_out_list_is_new_and_balanced() -> None:
    seen = {row["text"].casefold() for row in _labeled()} | {t.casefold() for t, _ in HELD_OUT}
    assert not [text for text, _ in HELD_OUT_2 if text.casefold() in seen]
    assert len(HELD_OUT_2) == 40
    assert 0.35 <= sum(door is Door.ONE_WAY for _, door in HELD_OUT_2) / 40 <= 0.45


def test_accuracy_on_second_held_out_list() -> None:
    accuracy, misses = _accuracy(HELD_OUT_2)
    print(f"door rules accuracy on {len(HELD_OUT_2)} second held-out decisions: {accuracy:.1%}")
    assert accuracy >= 0.8, f"accuracy {accuracy:.1%}; misclassified:\n" + "\n".join(misses)


@pytest.mark.parametrize(
    "text",
    [row["text"] for row in _labeled()]
    + [text for text, _ in HELD_OUT + HELD_OUT_2 + REVIEWER_MISSES],
)
def test_every_quoted_signal_is_in_the_text(text: str) -> None:
    judgment = classify(text)
    cleaned = normalize(text).casefold()
    for reason in judgment.reasons:
        for quote in QUOTE.findall(reason):
            assert quote.rstrip("…").casefold() in cleaned, reason


@pytest.mark.parametrize("text", WEIRD_INPUTS)
def test_weird_input_never_raises(text: str) -> None:
    judgment = classify(text, context=text)
    assert isinstance(judgment, Judgment)
    assert judgment.source is Source.RULES
    assert 1 <= len(judgment.reasons) <= 6
    assert judgment.chair_question.strip()
    assert all(len(QUOTE.findall(r)[0]) <= 60 for r in judgment.reasons if QUOTE.search(r))


def test_nothing_seen_is_a_low_confidence_guess_that_asks() -> None:
    # The fitted model leans one-way on a text this bare (the cheaper mistake), but says
    # how little it knows and asks rather than decide.
    judgment = classify("let's go with option B")
    assert judgment.confidence <= 0.6
    assert judgment.unsure


def test_empty_text_says_there_is_nothing_to_size() -> None:
    judgment = classify("")
    assert judgment.door is Door.TWO_WAY
    assert "empty" in judgment.reasons[0]


def test_reason_names_the_words_it_saw() -> None:
    judgment = classify("We should sign a 3-year contract with Globex")
    assert judgment.door is Door.ONE_WAY
    assert any("“3-year contract”" in reason for reason in judgment.reasons)


def test_slack_markup_is_read_through_its_label() -> None:
    judgment = classify("<!channel> <@U42> ok to <https://wiki.example/x|sign a 5-year lease>?")
    assert judgment.door is Door.ONE_WAY
    assert not any("https" in reason or "U42" in reason for reason in judgment.reasons)


def test_fullwidth_text_is_normalised() -> None:
    assert classify("ｓｉｇｎ ａ ５－ｙｅａｒ ｃｏｎｔｒａｃｔ").door is Door.ONE_WAY


def test_stronger_evidence_means_higher_confidence() -> None:
    weak = classify("hire a VP of Sales")
    strong = classify("sign a 5-year exclusive contract and announce it publicly")
    assert weak.door is strong.door is Door.ONE_WAY
    assert strong.confidence > weak.confidence


def test_evidence_on_both_sides_lowers_confidence_and_shows_the_other_side() -> None:
    plain = by_signals("delete the old bucket")
    mixed = by_signals("delete the old staging bucket")
    assert plain.door is Door.ONE_WAY
    assert mixed.door is Door.TWO_WAY
    assert mixed.confidence < 0.7
    assert any(reason.startswith("But mentions “delete”") for reason in mixed.reasons)


def test_a_negated_way_back_is_not_a_way_back() -> None:
    judgment = classify("ship it to everyone with no way to roll back")
    assert judgment.door is Door.ONE_WAY
    assert not any(reason.startswith("But") for reason in judgment.reasons)


def test_scale_cues_alone_do_not_make_a_one_way_door() -> None:
    assert classify("enforce 2FA for all employees across the board").door is Door.TWO_WAY


def test_context_counts_and_is_attributed_to_the_context() -> None:
    # The context comes from the decision modal's Context field, not from a thread.
    judgment = classify("let's do it", context="this locks us into a 5 year contract")
    assert judgment.door is Door.ONE_WAY
    assert judgment.reasons[0].startswith("The context mentions")
    assert not any("thread" in reason for reason in judgment.reasons)


@pytest.mark.parametrize(("text", "want"), REVIEWER_MISSES)
def test_reviewer_misses(text: str, want: Door) -> None:
    judgment = classify(text)
    assert judgment.door is want, judgment.reasons
    if want is Door.ONE_WAY:
        assert not any("No strong one-way signal" in reason for reason in judgment.reasons)
        assert not any(reason.startswith("But") for reason in judgment.reasons)


def test_rotating_every_customers_keys_is_not_routine() -> None:
    judgment = classify("Rotate the API keys for all customers")
    assert not any("routine" in reason for reason in judgment.reasons)
    assert any("integration" in reason for reason in judgment.reasons)


@pytest.mark.parametrize(
    "text",
    [
        "We will not delete any data",
        "we won't delete the old accounts, just archive them",
        "never expose customers' emails in the public API",
        "we're not going to sign the 3-year contract",
    ],
)
def test_a_negated_one_way_step_is_not_taken(text: str) -> None:
    judgment = by_signals(text)
    assert judgment.door is Door.TWO_WAY, judgment.reasons
    assert any("ruled out" in reason for reason in judgment.reasons)


@pytest.mark.parametrize(
    "text",
    [
        "if we don't sign the 3-year deal by Friday we lose the discount",
        "no rollback if we sign this 5-year lease",
        "delete all customer data now, not next quarter",
    ],
)
def test_a_negation_elsewhere_does_not_cancel_a_one_way_step(text: str) -> None:
    assert classify(text).door is Door.ONE_WAY


def test_ending_a_contract_is_not_firing_someone() -> None:
    judgment = classify("Terminate the vendor contract")
    assert judgment.door is Door.ONE_WAY
    assert not any("job" in reason for reason in judgment.reasons)
    assert any("contract" in reason for reason in judgment.reasons)
    fired = classify("terminate Sam's employment contract")
    assert any("job" in reason for reason in fired.reasons)


def test_a_dashboard_is_not_cosmetic() -> None:
    judgment = classify("Build a CSV export for the new dashboard")
    assert not any("cosmetic" in reason for reason in judgment.reasons)


def test_an_age_cutoff_is_not_a_time_box() -> None:
    judgment = classify("Delete the production database backups older than 30 days")
    assert judgment.door is Door.ONE_WAY
    assert not any("time-boxed" in reason for reason in judgment.reasons)
    assert any("time-boxed" in r for r in classify("trial it 2 weeks, then decide").reasons)


def test_a_logo_colour_tweak_is_not_a_rebrand() -> None:
    assert classify("change our logo color from blue to teal").door is Door.TWO_WAY
    assert classify("we're getting a new logo and tagline").door is Door.ONE_WAY


def test_opening_the_office_in_the_morning_is_not_expansion() -> None:
    assert by_signals("open the office at 8am on Fridays").door is Door.TWO_WAY


def test_same_text_same_judgment() -> None:
    text = "migrate the production database to Aurora"
    assert classify(text) == classify(text)


def test_the_rules_do_not_import_the_chair_room() -> None:
    package = Path(__file__).resolve().parents[3] / "bot" / "decisions" / "rules"
    modules = list(package.glob("*.py"))
    assert modules, package
    for module in modules:
        source = module.read_text()
        assert "handlers.chair" not in source and "from handlers import chair" not in source


def test_a_ruled_out_step_is_quoted_once_in_its_widest_words() -> None:
    reasons = by_signals("We will NOT sign the 3-year exclusive deal with Acme").reasons
    ruled_out = [r for r in reasons if "ruled out" in r]
    assert ruled_out == [
        "Mentions “will NOT sign the 3-year exclusive” — a one-way step ruled out, not taken, "
        "so nothing is locked in"
    ]
