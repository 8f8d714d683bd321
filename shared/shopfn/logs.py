"""Structured JSON logs: one object per line, with the request and trace ids of the moment."""

from __future__ import annotations

import contextvars
import json
import logging
import sys
import time
from typing import Any

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
function_var: contextvars.ContextVar[str] = contextvars.ContextVar("function", default="")

_configured = False


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        from shopfn.tracing import current_trace_id

        entry: dict[str, Any] = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        if fn := function_var.get():
            entry["function"] = fn
        if rid := request_id_var.get():
            entry["request_id"] = rid
        if tid := current_trace_id():
            entry["trace_id"] = tid
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            entry.update(fields)
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def configure(level: str = "INFO") -> None:
    """Install the JSON formatter on the root logger once per process."""
    global _configured
    if _configured:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("kafka", "urllib3", "cassandra", "werkzeug", "botocore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # opensearch-py logs every failed request with its traceback as a warning; the breaker and
    # the search fallback already say what matters once.
    logging.getLogger("opensearch").setLevel(logging.ERROR)
    _configured = True


def get_logger(name: str) -> logging.Logger:
    return logging.getLogger(name)


def log_event(logger: logging.Logger, msg: str, level: int = logging.INFO, **fields: Any) -> None:
    """Log `msg` with structured `fields` merged into the JSON line."""
    logger.log(level, msg, extra={"fields": fields})
