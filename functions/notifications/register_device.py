"""POST /api/notifications/user/{userId}/devices: the mobile app hands in its push token."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from functions.notifications import channels
from functions.notifications.access import feed_owner
from shopfn.errors import ApiError
from shopfn.registry import http
from shopfn.web import Request


class DeviceBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    token: str = Field(min_length=8, max_length=4096)  # the FCM/APNs device token


class Device(BaseModel):
    userId: str
    endpointArn: str


@http(
    "POST",
    "/api/notifications/user/{userId}/devices",
    auth="user",
    body=DeviceBody,
    response=Device,
    status=201,
    stores=("redis", "aws"),
    tags=("notifications",),
)
def notifications_register_device(req: Request) -> dict[str, Any]:
    """Register the caller's device for push; later pushes go to its SNS endpoint."""
    user_id = feed_owner(req)
    if not channels.push_application_arn():
        raise ApiError(503, "push is not configured (SHOPFN_SNS_PLATFORM_APPLICATION_ARN)")
    body: DeviceBody = req.body
    return {"userId": user_id, "endpointArn": channels.register_device(user_id, body.token)}
