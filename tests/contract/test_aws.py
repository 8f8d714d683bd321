"""Contract: what notifications rely on from AWS SES and SNS, checked through boto3 on moto."""

from __future__ import annotations

import json
import urllib.request
import uuid
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

pytestmark = [pytest.mark.servers("aws"), pytest.mark.timeout(60)]

REGION = "us-east-1"


def aws_client(servers: dict[str, str], service: str) -> Any:
    return boto3.client(
        service,
        endpoint_url=servers["SHOPFN_AWS_URL"],
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def moto_state(servers: dict[str, str]) -> dict[str, Any]:
    with urllib.request.urlopen(servers["SHOPFN_AWS_URL"] + "/moto-api/data.json", timeout=10) as r:
        state: dict[str, Any] = json.load(r)
    return state


def test_ses_sends_from_a_verified_domain(servers: dict[str, str]) -> None:
    ses = aws_client(servers, "ses")
    subject = f"Order confirmed {uuid.uuid4().hex[:6]}"
    ses.send_email(
        Source="orders@shopfn.local",
        Destination={"ToAddresses": ["buyer@example.org"]},
        Message={"Subject": {"Data": subject}, "Body": {"Text": {"Data": "Thanks!"}}},
    )
    sent = [m for m in moto_state(servers)["ses"]["Message"] if m.get("subject") == subject]
    assert len(sent) == 1
    assert sent[0]["destinations"]["ToAddresses"] == ["buyer@example.org"]


def test_ses_refuses_an_unverified_sender(servers: dict[str, str]) -> None:
    ses = aws_client(servers, "ses")
    with pytest.raises(ClientError) as raised:
        ses.send_email(
            Source="someone@unverified.example",
            Destination={"ToAddresses": ["buyer@example.org"]},
            Message={"Subject": {"Data": "x"}, "Body": {"Text": {"Data": "x"}}},
        )
    assert raised.value.response["Error"]["Code"] == "MessageRejected"


def test_sns_publishes_a_push_to_an_endpoint(servers: dict[str, str]) -> None:
    sns = aws_client(servers, "sns")
    app = sns.create_platform_application(
        Name=f"shopfn-{uuid.uuid4().hex[:6]}", Platform="GCM", Attributes={}
    )
    endpoint = sns.create_platform_endpoint(
        PlatformApplicationArn=app["PlatformApplicationArn"], Token=uuid.uuid4().hex
    )
    message = json.dumps({"default": f"Your order shipped {uuid.uuid4().hex[:6]}"})
    published = sns.publish(
        TargetArn=endpoint["EndpointArn"], Message=message, MessageStructure="json"
    )
    assert published["MessageId"]
    endpoints = moto_state(servers)["sns"]["PlatformEndpoint"]
    ours = [e for e in endpoints if e["arn"] == endpoint["EndpointArn"]]
    assert len(ours) == 1
    assert ours[0]["messages"] == {published["MessageId"]: message}


def test_sns_topic_publish(servers: dict[str, str]) -> None:
    sns = aws_client(servers, "sns")
    topic = sns.create_topic(Name=f"shopfn-{uuid.uuid4().hex[:6]}")["TopicArn"]
    assert sns.publish(TopicArn=topic, Message="hello", Subject="s")["MessageId"]
