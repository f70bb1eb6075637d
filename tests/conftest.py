"""Fixtures for every test folder. Shared helpers live in tests/support/ (importable as `support`):
each folder's conftest imports the ones it uses, so its servers and builds stay its own."""

from __future__ import annotations

import os

import pytest
from support.live import CHROMIUM, CHROMIUM_ARGS


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Drive Debian's Chromium: `playwright install` is neither needed nor wanted."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"The browser tests need Debian's Chromium at {CHROMIUM}: run `apt-get install chromium` "
                    "(or `make browser`).", pytrace=False)
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}
