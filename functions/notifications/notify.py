"""What every notifications consumer does with its event: feed, then email, then push."""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass

from cloudevents.http import CloudEvent

from functions.notifications import channels, contacts
from functions.notifications.feed import add_once
from functions.notifications.once import send_once
from functions.notifications.templates import render
from shopfn.events import event_data
from shopfn.logs import get_logger, log_event

log = get_logger(__name__)


@dataclass(frozen=True)
class Outcome:
    """What this delivery did; False means already done before (or nowhere to send)."""

    feed: bool
    email: bool
    push: bool


def notify(consumer: str, event: CloudEvent) -> Outcome:
    """Put the event's message on the user's feed and send it by email and push, once each.

    Each step is idempotent on its own, so a redelivery after a failure in a later step
    redoes only what is missing.
    """
    data = event_data(event)
    user_id = str(data["userId"])
    title, body = render(str(event["type"]), data)
    feed = add_once(consumer, event, user_id, title, body)

    email = data.get("email") or contacts.lookup(user_id, "email")
    emailed = False
    if email:
        emailed = send_once("email", event, lambda: channels.send_email(email, title, body))
    else:
        log_event(log, "no email address known", logging.WARNING, user=user_id, event=event["id"])

    endpoint = channels.push_endpoint(user_id)
    pushed = False
    if endpoint:
        push = functools.partial(channels.send_push, user_id, endpoint, title, body)
        pushed = send_once("push", event, push)
    outcome = Outcome(feed=feed, email=emailed, push=pushed)
    log_event(log, "notified", user=user_id, event=event["id"], **vars(outcome))
    return outcome
