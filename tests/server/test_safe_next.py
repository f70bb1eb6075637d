"""Where a sign-in may send a person next (issue 11): only paths of this site; a tab or line break that a browser
would drop, turning "/\t/evil.example/" into "//evil.example/", is refused like any other way off the site."""

from __future__ import annotations

import pytest

from comments_server.domain.links import safe_next


@pytest.mark.parametrize("value", ["/\t/evil.example/", "/\n/evil.example/", "//evil.example/", "/\\evil.example",
                                   "https://evil.example/", "evil.example", "/\x00/x", " //evil.example", None, 42])
def test_ways_off_the_site_are_refused(value):
    assert safe_next(value) == ""


@pytest.mark.parametrize("value", ["/", "/sales/discovery-calls/", "/progress/?cohort=sales-a#rt-plan-3"])
def test_paths_of_the_site_are_kept(value):
    assert safe_next(value) == value
