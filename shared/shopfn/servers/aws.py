"""AWS SES and SNS from moto's server mode, on loopback."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

from shopfn.servers.base import ManagedProcess, ProcessServer, http_ok

# SES refuses unverified senders and moto forgets verifications on restart, so every start
# verifies these domains: any address at them may send.
SENDER_DOMAINS: tuple[str, ...] = ("shopfn.local", "shopfn.dev", "example.com")


class AwsServer(ProcessServer):
    name = "aws"
    env_var = "SHOPFN_AWS_URL"

    def __init__(
        self,
        data_dir: Path,
        port: int | None = None,
        sender_domains: Sequence[str] = SENDER_DOMAINS,
    ) -> None:
        super().__init__(data_dir, port)
        self.sender_domains = tuple(sender_domains)

    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def process(self) -> ManagedProcess:
        argv = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)]
        return ManagedProcess(argv, self.log_path)

    def answers(self) -> bool:
        return http_ok(self.url() + "/moto-api/")

    def after_ready(self) -> None:
        import boto3

        region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
        ses = boto3.client(
            "ses",
            endpoint_url=self.url(),
            region_name=region,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        for domain in self.sender_domains:
            ses.verify_domain_identity(Domain=domain)
