"""Notifications setup: in the emulator, verify the SES sender and create the push application.

On AWS both are an operator's one-time work (SES verification mails a person; the platform
application holds FCM/APNs credentials), so nothing is done when SHOPFN_AWS_URL is unset.
"""

from __future__ import annotations

from functions.notifications import channels
from shopfn.stores import aws_client


def setup() -> None:
    if not channels.is_emulated():
        return
    # moto forgets identities on restart and SES refuses unverified senders: verify every start.
    aws_client("ses").verify_email_identity(EmailAddress=channels.sender())
    channels.push_application_arn()
