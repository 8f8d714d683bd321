"""Dev only: the emails and pushes the local AWS endpoint (moto) has recorded.

moto keeps every message it "sent" in `GET $SHOPFN_AWS_URL/moto-api/data.json`: SES mail under
`ses.Message`, pushes under `sns.PlatformEndpoint[].messages`. `POST .../moto-api/reset` forgets
them. From a shell: `python -m functions.notifications._sent` prints both.
"""

from __future__ import annotations

import json
import urllib.request
from typing import Any

from shopfn.config import settings


def moto_data(aws_url: str | None = None) -> dict[str, Any]:
    url = (aws_url or settings().aws_url).rstrip("/") + "/moto-api/data.json"
    with urllib.request.urlopen(url, timeout=5) as answer:
        data: dict[str, Any] = json.load(answer)
    return data


def sent_emails(aws_url: str | None = None) -> list[dict[str, Any]]:
    """[{"to": [...], "source", "subject", "body", "id"}] in the order moto recorded them."""
    return [
        {
            "id": message["id"],
            "to": message["destinations"].get("ToAddresses", []),
            "source": message["source"],
            "subject": message["subject"],
            "body": message["body"],
        }
        for message in moto_data(aws_url).get("ses", {}).get("Message", [])
    ]


def sent_pushes(aws_url: str | None = None) -> list[dict[str, Any]]:
    """[{"user", "endpoint", "id", "title", "body"}] for every push to a platform endpoint."""
    pushes = []
    for endpoint in moto_data(aws_url).get("sns", {}).get("PlatformEndpoint", []):
        for message_id, raw in endpoint.get("messages", {}).items():
            try:
                gcm = json.loads(json.loads(raw)["GCM"])["notification"]
            except (ValueError, KeyError, TypeError):
                continue  # not a push shopfn sent (another client of the same endpoint)
            pushes.append(
                {
                    "user": endpoint.get("custom_user_data"),
                    "endpoint": endpoint["arn"],
                    "id": message_id,
                    "title": gcm["title"],
                    "body": gcm["body"],
                }
            )
    return pushes


if __name__ == "__main__":
    print(json.dumps({"emails": sent_emails(), "pushes": sent_pushes()}, indent=2))
