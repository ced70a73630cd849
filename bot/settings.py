"""Doorway's settings: the process environment and `.env`, validated once at start."""

from __future__ import annotations

from typing import Literal

from cryptography.fernet import Fernet
from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
DEFAULT_DATABASE_URL = "sqlite:///./doorway.db"
# Seconds `serve` gives acknowledged work to finish after SIGTERM. Platforms kill a process
# 30 s after SIGTERM (Heroku, Kubernetes' default); this leaves room to keep what is left.
GRACE_SECONDS = 20.0
SEND_CONCURRENCY = 10


class SettingsError(Exception):
    """A setting is missing or contradicts another; the message names the variable and the fix."""


class Settings(BaseSettings):
    """Everything Doorway reads from its environment (see INTERFACE.md)."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"
    database_url: str = DEFAULT_DATABASE_URL
    openai_api_key: SecretStr | None = None
    openai_base_url: str | None = None
    openai_model: str = "gpt-4o-mini"
    port: int = Field(default=3000, ge=1, le=65535)
    doorway_log_level: LogLevel = "INFO"
    doorway_grace_seconds: float = Field(default=GRACE_SECONDS, ge=0, le=600)
    # How many of a tick's jobs run (and send to Slack) at once; each channel still gets at
    # most one message a second.
    doorway_send_concurrency: int = Field(default=SEND_CONCURRENCY, ge=1, le=100)
    # OAuth distribution (HTTP mode): every workspace that installs Doorway (bot/oauth.py).
    slack_client_id: str | None = None
    slack_client_secret: SecretStr | None = None
    slack_state_secret: SecretStr | None = None
    doorway_encryption_key: SecretStr | None = None
    doorway_retention_days: int = Field(default=30, ge=0, le=3650)

    @field_validator(
        "slack_bot_token",
        "slack_signing_secret",
        "slack_app_token",
        "openai_api_key",
        "slack_client_id",
        "slack_client_secret",
        "slack_state_secret",
        "doorway_encryption_key",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("openai_base_url", mode="before")
    @classmethod
    def _blank_url_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("doorway_log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("slack_api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL such as https://slack.com/api/")
        return value if value.endswith("/") else value + "/"

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        # The messages never repeat the URL: it may carry a password.
        scheme = value.split(":", 1)[0].split("+", 1)[0]
        if scheme not in {"sqlite", "postgresql", "postgres"}:
            raise ValueError("must start with sqlite:/// or postgresql://")
        try:
            parsed = make_url(
                "postgresql" + value.removeprefix("postgres") if scheme == "postgres" else value
            )
        except (ArgumentError, ValueError):
            raise ValueError(
                "is not a database URL: write it as "
                "postgresql://user:password@host:5432/doorway or sqlite:///./doorway.db"
            ) from None
        if not parsed.database:
            raise ValueError(
                "names no database: put the file after sqlite:/// (e.g. sqlite:///./doorway.db)"
                if scheme == "sqlite"
                else "names no database: add its name after the host, "
                "e.g. postgresql://user:password@host:5432/doorway"
            )
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Settings:
        bot = self.slack_bot_token.get_secret_value() if self.slack_bot_token else None
        app = self.slack_app_token.get_secret_value() if self.slack_app_token else None
        if bot is not None and not bot.startswith("xoxb-"):
            raise ValueError(
                "SLACK_BOT_TOKEN must be a bot token starting with xoxb- "
                "(Slack app > OAuth & Permissions > Bot User OAuth Token)"
            )
        if app is not None:
            if not app.startswith("xapp-"):
                raise ValueError(
                    "SLACK_APP_TOKEN must be an app-level token starting with xapp- "
                    "(Slack app > Basic Information > App-Level Tokens, scope connections:write)"
                )
            if bot is None:
                raise ValueError(
                    "SLACK_APP_TOKEN is set but SLACK_BOT_TOKEN is not: Socket Mode needs both"
                )
        _check_oauth(self)
        if self.openai_base_url and self.openai_api_key is None:
            raise ValueError(
                "OPENAI_BASE_URL is set but OPENAI_API_KEY is not: set a key "
                "(any non-empty value for servers that ignore it) or unset OPENAI_BASE_URL"
            )
        return self

    @property
    def socket_mode(self) -> bool:
        return self.slack_app_token is not None

    @property
    def oauth(self) -> bool:
        """Installed by many workspaces through OAuth, rather than one SLACK_BOT_TOKEN."""
        return self.slack_client_id is not None

    @property
    def has_slack_credentials(self) -> bool:
        return self.slack_bot_token is not None or self.slack_app_token is not None or self.oauth

    def require_http_credentials(self) -> None:
        """HTTP needs a bot token (or OAuth) and the signing secret; say which is missing."""
        if self.slack_bot_token is None and not self.oauth:
            raise SettingsError(
                "SLACK_BOT_TOKEN is not set: copy the Bot User OAuth Token (xoxb-…) from your "
                "Slack app's OAuth & Permissions page into .env"
            )
        if self.slack_signing_secret is None:
            raise SettingsError(
                "SLACK_SIGNING_SECRET is not set: HTTP mode verifies every request from Slack; "
                "copy it from your Slack app's Basic Information page into .env, "
                "or set SLACK_APP_TOKEN to use Socket Mode"
            )


MAKE_A_KEY = (
    "make one with: python -c 'from cryptography.fernet import Fernet; "
    "print(Fernet.generate_key().decode())'"
)
OAUTH_NAMES = ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_STATE_SECRET")


def _check_oauth(settings: Settings) -> None:
    """OAuth needs all three of its settings, HTTP mode, no single bot token, and a key."""
    values = (settings.slack_client_id, settings.slack_client_secret, settings.slack_state_secret)
    if not any(values):
        return
    for name, value in zip(OAUTH_NAMES, values, strict=True):
        if value is None:
            given = next(n for n, v in zip(OAUTH_NAMES, values, strict=True) if v is not None)
            raise ValueError(
                f"{given} is set but {name} is not: OAuth installs need SLACK_CLIENT_ID, "
                "SLACK_CLIENT_SECRET (Slack app > Basic Information > App Credentials) and "
                "SLACK_STATE_SECRET (any long random text)"
            )
    if settings.slack_bot_token is not None:
        raise ValueError(
            "SLACK_BOT_TOKEN and SLACK_CLIENT_ID are both set: unset SLACK_BOT_TOKEN to serve "
            "every workspace that installs Doorway (OAuth), or the SLACK_CLIENT_* settings "
            "to serve one"
        )
    if settings.slack_app_token is not None:
        raise ValueError(
            "SLACK_APP_TOKEN and SLACK_CLIENT_ID are both set: OAuth installs are served over "
            "HTTP; unset SLACK_APP_TOKEN"
        )
    key = settings.doorway_encryption_key
    if key is None:
        raise ValueError(
            "DOORWAY_ENCRYPTION_KEY is not set: OAuth keeps each workspace's tokens encrypted "
            f"with it; {MAKE_A_KEY}"
        )
    try:
        Fernet(key.get_secret_value().encode())
    except (ValueError, TypeError):
        raise ValueError(
            f"DOORWAY_ENCRYPTION_KEY is not a Fernet key (32 url-safe base64 bytes): {MAKE_A_KEY}"
        ) from None


def load_settings(**overrides: object) -> Settings:
    """Build Settings, turning validation errors into one line naming the variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise SettingsError(_one_line(exc)) from None


def _one_line(exc: ValidationError) -> str:
    error = exc.errors()[0]
    field = ".".join(str(part) for part in error.get("loc", ()) if part != "__root__")
    message = str(error.get("msg", "is invalid")).removeprefix("Value error, ")
    if field:
        return f"{field.upper()} {message}"
    return message
