"""Configuration, read from the environment only, once per process."""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    try:
        return int(raw) if raw else default
    except ValueError as exc:
        raise ValueError(f"{name} must be an integer, got {raw!r}") from exc


def _float(name: str, default: float) -> float:
    raw = os.environ.get(name, "")
    try:
        return float(raw) if raw else default
    except ValueError as exc:
        raise ValueError(f"{name} must be a number, got {raw!r}") from exc


def _str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


@dataclass(frozen=True)
class Settings:
    """Everything a function may be configured with. Unset stores stay empty strings."""

    mongo_url: str = ""
    mongo_db: str = "shopfn"
    postgres_url: str = ""
    redis_url: str = ""
    kafka_url: str = ""
    kafka_topic: str = "shopfn.events"
    elasticsearch_url: str = ""
    aws_url: str = ""
    aws_region: str = "us-east-1"
    cassandra_hosts: str = ""
    cassandra_keyspace: str = "shopfn"
    # Where `publish` sends events: K_SINK (Knative SinkBinding), else Kafka when asked, else the
    # emulator's broker URL, else the in-process broker installed by the emulator.
    k_sink: str = ""
    event_transport: str = ""
    broker_url: str = ""
    function_name: str = ""
    environment: str = "dev"
    # Timeouts are short on purpose: a function that waits long on a store ties up a Knative pod.
    connect_timeout: float = 2.0
    request_timeout: float = 5.0
    max_body_bytes: int = 1_048_576
    log_level: str = "INFO"
    jwt_secret: str = ""
    jwt_issuer: str = "shopfn"
    jwt_audience: str = "shopfn-api"
    access_token_ttl: int = 900
    refresh_token_ttl: int = 1_209_600
    admin_email: str = ""
    admin_password: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            mongo_url=_str("SHOPFN_MONGO_URL"),
            mongo_db=_str("SHOPFN_MONGO_DB", "shopfn"),
            postgres_url=_str("SHOPFN_POSTGRES_URL"),
            redis_url=_str("SHOPFN_REDIS_URL"),
            kafka_url=_str("SHOPFN_KAFKA_URL"),
            kafka_topic=_str("SHOPFN_KAFKA_TOPIC", "shopfn.events"),
            elasticsearch_url=_str("SHOPFN_ELASTICSEARCH_URL"),
            aws_url=_str("SHOPFN_AWS_URL"),
            aws_region=_str("AWS_REGION", _str("AWS_DEFAULT_REGION", "us-east-1")),
            cassandra_hosts=_str("CASSANDRA_HOSTS"),
            cassandra_keyspace=_str("SHOPFN_CASSANDRA_KEYSPACE", "shopfn"),
            k_sink=_str("K_SINK"),
            event_transport=_str("SHOPFN_EVENT_TRANSPORT"),
            broker_url=_str("SHOPFN_BROKER_URL"),
            function_name=_str("SHOPFN_FUNCTION", _str("FUNCTION_TARGET")),
            environment=_str("SHOPFN_ENV", "dev"),
            connect_timeout=_float("SHOPFN_CONNECT_TIMEOUT", 2.0),
            request_timeout=_float("SHOPFN_REQUEST_TIMEOUT", 5.0),
            max_body_bytes=_int("SHOPFN_MAX_BODY_BYTES", 1_048_576),
            log_level=_str("SHOPFN_LOG_LEVEL", "INFO").upper(),
            jwt_secret=_str("SHOPFN_JWT_SECRET"),
            jwt_issuer=_str("SHOPFN_JWT_ISSUER", "shopfn"),
            jwt_audience=_str("SHOPFN_JWT_AUDIENCE", "shopfn-api"),
            access_token_ttl=_int("SHOPFN_ACCESS_TOKEN_TTL", 900),
            refresh_token_ttl=_int("SHOPFN_REFRESH_TOKEN_TTL", 1_209_600),
            admin_email=_str("SHOPFN_ADMIN_EMAIL"),
            admin_password=_str("SHOPFN_ADMIN_PASSWORD"),
            extra={k: v for k, v in os.environ.items() if k.startswith("SHOPFN_")},
        )

    def get(self, name: str, default: str = "") -> str:
        """A `SHOPFN_<NAME>` setting that has no field of its own (per-function overrides)."""
        return self.extra.get(f"SHOPFN_{name.upper()}", default)


@functools.cache
def settings() -> Settings:
    """The process's settings; `reload()` drops the cache (tests, the emulator)."""
    return Settings.from_env()


def reload() -> Settings:
    settings.cache_clear()
    return settings()
