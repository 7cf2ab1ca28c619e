"""One validated settings object, read from the environment (and `.env`)."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from argon2.profiles import RFC_9106_LOW_MEMORY
from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from shapely import wkt
from shapely.geometry.base import BaseGeometry
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

DEV_SECRET = "dev-only-secret-change-me"
# The weakest argon2id parameters production accepts: OWASP's minimum (19 MiB, 2 passes).
PRODUCTION_MIN_ARGON2_MEMORY_KIB = 19 * 1024
PRODUCTION_MIN_ARGON2_TIME_COST = 2


class Settings(BaseSettings):
    """Everything configurable; created once at startup and injected."""

    model_config = SettingsConfigDict(
        env_prefix="MORHARITA_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        populate_by_name=True,
    )

    # DATABASE_URL is the conventional name, so it is read without the prefix.
    database_url: str | None = Field(default=None, validation_alias="DATABASE_URL")
    # A streaming replica (hot standby) of DATABASE_URL for the public reads (DESIGN.md §12).
    database_replica_url: str | None = Field(
        default=None,
        validation_alias="DATABASE_REPLICA_URL",
        description="PostgreSQL URL of a hot standby of DATABASE_URL; anonymous reads (map, "
        "public layers, indicators, plan pages) go there, everything else to the primary.",
    )
    replica_max_lag_s: float = Field(
        default=10.0,
        ge=0,
        description="Replay lag beyond which public reads go back to the primary.",
    )
    replica_check_interval_s: float = Field(
        default=2.0,
        gt=0,
        le=300,
        description="How often (seconds) each worker asks the replica whether it is up and "
        "how far behind it is.",
    )
    replica_connect_timeout_s: int = Field(
        default=1,
        ge=1,
        le=60,
        description="How long a request waits to reach the replica before it reads from the "
        "primary instead.",
    )
    data_dir: Path = Path(".data")
    local_db_port: int = Field(default=54329, ge=1024, le=65535)

    secret_key: str = Field(
        default=DEV_SECRET,
        min_length=16,
        description="Signs cookies and salts short-lived abuse-protection hashes.",
    )
    environment: str = Field(default="development", pattern="^(development|test|production)$")

    tile_url: str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    tile_attribution: str = (
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
    )
    map_center_lat: float = Field(default=39.90, ge=-90, le=90)
    map_center_lon: float = Field(default=32.82, ge=-180, le=180)
    map_zoom: int = Field(default=12, ge=1, le=19)

    deployment_area_wkt: str | None = Field(
        default=None,
        description="Optional (Multi)Polygon in EPSG:4326 WKT; reports inside it are accepted "
        "even where no mahalle has been imported (they go to deployment_municipality).",
    )
    deployment_municipality: str | None = Field(
        default=None,
        max_length=64,
        description="Code of the municipality that receives reports inside the deployment area "
        "but outside every mahalle; unset: the one top-level municipality, if there is one.",
    )
    k_threshold: int = Field(default=5, ge=1, description="Small-cell suppression threshold.")
    perturbation_table: Path | None = Field(
        default=None,
        description="Cell key perturbation table (CSV: pcv, ckey, pvalue); unset: the shipped, "
        "published one (app/services/perturbation_table.csv). Tests point it at a zero-noise "
        "table where they check exact counts.",
    )
    hex_sizes_m: tuple[int, ...] = Field(
        default=(250, 500),
        description="Hexagon sides in metres offered for the hotspot layers (JSON list).",
    )
    displacement_min_m: float = Field(default=50.0, ge=0)
    displacement_max_m: float = Field(default=200.0, gt=0)

    max_photo_bytes: int = Field(
        default=8 * 1024 * 1024, ge=1024, description="Largest accepted photo file, in bytes."
    )
    max_photo_pixels: int = Field(
        default=40_000_000,
        ge=10_000,
        description="Largest accepted photo in pixels (width x height): refuses decompression "
        "bombs before they are decoded.",
    )

    retention_years: int = Field(
        default=5,
        ge=1,
        le=50,
        description="Years a report's personal content is kept (then erased by "
        "`morharita purge-expired`); the consent text states it.",
    )

    forwarded_allow_ips: str = Field(
        default="127.0.0.1",
        pattern=r"^[0-9A-Fa-f:.,/ *]+$",
        description="Comma-separated addresses (or CIDR ranges) of the reverse proxies whose "
        "X-Forwarded-For is trusted; the throttles then see each real client. '*' trusts "
        "anyone (only when nothing but the proxy can reach the app).",
    )

    # The database pool of each worker process (several workers: `morharita serve --workers`),
    # and how long a request waits for PostgreSQL before it is answered 503.
    db_pool_size: int = Field(default=5, ge=1, le=100)
    db_max_overflow: int = Field(default=5, ge=0, le=100)
    db_connect_timeout_s: int = Field(default=2, ge=1, le=60)
    db_pool_timeout_s: float = Field(default=2.0, gt=0, le=60)
    db_statement_timeout_ms: int = Field(default=30_000, ge=100)
    db_lock_timeout_ms: int = Field(default=2_000, ge=10)

    # Intake ceilings (anonymous reports, photos and "me too"): per client (a salted hash of
    # its address that changes every day; no address is stored), per mahalle and in total,
    # each counted over intake_window_s. Beyond a ceiling: 429 with Retry-After.
    intake_window_s: int = Field(default=3600, ge=10)
    intake_reports_per_client: int = Field(default=20, ge=1)
    intake_reports_per_mahalle: int = Field(default=600, ge=1)
    intake_reports_total: int = Field(default=20_000, ge=1)
    intake_photos_per_client: int = Field(default=30, ge=1)
    intake_photos_total: int = Field(default=20_000, ge=1)
    intake_confirmations_per_client: int = Field(default=30, ge=1)
    intake_confirmations_total: int = Field(default=20_000, ge=1)

    session_max_age_s: int = Field(default=8 * 3600, ge=60)
    # Password hashing (argon2id); the defaults are RFC 9106's low-memory profile. Hashes made
    # with other parameters are upgraded at the next log-in.
    argon2_time_cost: int = Field(default=RFC_9106_LOW_MEMORY.time_cost, ge=1)
    argon2_memory_cost_kib: int = Field(default=RFC_9106_LOW_MEMORY.memory_cost, ge=8)
    argon2_parallelism: int = Field(default=RFC_9106_LOW_MEMORY.parallelism, ge=1, le=64)
    cookie_secure: bool | None = Field(
        default=None,
        description="Force the Secure cookie flag; default: on when served over HTTPS.",
    )

    # Login throttling (per account and per client, in a sliding window).
    login_max_failures_per_account: int = Field(default=5, ge=1)
    login_max_failures_per_client: int = Field(default=20, ge=1)
    login_throttle_window_s: int = Field(default=15 * 60, ge=10)
    # Moderation: edit locks and how far a moderator may move a report's point.
    edit_lock_minutes: int = Field(default=5, ge=1, le=120)
    location_correction_max_m: float = Field(default=250.0, gt=0, le=5000)

    # Webhook deliveries (DESIGN.md §10): each served process runs the delivery loop in its
    # lifespan (deliveries are claimed with FOR UPDATE SKIP LOCKED, so several processes send
    # each one once); MORHARITA_WEBHOOKS_WORKER=0 leaves it to `morharita webhooks run`.
    webhooks_worker: bool = Field(
        default=True,
        description="Deliver webhooks from the served app (off: run `morharita webhooks run`).",
    )
    webhooks_interval_s: float = Field(default=5.0, ge=0.1, le=3600)

    def secure_cookies(self, scheme: str) -> bool:
        """Whether cookies get the Secure flag: as configured, else when served over HTTPS."""
        return self.cookie_secure if self.cookie_secure is not None else scheme == "https"

    @field_validator("deployment_area_wkt")
    @classmethod
    def _area_is_polygon(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        try:
            geom = wkt.loads(value)
        except Exception as exc:  # shapely raises several error types
            raise ValueError(f"MORHARITA_DEPLOYMENT_AREA_WKT is not valid WKT: {exc}") from exc
        if geom.geom_type not in ("Polygon", "MultiPolygon") or not geom.is_valid:
            raise ValueError(
                "MORHARITA_DEPLOYMENT_AREA_WKT must be a valid Polygon or MultiPolygon"
            )
        return value

    @field_validator("hex_sizes_m")
    @classmethod
    def _hex_sizes(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        if not value or any(not 50 <= size <= 5000 for size in value):
            raise ValueError("MORHARITA_HEX_SIZES_M must list sides between 50 and 5000 metres")
        return tuple(sorted(set(value)))

    @field_validator("database_url", "database_replica_url")
    @classmethod
    def _psycopg_driver(cls, value: str | None, info) -> str | None:  # type: ignore[no-untyped-def]
        """Accept the usual `postgres://` and `postgresql://` forms; we always talk psycopg 3."""
        if value is None or not value.strip():
            return None
        value = value.strip()
        for prefix in ("postgres://", "postgresql://"):
            if value.startswith(prefix):
                value = "postgresql+psycopg://" + value[len(prefix) :]
        name = "DATABASE_URL" if info.field_name == "database_url" else "DATABASE_REPLICA_URL"
        if not value.startswith("postgresql+psycopg://"):
            raise ValueError(f"{name} must be a PostgreSQL URL (postgresql://user@host/db)")
        try:
            make_url(value)
        except (ArgumentError, ValueError) as exc:
            raise ValueError(f"{name} is not a valid URL: {exc}") from exc
        return value

    @field_validator("displacement_max_m")
    @classmethod
    def _max_above_min(cls, value: float, info) -> float:  # type: ignore[no-untyped-def]
        low = info.data.get("displacement_min_m", 0.0)
        if value <= low:
            raise ValueError("displacement_max_m must be greater than displacement_min_m")
        return value

    @model_validator(mode="after")
    def _replica_is_another_server(self) -> Settings:
        if self.database_replica_url and self.database_replica_url == self.database_url:
            raise ValueError(
                "DATABASE_REPLICA_URL is the same as DATABASE_URL: give the standby's URL, or "
                "leave DATABASE_REPLICA_URL unset"
            )
        return self

    @model_validator(mode="after")
    def _production_needs_a_secret(self) -> Settings:
        if self.environment == "production" and self.secret_key == DEV_SECRET:
            raise ValueError(
                "MORHARITA_SECRET_KEY must be set to a long random string in production"
            )
        return self

    @model_validator(mode="after")
    def _argon2_parameters(self) -> Settings:
        if self.argon2_memory_cost_kib < 8 * self.argon2_parallelism:
            raise ValueError(
                "MORHARITA_ARGON2_MEMORY_COST_KIB must be at least 8 KiB per lane "
                f"(8 x MORHARITA_ARGON2_PARALLELISM = {8 * self.argon2_parallelism})"
            )
        if self.environment == "production" and (
            self.argon2_memory_cost_kib < PRODUCTION_MIN_ARGON2_MEMORY_KIB
            or self.argon2_time_cost < PRODUCTION_MIN_ARGON2_TIME_COST
        ):
            raise ValueError(
                "Password hashing is too weak for production: MORHARITA_ARGON2_MEMORY_COST_KIB "
                f"must be at least {PRODUCTION_MIN_ARGON2_MEMORY_KIB} and "
                f"MORHARITA_ARGON2_TIME_COST at least {PRODUCTION_MIN_ARGON2_TIME_COST} "
                "(or leave both unset for the defaults)"
            )
        return self

    @cached_property
    def deployment_area(self) -> BaseGeometry | None:
        """The configured bounding area as a Shapely geometry, if any."""
        return wkt.loads(self.deployment_area_wkt) if self.deployment_area_wkt else None


def get_settings() -> Settings:
    """Read settings from the environment; call once at startup."""
    return Settings()
