"""Kept requests are replayed once, whichever of several instances starts first."""

from __future__ import annotations

import asyncio
from urllib.parse import parse_qsl

from sqlmodel import select

from bot.app import build_app, create_services
from bot.inflight import Work
from bot.services import Services
from bot.serving import resume
from console.localslack import LocalSlack
from storage.models import DoorDecision, UnfinishedRequest, UnfinishedState
from storage.queries import unfinished as q
from tests import signing
from tests.driver import ALICE, CHANNEL, TEAM


def door_body(slack: LocalSlack, n: int) -> dict[str, str]:
    body, _ = signing.slash_command(
        "/door",
        f"Kept decision {n}",
        team_id=TEAM,
        user_id=ALICE,
        channel_id=CHANNEL,
        response_url=slack.response_url(f"k{n}"),
    )
    return dict(parse_qsl(body))


async def test_two_instances_starting_together_replay_each_kept_request_once(
    services: Services, local_slack: LocalSlack
) -> None:
    assert await resume.keep(services, [Work(body=door_body(local_slack, n)) for n in range(6)])
    other = create_services(services.settings)
    try:
        apps = build_app(services), build_app(other)
        replayed = await asyncio.gather(
            resume.resume(services, apps[0]), resume.resume(other, apps[1])
        )
    finally:
        await other.aclose()
    assert sum(replayed) == 6
    async with services.db.session() as session:
        decisions = (await session.exec(select(DoorDecision))).all()
        kept = (await session.exec(select(UnfinishedRequest))).all()
    assert sorted(d.text for d in decisions) == [f"Kept decision {n}" for n in range(6)]
    assert {d.team_id for d in decisions} == {TEAM}
    assert kept == []
    assert sorted(c.url_name or "" for c in local_slack.calls("response_url")) == [
        f"k{n}" for n in range(6)
    ]


async def test_a_request_cut_short_again_is_given_back_not_kept_twice(
    services: Services, local_slack: LocalSlack
) -> None:
    await resume.keep(services, [Work(body=door_body(local_slack, 1))])
    async with services.db.session() as session:
        [row] = (await session.exec(select(UnfinishedRequest))).all()
    assert "token" not in row.body  # the legacy verification token is not kept
    app = build_app(services)
    # Claim it as a start would, then stop again before the replay finished.
    now = services.clock.now()
    async with services.db.session() as session:
        [claimed] = await q.claim_unfinished(
            session=session,
            now=now,
            owner=services.instance_id[:64],
            lease_until=now + resume.LEASE,
            limit=5,
        )
    assert claimed.id == row.id
    await resume.keep(services, [Work(body=claimed.body, resumed_from=claimed.id)])
    async with services.db.session() as session:
        rows = (await session.exec(select(UnfinishedRequest))).all()
    assert [(r.id, r.state, r.lease_owner) for r in rows] == [
        (row.id, UnfinishedState.PENDING, None)
    ]
    assert await resume.resume(services, app) == 1


async def test_a_request_cut_short_too_often_is_given_up(
    services: Services, local_slack: LocalSlack
) -> None:
    await resume.keep(services, [Work(body=door_body(local_slack, 1))])
    async with services.db.session() as session:
        [row] = (await session.exec(select(UnfinishedRequest))).all()
        row.attempts = resume.MAX_REPLAYS
        session.add(row)
    assert await resume.resume(services, build_app(services)) == 0
    async with services.db.session() as session:
        [row] = (await session.exec(select(UnfinishedRequest))).all()
        assert row.state == UnfinishedState.FAILED
        assert (await session.exec(select(DoorDecision))).all() == []
