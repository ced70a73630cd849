"""Where OAuth installs are kept: slack_sdk's SQLAlchemy installation store over Doorway's
own engine, with every token encrypted (Fernet) before it is written; and the OAuth state
store, whose states are signed as well as stored, so a forged one is refused unread and a
used one cannot be used again.

The tables are slack_sdk's own (storage/models.py), so the store is slack_sdk's
`AsyncSQLAlchemyInstallationStore` with encryption on the way in and out.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta
from logging import getLogger
from typing import Any, TypeVar

from cryptography.fernet import Fernet, InvalidToken
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore
from sqlalchemy import and_, delete, desc, insert, select

from storage.engine import Database
from storage.models import (
    TOKEN_COLUMNS,
    CoeReview,
    Commitment,
    DoorDecision,
    MemoSession,
    Prfaq,
    WorkspaceUninstall,
    slack_bots,
    slack_installations,
    slack_oauth_states,
)

log = getLogger(__name__)
Entity = TypeVar("Entity", Installation, Bot)
# Every Fernet token starts so (its version byte, base64); a Slack token starts with xox.
SEALED = "gAAAAA"
STATE_SECONDS = 600  # as Bolt's state cookie lasts
# The rows that keep the Enterprise Grid org a workspace's request came from.
ENTERPRISE_KEPT_BY = (DoorDecision, Commitment, CoeReview, MemoSession, Prfaq)


class EncryptedInstallationStore(AsyncSQLAlchemyInstallationStore):
    """slack_sdk's installation store on Doorway's tables, tokens encrypted at rest."""

    def __init__(self, *, client_id: str, db: Database, key: str) -> None:
        # Not super().__init__: it would build tables of its own; these are the migrated ones.
        self.client_id = client_id
        self.engine = db.engine
        self.metadata = slack_installations.metadata
        self.installations = slack_installations
        self.bots = slack_bots
        self._logger = log
        self._fernet = Fernet(key.encode())

    # -- encryption -------------------------------------------------------------------

    def _sealed(self, entity: Entity) -> Entity:
        sealed = copy.copy(entity)
        for name in TOKEN_COLUMNS:
            value = getattr(sealed, name, None)
            # slack_sdk's async_save saves the bot through async_save_bot: sealed already.
            if value and not value.startswith(SEALED):
                setattr(sealed, name, self._fernet.encrypt(value.encode()).decode())
        return sealed

    def _opened(self, entity: Entity | None) -> Entity | None:
        if entity is None:
            return None
        for name in TOKEN_COLUMNS:
            value = getattr(entity, name, None)
            if value and value.startswith(SEALED):
                try:
                    setattr(entity, name, self._fernet.decrypt(value.encode()).decode())
                except InvalidToken:
                    # Another key wrote it (DOORWAY_ENCRYPTION_KEY changed): the workspace
                    # must install again; the token itself is never logged.
                    log.error(
                        "a stored %s of team %s can't be decrypted with DOORWAY_ENCRYPTION_KEY "
                        "(was the key changed?); the workspace must install Doorway again",
                        name,
                        entity.team_id or entity.enterprise_id,
                    )
                    setattr(entity, name, None)
        return entity

    # -- the store ----------------------------------------------------------------------

    async def async_save(self, installation: Installation) -> None:
        """Keep an install; one in a workspace that had uninstalled Doorway within its
        retention clears the mark (its data was kept for this)."""
        await super().async_save(self._sealed(installation))
        team = installation.team_id or installation.enterprise_id
        if team:
            async with self.engine.begin() as conn:
                await conn.execute(
                    delete(WorkspaceUninstall.__table__).where(  # type: ignore[attr-defined]
                        WorkspaceUninstall.__table__.c.team_id == team  # type: ignore[attr-defined]
                    )
                )

    async def async_save_bot(self, bot: Bot) -> None:
        await super().async_save_bot(self._sealed(bot))

    async def async_find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        return self._opened(
            await super().async_find_bot(
                enterprise_id=enterprise_id,
                team_id=team_id,
                is_enterprise_install=is_enterprise_install,
            )
        )

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        # slack_sdk's own may take the latest bot's tokens from async_find_bot, opened
        # there already: `_opened` opens only what is sealed.
        found = await super().async_find_installation(
            enterprise_id=enterprise_id,
            team_id=team_id,
            user_id=user_id,
            is_enterprise_install=is_enterprise_install,
        )
        return self._opened(found)

    async def bot_of_team(self, team_id: str) -> Bot | None:
        """The latest bot installed in workspace `team_id` (in or out of an Enterprise
        Grid org), for sending what a job planned there."""
        c = self.bots.c
        query = (
            select(self.bots)
            .where(and_(c.client_id == self.client_id, c.team_id == team_id))
            .where(c.bot_token.is_not(None))
            .order_by(desc(c.installed_at))
            .limit(1)
        )
        async with self.engine.connect() as conn:
            row = (await conn.execute(query)).mappings().first()
            if row is None:
                row = await self._org_wide_bot(conn, team_id)
        if row is None:
            return None
        from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore

        return self._opened(SQLAlchemyInstallationStore.build_bot_entity(row))

    async def _org_wide_bot(self, conn: Any, team_id: str) -> Any:
        """The bot of the Enterprise Grid org `team_id` is in, when installed org-wide: the
        org is the one its decisions were made in (every room's main row keeps it)."""
        c = self.bots.c
        for model in ENTERPRISE_KEPT_BY:
            t = model.__table__  # type: ignore[union-attr]
            enterprise = (
                await conn.execute(
                    select(t.c.enterprise_id)
                    .where(t.c.team_id == team_id, t.c.enterprise_id.is_not(None))
                    .limit(1)
                )
            ).scalar()
            if enterprise is not None:
                query = (
                    select(self.bots)
                    .where(c.client_id == self.client_id, c.enterprise_id == enterprise)
                    .where(c.is_enterprise_install.is_(True), c.bot_token.is_not(None))
                    .order_by(desc(c.installed_at))
                    .limit(1)
                )
                return (await conn.execute(query)).mappings().first()
        return None


class SignedStateStore(AsyncOAuthStateStore):
    """OAuth states: random, signed with SLACK_STATE_SECRET, and good for one use within
    STATE_SECONDS (slack_sdk's state table)."""

    def __init__(self, *, db: Database, secret: str, seconds: int = STATE_SECONDS) -> None:
        self.engine = db.engine
        self._secret = secret.encode()
        self.seconds = seconds

    @property
    def logger(self) -> Any:
        return log

    def _signature(self, nonce: str) -> str:
        return hmac.new(self._secret, nonce.encode(), hashlib.sha256).hexdigest()[:32]

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        nonce = secrets.token_urlsafe(24)
        state = f"{nonce}.{self._signature(nonce)}"
        expire_at = datetime.now(UTC).replace(tzinfo=None) + timedelta(seconds=self.seconds)
        async with self.engine.begin() as conn:
            await conn.execute(insert(slack_oauth_states).values(state=state, expire_at=expire_at))
        return state

    async def async_consume(self, state: str) -> bool:
        state = state or ""
        nonce, _, signature = state.partition(".")
        # Ours are ASCII; compare_digest raises on any other text (a 500, not a refusal).
        if not (state.isascii() and nonce):
            return False
        if not hmac.compare_digest(signature, self._signature(nonce)):
            return False
        now = datetime.now(UTC).replace(tzinfo=None)
        c = slack_oauth_states.c
        async with self.engine.begin() as conn:
            # One DELETE: of two callbacks racing with the same state, one deletes the row.
            taken = await conn.execute(
                delete(slack_oauth_states).where(c.state == state, c.expire_at > now)
            )
            await conn.execute(delete(slack_oauth_states).where(c.expire_at <= now))
        return bool(taken.rowcount)
