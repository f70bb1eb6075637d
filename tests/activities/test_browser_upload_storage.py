"""In the browser, with the uploads in an S3-compatible bucket (moto's server on 127.0.0.1): Lea uploads her
pitch through the widget, Liam, one of her reviewers, clicks "Download lea-pitch.pdf" and gets her bytes from
the real `roundtable serve`; her manager, not on the list, gets the site's 404 for the same address."""

from __future__ import annotations

import boto3
import pytest
from playwright.sync_api import expect
from support.browser import open_as, widget
from support.live import LiveServer

from .conftest import BROWSER_PEOPLE
from .test_browser_activities import PDF, PITCH_PAGE
from .test_upload_storage import BUCKET, PREFIX, s3  # noqa: F401  (the fixture)

pytestmark = pytest.mark.browser


@pytest.fixture
def s3_server(activity_site, tmp_path_factory, activity_port, s3):  # noqa: F811
    """The activity server with ROUNDTABLE_UPLOADS_BACKEND=s3 (AWS_* credentials from the s3 fixture)."""
    server = LiveServer(activity_site, tmp_path_factory.mktemp("s3-instance"), activity_port,
                        UPLOADS_BACKEND="s3", UPLOADS_S3_BUCKET=BUCKET, UPLOADS_S3_ENDPOINT_URL=s3,
                        UPLOADS_S3_PREFIX=PREFIX).start()
    try:
        server.add_people(BROWSER_PEOPLE)
        yield server
    finally:
        server.stop()


def test_a_reviewer_downloads_a_presentation_kept_in_the_bucket(browser, s3_server, s3):  # noqa: F811
    lea = open_as(browser, s3_server, "lea@example.com", PITCH_PAGE)
    box = widget(lea, "presentation")
    box.get_by_label("Upload a file").set_input_files(
        {"name": "lea-pitch.pdf", "mimeType": "application/pdf", "buffer": PDF})
    box.get_by_role("button", name="Submit presentation").click()
    expect(box.get_by_role("status").filter(has_text="Presentation submitted")).to_be_visible()
    objects = boto3.client("s3", endpoint_url=s3).list_objects_v2(Bucket=BUCKET).get("Contents", [])
    assert len(objects) == 1 and objects[0]["Key"].startswith(PREFIX)

    liam = open_as(browser, s3_server, "liam@example.com", PITCH_PAGE)
    item = widget(liam, "presentation").locator(".rt-to-review .rt-review-item").filter(has_text="Lea Learner")
    item.get_by_role("button", name="Review").click()
    link = item.get_by_role("link", name="Download lea-pitch.pdf")
    expect(link).to_be_visible()
    with liam.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "lea-pitch.pdf"
    with open(download.value.path(), "rb") as f:
        assert f.read() == PDF

    max_ = open_as(browser, s3_server, "max@example.com", PITCH_PAGE)
    refused = max_.request.get(link.get_attribute("href"))
    assert refused.status == 404 and refused.body() != PDF
