"""An email or a push goes out once per event and channel, even when the event comes again.

The claim (`redis_claim`, SET NX) is taken before sending, so a redelivery that finds it never
sends again. When the send surely did not happen (AWS refused it, or no connection was made)
the claim is released and the error raised: the broker redelivers and the send is tried again.
When the outcome is unknown (a crash, a read timeout after the request left) the claim stays:
that one message may be lost, but a person never gets it twice.
"""

from __future__ import annotations

from collections.abc import Callable

from cloudevents.http import CloudEvent

from shopfn.idempotency import DEFAULT_TTL, redis_claim
from shopfn.stores import redis_client


def sent_key(channel: str, event: CloudEvent) -> str:
    return f"notifications:sent:{channel}:{event['source']}:{event['id']}"


def surely_not_sent(error: BaseException) -> bool:
    """True for errors that prove the message did not leave: safe to try again."""
    from botocore.exceptions import ClientError, ConnectTimeoutError, EndpointConnectionError

    return isinstance(error, ClientError | EndpointConnectionError | ConnectTimeoutError)


def send_once(channel: str, event: CloudEvent, send: Callable[[], str]) -> bool:
    """Run `send` (returns the provider's message id) unless this event already used `channel`."""
    key = sent_key(channel, event)
    if not redis_claim(key):
        return False
    try:
        message_id = send()
    except Exception as error:
        if surely_not_sent(error):
            redis_client().delete(key)
        raise
    # Keep the provider's id on the claim: support can tell which message an event caused.
    redis_client().set(key, message_id, ex=DEFAULT_TTL)
    return True
