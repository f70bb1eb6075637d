"""A throwaway Redis: Debian's redis-server on a free port of 127.0.0.1, no persistence, stopped after the test."""

from __future__ import annotations

import os
import shutil
import subprocess
import time

import pytest
import redis

from support.live import free_port

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


@pytest.fixture
def redis_url(tmp_path):
    """Start redis-server (`make system-deps` installs it) and yield its URL, redis://127.0.0.1:PORT/0."""
    if not shutil.which("redis-server") and not os.path.exists(REDIS_SERVER):
        pytest.fail("redis-server is missing: `make system-deps` (or .ci/run) installs Debian's", pytrace=False)
    port = free_port()
    log = open(tmp_path / "redis.log", "w+")
    process = subprocess.Popen([REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no", "--dir", str(tmp_path)], stdout=log, stderr=subprocess.STDOUT)
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if process.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                pytest.fail(f"redis-server did not start:\n{log.read()}")
            time.sleep(0.05)
    try:
        yield url
    finally:
        client.close()
        process.terminate()
        process.wait(10)
        log.close()
