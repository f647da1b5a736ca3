"""The sample's site, whatever a county has written in it: every page loads clean.

The only browser test of this repository's own content (the others use the test project in
tests/fixtures/project).  It finds the pages by listing the built site, so it names no page.
"""

from __future__ import annotations

from .conftest import reading_choice
from .test_site import DESKTOP, crawl


def test_every_sample_page_loads_without_errors(make_context, sample_url, sample_site):
    """Each page of the sample site, both languages, on a phone, with extra-large text and high
    contrast (the widest a page gets; DESIGN §13): no console error, no failed request (no 404), no
    other host, no sideways scrolling."""
    context = make_context()
    context.add_init_script(reading_choice("xlarge", "high"))
    crawl(context.new_page(), sample_url, sample_site, {})


def test_each_kind_of_sample_page_fits_a_desktop(make_context, sample_url, sample_site):
    """The same on a desktop for the first page of each folder (home, modules, quizzes... in each
    language): what the width changes is the layout of a kind of page, which test_site.py's desktop
    crawl of the test project covers page by page."""
    crawl(make_context(**DESKTOP).new_page(), sample_url, sample_site, DESKTOP, one_per_folder=True)
