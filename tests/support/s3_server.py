"""A real S3-compatible server for the tests: moto's standalone server, on a free local port.

``s3_server`` (one per test session and xdist worker) is the process; ``s3_bucket`` makes an
empty bucket of its own for one test and returns the config that points the app at it.
"""
import os
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.support.smtp_server import free_port

CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
               "AWS_REGION": "us-east-1"}


class MotoServer:
    """``moto_server`` in a child process; ``url`` is its endpoint."""

    def __init__(self):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        moto = Path(sys.executable).with_name("moto_server")
        self.process = subprocess.Popen([str(moto), "-H", "127.0.0.1", "-p", str(self.port)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{self.url}/moto-api/", timeout=2).close()
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError("moto_server did not start")
                time.sleep(0.2)

    def client(self):
        import boto3

        return boto3.client("s3", endpoint_url=self.url, region_name="us-east-1",
                            aws_access_key_id="testing", aws_secret_access_key="testing")

    def make_bucket(self) -> str:
        name = f"ocop-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=name)
        return name

    def config(self, bucket: str, **extra) -> dict:
        return {"STORAGE_BACKEND": "s3", "S3_BUCKET": bucket, "S3_ENDPOINT_URL": self.url,
                **CREDENTIALS, **extra}

    def env(self, bucket: str) -> dict:
        return {key: str(value) for key, value in self.config(bucket).items()}

    def keys(self, bucket: str) -> list[str]:
        listing = self.client().list_objects_v2(Bucket=bucket)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture(scope="session")
def s3_server():
    for key, value in CREDENTIALS.items():  # boto3 clients made by the tests themselves
        os.environ.setdefault(key, value)
    server = MotoServer()
    yield server
    server.stop()


@pytest.fixture
def s3_bucket(s3_server):
    """An empty bucket of this test's own; returns its name."""
    return s3_server.make_bucket()
