"""The authors' guide names everything the loader accepts (in the style of sqlite-utils' test_docs.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.activities import DEFAULTS
from generator.loader import COHORT_KEYS, MODULE_KEYS, PROGRAM_KEYS, THEME_KEYS, VISIBILITIES
from generator.model import ACTIVITY_KINDS, IMPLICIT_KINDS
from generator.quiz import OPTION_KEYS, QUESTION_KEYS, QUESTION_TYPES

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "authoring.md"
ACCEPTED = sorted({*MODULE_KEYS, *THEME_KEYS, *ACTIVITY_KINDS, *IMPLICIT_KINDS, "prompt", "id",
                   *PROGRAM_KEYS, *COHORT_KEYS, *VISIBILITIES, *QUESTION_TYPES, *QUESTION_KEYS, *OPTION_KEYS,
                   *(option for options in DEFAULTS.values() for option in options)})


@pytest.mark.parametrize("key", ACCEPTED)
def test_the_authors_guide_documents_every_key_the_loader_accepts(key):
    assert f"`{key}`" in GUIDE.read_text(encoding="utf-8"), f"docs/authoring.md does not mention `{key}`"
