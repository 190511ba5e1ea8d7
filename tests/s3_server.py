"""An S3-compatible server on loopback (moto's standalone server) with a public and a private bucket."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from tests.servers import free_port

MOTO_SERVER = shutil.which("moto_server") or str(Path(sys.executable).with_name("moto_server"))
ACCESS = {"NEWSROOM_S3_ACCESS_KEY_ID": "testing", "NEWSROOM_S3_SECRET_ACCESS_KEY": "testing"}


class S3Server:
    """`moto_server` started as a process; stop() ends it by its PID."""

    def __init__(self, port=None, public_bucket="newsroom-public", private_bucket="newsroom-private"):
        self.port = port or free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.public_bucket, self.private_bucket = public_bucket, private_bucket
        self.process = None

    @property
    def environment(self):
        """The NEWSROOM_S3_* variables an app server needs to use these buckets."""
        return {
            **ACCESS,
            "NEWSROOM_S3_ENDPOINT_URL": self.endpoint,
            "NEWSROOM_S3_REGION": "us-east-1",
            "NEWSROOM_S3_PUBLIC_BUCKET": self.public_bucket,
            "NEWSROOM_S3_PRIVATE_BUCKET": self.private_bucket,
        }

    def start(self, log_path=os.devnull):
        with open(log_path, "ab") as log:
            self.process = subprocess.Popen(
                [MOTO_SERVER, "-H", "127.0.0.1", "-p", str(self.port)], stdout=log, stderr=log
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            self.stop()
            raise RuntimeError(f"moto_server did not start on port {self.port}")
        self._make_buckets()
        return self

    def client(self):
        import boto3
        from botocore.config import Config

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            region_name="us-east-1",
            config=Config(s3={"addressing_style": "path"}),
        )

    def _make_buckets(self):
        s3 = self.client()
        s3.create_bucket(Bucket=self.public_bucket)
        s3.create_bucket(Bucket=self.private_bucket)
        # Readers may fetch (not list) anything in the public bucket; the private one has no policy.
        policy = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "PublicRead",
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": ["s3:GetObject"],
                    "Resource": [f"arn:aws:s3:::{self.public_bucket}/*"],
                }
            ],
        }
        s3.put_bucket_policy(Bucket=self.public_bucket, Policy=json.dumps(policy))

    def keys(self, bucket):
        listing = self.client().list_objects_v2(Bucket=bucket)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
