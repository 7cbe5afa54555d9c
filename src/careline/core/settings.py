"""Settings from the environment (`CARELINE_*`), with safe defaults for a demo.

Outside development, the settings refuse to start with the demo's secrets or
without a keyring file: a production install must be configured on purpose.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Environment(StrEnum):
    development = "development"
    test = "test"
    production = "production"


DEFAULT_VAR = Path("var")

#: Signs webhooks between careline and its virtual carrier in demos and tests only.
DEMO_AUTH_TOKEN = "careline-demo-auth-token"  # noqa: S105 - published on purpose


class SettingsError(ValueError):
    """Settings that cannot run, described without their values: a pydantic error
    echoes its input, and careline's input holds the provider's auth token (issue 11,
    item 22: a startup error printed 22 of its 32 characters)."""


def _describe(error: ValidationError) -> str:
    lines = [
        f"{'.'.join(str(p) for p in e['loc']) or 'settings'}: {e['msg']}"
        for e in error.errors(include_input=False, include_url=False, include_context=False)
    ]
    return "careline's settings cannot run:\n  " + "\n  ".join(lines)


class Settings(BaseSettings):
    """Everything an install can tune. Each field documents what it is for."""

    model_config = SettingsConfigDict(env_prefix="CARELINE_", extra="ignore")

    def __init__(self, **values: Any) -> None:
        try:
            super().__init__(**values)
        except ValidationError as error:
            raise SettingsError(_describe(error)) from None

    environment: Environment = Field(
        default=Environment.development,
        description="development (demo defaults allowed), test, or production (strict).",
    )
    database_url: str = Field(
        default=f"sqlite:///{DEFAULT_VAR / 'careline.db'}",
        description="SQLAlchemy URL: sqlite:///path (default) or postgresql+psycopg://...",
    )
    keyring_file: Path = Field(
        default=DEFAULT_VAR / "keyring.json",
        description="JSON keyring holding PHI encryption keys, the lookup-hash key and the "
        "audit key. Created on first use in development; must exist in production.",
    )
    audit_anchor_file: Path | None = Field(
        default=None,
        description="Where audit checkpoints are appended (the chain's head, MACed): put "
        "it where the database's users cannot write, e.g. another volume. Default: "
        "audit-anchor.jsonl beside the keyring.",
    )
    audit_checkpoint_minutes: int = Field(
        default=10,
        ge=1,
        le=24 * 60,
        description="The worker writes an audit checkpoint this often; entries newer than "
        "the last checkpoint are what a truncation could remove undetected.",
    )
    session_idle_minutes: int = Field(
        default=15, ge=1, le=24 * 60, description="Automatic logoff after this many idle minutes."
    )
    session_max_hours: int = Field(
        default=12, ge=1, le=24 * 7, description="A session ends this long after login regardless."
    )
    lockout_threshold: int = Field(
        default=5, ge=1, description="Failed logins in a row before an account is locked."
    )
    lockout_minutes: int = Field(default=15, ge=1, description="How long a lockout lasts.")
    token_max_days: int = Field(
        default=365,
        ge=1,
        le=3650,
        description="The longest an API token may live; every token expires (a token made "
        "by another token never outlives its parent).",
    )
    mfa_enrolment_hours: int = Field(
        default=72,
        ge=0,
        le=24 * 30,
        description="A new user (or one whose MFA was reset) may set up their authenticator "
        "from the sign-in page, with their password, for this long; after that, or once a "
        "first code was used, only an administrator's MFA reset reopens it. 0: never.",
    )
    ip_failure_limit: int = Field(
        default=30, ge=1, description="Failed logins from one address per window before 429."
    )
    ip_failure_window_minutes: int = Field(default=10, ge=1)
    cookie_secure: bool | None = Field(
        default=None,
        description="Force the Secure cookie flag. Default: set it when the request came over "
        "https (directly or through a proxy's X-Forwarded-Proto).",
    )
    default_region: str = Field(
        default="US", description="Region used to read phone numbers typed without +country."
    )
    log_level: str = Field(default="INFO")
    twilio_auth_token: SecretStr | None = Field(
        default=None,
        description="Auth token that signs provider webhooks (X-Twilio-Signature). "
        "Required in production; development uses a fixed, published demo token.",
    )
    metrics_token: SecretStr | None = Field(
        default=None,
        description="Bearer token a Prometheus scraper sends to GET /metrics. Without it, "
        "/metrics answers only in development and test (404 elsewhere).",
    )
    public_base_url: str | None = Field(
        default=None,
        description="The https origin the provider calls (e.g. https://careline.clinic.org). "
        "Signatures cover the URL the provider used, so behind a proxy set this.",
    )
    twilio_account_sid: str | None = Field(
        default=None,
        description="Account SID (AC...) used with the auth token to download call recordings "
        "(HTTP basic auth) for on-premise transcription. Unset: the AccountSid of the signed "
        "webhook that announced the recording.",
    )
    recording_hosts: list[str] = Field(
        default=["api.twilio.com", "*.twilio.com"],
        description="Hosts careline fetches recordings from (https only; `*.example.com` "
        "allows sub-domains). Redirects to other hosts are refused and the provider's "
        "credentials are sent to the announcing host only. Outside production, loopback "
        "http is allowed too (the virtual carrier).",
    )
    speech_transcriber: Literal["provider", "pocketsphinx"] = Field(
        default="provider",
        description="Who turns callers' speech into words: the provider (it transcribes "
        "voicemails and spoken menu answers), or pocketsphinx on this server (careline "
        "downloads the recordings and transcribes them; the provider transcribes nothing).",
    )
    fallback_oncall_number: str | None = Field(
        default=None,
        description="E.164 number the fallback plan forwards urgent callers to when careline "
        "itself is failing (no database needed).",
    )
    db_retry_seconds: float = Field(
        default=5.0,
        gt=0,
        le=300,
        description="How often `careline serve` checks a database that stopped answering "
        "(and files voicemails the fallback plan kept meanwhile).",
    )
    trusted_proxies: list[str] = Field(
        default=[],
        description="Addresses or networks (e.g. 10.0.0.0/8) of the reverse proxies in "
        "front of careline. Only requests from them may name the client's address and "
        "scheme (X-Forwarded-For/-Proto); with none, the connection's own address counts, "
        "so sign-in throttles and audit entries cannot be steered by a header.",
    )
    max_body_bytes_webhook: int = Field(
        default=64 * 1024,
        ge=1024,
        description="Largest request body a provider webhook may send (a provider's form "
        "posts are a few KB); larger ones get 413 before anything is read or spooled.",
    )
    max_body_bytes_sign_in: int = Field(
        default=16 * 1024,
        ge=1024,
        description="Largest body of the unauthenticated sign-in routes (/api/v1/auth/...).",
    )
    max_body_bytes_api: int = Field(
        default=2 * 1024 * 1024,
        ge=4096,
        description="Largest body of every other API request (a call-flow document is about "
        "11 KB; imports that need more are command-line tools).",
    )
    live_heartbeat_seconds: float = Field(
        default=15.0,
        gt=0,
        le=300,
        description="Live event streams send a keep-alive this often, so proxies keep them "
        "open and a closed browser tab is noticed.",
    )
    live_recheck_seconds: float = Field(
        default=30.0,
        gt=0,
        le=600,
        description="An open live event stream re-checks its session this often and ends "
        "(with a signed-out event) once the session has ended or idled out.",
    )
    wrap_up_seconds: int = Field(
        default=60,
        ge=0,
        le=3600,
        description="An agent's wrap-up after a call ends by itself after this many seconds "
        "(they can end it sooner from the desk).",
    )
    provider: Literal["outbox", "twilio", "virtual"] = Field(
        default="outbox",
        description="Who carries outbound texts and calls: outbox (stored, nothing leaves), "
        "twilio (the Twilio REST API), or virtual (careline's virtual carrier on loopback, "
        "for demos and tests; same adapter as twilio, pointed at CARELINE_TWILIO_API_BASE_URL).",
    )
    outbox_in_production: bool = Field(
        default=False,
        description="Allow the outbox provider in production, i.e. say on purpose that no "
        "message or call may leave this install.",
    )
    twilio_api_base_url: str | None = Field(
        default=None,
        description="Where the Twilio REST API is. Unset: https://api.twilio.com. The virtual "
        "carrier's REST side listens on loopback (e.g. http://127.0.0.1:8790).",
    )
    twilio_messaging_service_sid: str | None = Field(
        default=None,
        description="Messaging Service SID (MG...) texts are sent from. Unset: each clinic's "
        "own sender number.",
    )
    twilio_timeout_seconds: float = Field(
        default=10.0,
        gt=0,
        le=60,
        description="How long one REST request may take before careline treats the outcome as "
        "unknown (it then asks the provider what it has before it ever sends again).",
    )
    twilio_messages_per_second_per_number: float = Field(
        default=1.0,
        gt=0,
        description="Throughput of one sender number (US long code: 1 message a second), "
        "for all worker processes together (the pace is kept in the database).",
    )
    twilio_messages_per_second_per_service: float = Field(
        default=10.0,
        gt=0,
        description="Throughput of the Messaging Service (the whole account) as a whole, "
        "for all worker processes together.",
    )
    triage_threads: int | None = Field(
        default=None,
        ge=1,
        le=16,
        description="CPU threads the triage embedding model uses for one utterance. Default: "
        "two, or one on a single-core machine (two halve a triage call's time).",
    )
    spool_dir: Path = Field(
        default=DEFAULT_VAR / "spool",
        description="Where the fallback plan keeps voicemails it could not store in the database.",
    )

    @property
    def uses_demo_webhook_token(self) -> bool:
        """Webhooks are checked against careline's *published* demo token: anyone can
        sign a fake call or text. Fine for `careline demo`, never for a clinic."""
        return self.twilio_auth_token is None and self.environment is not Environment.production

    @property
    def webhook_auth_token(self) -> str:
        """The token webhooks are checked against (the demo token outside production)."""
        if self.twilio_auth_token:
            return self.twilio_auth_token.get_secret_value()
        if self.environment is Environment.production:
            raise ValueError("CARELINE_TWILIO_AUTH_TOKEN must be set in production")
        return DEMO_AUTH_TOKEN

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        if self.environment is Environment.production and not self.twilio_auth_token:
            raise ValueError(
                "CARELINE_TWILIO_AUTH_TOKEN is not set; production webhooks must be verified "
                "against the provider's auth token."
            )
        if (
            self.environment is Environment.production
            and self.provider == "outbox"
            and not self.outbox_in_production
        ):
            raise ValueError(
                "CARELINE_PROVIDER=outbox stores every text and call and sends nothing; "
                "production needs CARELINE_PROVIDER=twilio, or CARELINE_OUTBOX_IN_PRODUCTION=true "
                "to say on purpose that nothing may leave."
            )
        if self.environment is Environment.production and not self.public_base_url:
            raise ValueError(
                "CARELINE_PUBLIC_BASE_URL is not set; production must not trust the Host "
                "header for the URLs webhook signatures cover (set the https origin the "
                "provider calls, e.g. https://careline.clinic.org)."
            )
        if self.environment is Environment.production and self.provider == "virtual":
            raise ValueError(
                "CARELINE_PROVIDER=virtual is the demo carrier; production needs twilio."
            )
        if self.environment is Environment.production and not self.keyring_file.exists():
            raise ValueError(
                f"CARELINE_KEYRING_FILE={self.keyring_file} does not exist; production needs "
                "its keyring created on purpose (careline keys init) and backed up."
            )
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
