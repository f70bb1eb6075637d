"""The authors' guide names everything the loader accepts (in the style of sqlite-utils' test_docs.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.activities import DEFAULTS
from generator.loader import MODULE_KEYS, THEME_KEYS
from generator.model import ACTIVITY_KINDS, IMPLICIT_KINDS

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "authoring.md"
ACCEPTED = sorted({*MODULE_KEYS, *THEME_KEYS, *ACTIVITY_KINDS, *IMPLICIT_KINDS, "prompt", "id",
                   *(option for options in DEFAULTS.values() for option in options)})


@pytest.mark.parametrize("key", ACCEPTED)
def test_the_authors_guide_documents_every_key_the_loader_accepts(key):
    assert f"`{key}`" in GUIDE.read_text(encoding="utf-8"), f"docs/authoring.md does not mention `{key}`"
