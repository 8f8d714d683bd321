"""Email through AWS SES and push through AWS SNS mobile push, with boto3.

Push design: one SNS platform application for the mobile app, one platform endpoint per user
(its device token). SNS needs the token of a real device, which the mobile app would hand in
when it registers; in the emulator (SHOPFN_AWS_URL set) a stand-in token per user is used, so
every user has an endpoint and a developer sees each push in moto. On a cluster a user without
a registered endpoint gets no push (the feed and the email still happen).
"""

from __future__ import annotations

import functools
import json
import re

from functions.notifications import contacts
from shopfn.config import settings
from shopfn.stores import aws_client

DEFAULT_SENDER = "notifications@shopfn.local"
DEV_PUSH_APP = "shopfn-mobile"
_ENDPOINT_EXISTS = re.compile(r"Endpoint (arn:\S+) already exists with the same [Tt]oken")


def sender() -> str:
    return settings().get("MAIL_FROM", DEFAULT_SENDER)


def is_emulated() -> bool:
    """True when boto3 talks to the local AWS endpoint (moto), not to AWS."""
    return bool(settings().aws_url)


def send_email(to: str, subject: str, body: str) -> str:
    """Send one plain-text email; returns SES's message id."""
    answer = aws_client("ses").send_email(
        Source=sender(),
        Destination={"ToAddresses": [to]},
        Message={
            "Subject": {"Data": subject, "Charset": "UTF-8"},
            "Body": {"Text": {"Data": body, "Charset": "UTF-8"}},
        },
    )
    return str(answer["MessageId"])


def push_message(title: str, body: str) -> str:
    """The SNS `MessageStructure=json` payload: a default text and the FCM/APNs shapes."""
    return json.dumps(
        {
            "default": body,
            "GCM": json.dumps({"notification": {"title": title, "body": body}}),
            "APNS": json.dumps({"aps": {"alert": {"title": title, "body": body}}}),
        }
    )


ENDPOINT_DISABLED = "endpoint-disabled"


def send_push(user_id: str, endpoint_arn: str, title: str, body: str) -> str:
    """Publish one push to a device endpoint; returns SNS's message id.

    SNS disables an endpoint whose token the platform rejected (the app was removed): that is
    no reason to retry the event, so the user's endpoint is forgotten and the push is done.
    """
    from botocore.exceptions import ClientError

    try:
        answer = aws_client("sns").publish(
            TargetArn=endpoint_arn, Message=push_message(title, body), MessageStructure="json"
        )
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") != "EndpointDisabled":
            raise
        contacts.forget_push_endpoint(user_id, endpoint_arn)
        return ENDPOINT_DISABLED
    return str(answer["MessageId"])


@functools.cache
def push_application_arn() -> str:
    """The platform application: from SHOPFN_SNS_PLATFORM_APPLICATION_ARN, or made in dev.

    On AWS the application holds the FCM/APNs credentials and is created by an operator; in the
    emulator CreatePlatformApplication is idempotent per name, so it is simply created.
    """
    configured = settings().get("SNS_PLATFORM_APPLICATION_ARN")
    if configured or not is_emulated():
        return configured
    answer = aws_client("sns").create_platform_application(
        Name=DEV_PUSH_APP, Platform="GCM", Attributes={"PlatformCredential": "emulator"}
    )
    return str(answer["PlatformApplicationArn"])


def _create_endpoint(user_id: str, token: str) -> str:
    """The platform endpoint of a device token, now tagged with `user_id`.

    SNS returns the same endpoint for the same token and attributes, and refuses (naming the
    endpoint) when the token is known with other attributes: a device that another user
    signed in on before. That endpoint is then retagged; `register_device` takes it from its
    former user.
    """
    from botocore.exceptions import ClientError

    sns = aws_client("sns")
    try:
        answer = sns.create_platform_endpoint(
            PlatformApplicationArn=push_application_arn(), Token=token, CustomUserData=user_id
        )
        return str(answer["EndpointArn"])
    except ClientError as error:
        taken = existing_endpoint(error)
        if taken is None:
            raise
    sns.set_endpoint_attributes(
        EndpointArn=taken, Attributes={"CustomUserData": user_id, "Enabled": "true"}
    )
    return taken


def existing_endpoint(error: Exception) -> str | None:
    """The endpoint ARN in SNS's "already exists with the same Token" refusal, if it is one."""
    found = _ENDPOINT_EXISTS.search(str(error))
    return found.group(1) if found else None


def register_device(user_id: str, token: str) -> str:
    """Make the device the user's push target; returns its endpoint ARN."""
    arn = _create_endpoint(user_id, token)
    contacts.give_push_endpoint(user_id, arn)
    return arn


def push_endpoint(user_id: str) -> str | None:
    """The user's endpoint; in the emulator one is made with a stand-in device token."""
    known = contacts.lookup(user_id, "pushEndpoint")
    if known or not is_emulated():
        return known
    # Set only if still absent: a real device registered meanwhile must not be overwritten.
    stand_in = _create_endpoint(user_id, f"emulator-device-{user_id}")
    return contacts.remember_first(user_id, "pushEndpoint", stand_in)
