"""A platform newer than the kiosk: statuses and fields the kiosk has never heard of.

The city will add statuses (an appeal, a transfer) and fields long before every kiosk
is updated; one unknown value must not stop the sync pass of a whole fleet. The real
reference platform answers behind a small proxy that renames a status and adds fields,
as a newer platform would (signatures cover only the request, so the proxy may).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from kiosk.i18n import Words
from kiosk.screens.status_result import status_words
from reference_platform.local import LocalPlatform
from reference_platform.storage import PlatformStorage
from sync.client import PlatformClient
from sync.enrollment import current_platform_key, enroll
from sync.store import Store
from sync.submission import submit_application
from tests.e2e.rewriting import RewritingProxy

NEW_STATUS = "transferred_to_district"


def newer(path: str, data: Any) -> Any:
    """What a later platform might send: a new status, new fields everywhere."""
    if isinstance(data, dict):
        data["platform_generation"] = 2
    if path == "/v1/status":
        for change in data.get("changes", []):
            change["status"] = NEW_STATUS
            change["office"] = {"code": "fake-district-00"}
    if path == "/v1/submissions":
        for result in data.get("results", []):
            result["queue_position"] = 17
    return data


@pytest.fixture
def newer_platform(platform: LocalPlatform) -> Iterator[RewritingProxy]:
    proxy = RewritingProxy(platform.url, newer)
    yield proxy
    proxy.close()


def test_an_unknown_status_is_kept_and_the_pass_goes_on(
    store: Store, platform: LocalPlatform, newer_platform: RewritingProxy
) -> None:
    from sync.runner import sync_pass

    client = PlatformClient(newer_platform.url)
    enroll(store, client, platform.new_token("tolerance kiosk"))
    payload = {"service": {"id": "digital-device-access", "version": "2026.1"}, "answers": {}}
    done = submit_application(store, payload, current_platform_key(store), time.time())
    first = sync_pass(store, client, time.time())
    assert first.failure == "" and first.accepted == 1
    receipt = store.receipt(done.reference)
    assert receipt is not None
    storage = PlatformStorage(platform.data)
    try:
        storage.set_status(receipt.platform_receipt, "in_review", time.time())
    finally:
        storage.close()
    report = sync_pass(store, client, time.time())
    assert report.failure == "" and report.statuses == 1
    updated = store.receipt(done.reference)
    assert updated is not None and updated.status == NEW_STATUS  # kept as sent
    assert sync_pass(store, client, time.time()).statuses == 0  # the cursor moved past it
    client.close()


@pytest.mark.parametrize("language", ["en", "ko"])
def test_an_unknown_status_reads_as_in_progress(language: str) -> None:
    words = Words(language)
    assert status_words(words, NEW_STATUS) == status_words(words, "in_review")
