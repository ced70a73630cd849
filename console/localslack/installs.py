"""OAuth installs on LocalSlack: codes granted for a workspace, traded for its bot token by
`oauth.v2.access` (and refreshed there, with grant_type=refresh_token, when the token
rotates), as Slack's own answers shape them. Each token belongs to one workspace, so every
other call is answered by that workspace (its messages, its auth.test)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from console.localslack.workspace import SlackError, Workspace

OAUTH_ACCESS = "oauth.v2.access"
APP_ID = "A0DOORWAY"
EXPIRES_IN = 43_200  # seconds: twelve hours, as Slack's rotating tokens last


@dataclass
class Grant:
    """What installing gave: a workspace (or an org, `org_wide`) and the token's kind."""

    team_id: str | None
    enterprise_id: str | None
    org_wide: bool
    rotating: bool
    installer: str
    scope: str


class Installs:
    """Codes, tokens and refresh tokens, each to the workspace it was issued for."""

    def __init__(self) -> None:
        self.client_id: str | None = None
        self.client_secret: str | None = None
        self.workspaces: dict[str, Workspace] = {}
        self._codes: dict[str, Grant] = {}
        self._tokens: dict[str, Grant] = {}
        self._refresh: dict[str, Grant] = {}
        self.revoked: set[str] = set()
        self._numbers = itertools.count(1)

    def grant(self, grant: Grant) -> str:
        code = f"code-{next(self._numbers)}"
        self._codes[code] = grant
        return code

    def team_of(self, token: str) -> str | None:
        grant = self._tokens.get(token)
        return (grant.team_id or grant.enterprise_id) if grant else None

    def knows(self, token: str) -> bool:
        return token in self._tokens

    def is_revoked(self, token: str) -> bool:
        return token in self.revoked

    def revoke_team(self, team_id: str) -> None:
        """The workspace uninstalled the app: every token of it stops working."""
        for token, grant in self._tokens.items():
            if team_id in (grant.team_id, grant.enterprise_id):
                self.revoked.add(token)

    def access(self, args: dict[str, Any]) -> dict[str, Any]:
        """oauth.v2.access: a code (or a refresh token) for the workspace's bot token."""
        if self.client_id is not None and (
            args.get("client_id") != self.client_id
            or args.get("client_secret") != self.client_secret
        ):
            raise SlackError("invalid_client_id" if args.get("client_id") else "bad_client_secret")
        if args.get("grant_type") == "refresh_token":
            grant = self._refresh.pop(str(args.get("refresh_token") or ""), None)
            if grant is None:
                raise SlackError("invalid_refresh_token")
        else:
            grant = self._codes.pop(str(args.get("code") or ""), None)
            if grant is None:
                raise SlackError("invalid_code")
        return self._issue(grant)

    def _issue(self, grant: Grant) -> dict[str, Any]:
        n = next(self._numbers)
        where = grant.team_id or grant.enterprise_id
        token = f"xoxe.xoxb-1-{where}-{n}" if grant.rotating else f"xoxb-{where}-{n}"
        self._tokens[token] = grant
        workspace = self.workspaces[str(where)]
        answer: dict[str, Any] = {
            "app_id": APP_ID,
            "authed_user": {"id": grant.installer},
            "scope": grant.scope,
            "token_type": "bot",
            "access_token": token,
            "bot_user_id": workspace.user_id,
            "team": (
                {"id": grant.team_id, "name": workspace.team_domain.title()}
                if grant.team_id
                else None
            ),
            "enterprise": (
                {"id": grant.enterprise_id, "name": f"{grant.enterprise_id} Org"}
                if grant.enterprise_id
                else None
            ),
            "is_enterprise_install": grant.org_wide,
        }
        if grant.rotating:
            refresh = f"xoxe-1-refresh-{where}-{n}"
            self._refresh[refresh] = grant
            answer.update(refresh_token=refresh, expires_in=EXPIRES_IN)
        return answer
