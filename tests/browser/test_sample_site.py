"""The sample's site, whatever a county has written in it: every page loads clean.

The only browser test of this repository's own content (the others use the test project in
tests/fixtures/project).  It finds the pages by listing the built site, so it names no page.
"""

from __future__ import annotations

import pytest

from .test_site import DESKTOP, crawl


@pytest.mark.parametrize("device", [{}, DESKTOP], ids=["phone", "desktop"])
def test_every_sample_page_loads_without_errors(make_context, sample_url, sample_site, device):
    """Each page of the sample site, both languages, on a phone and a desktop: no console error, no failed
    request (no 404), no other host, no sideways scrolling."""
    crawl(make_context(**device).new_page(), sample_url, sample_site, device)
