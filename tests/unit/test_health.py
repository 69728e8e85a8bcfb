"""Queue figures for the dashboard, checked against the store's own rows, and the
administrator's settings: bounds, audit, and what an old or damaged value becomes."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

import pytest

from sync import audit
from sync.device_settings import BadSetting, DeviceSettings, load_settings, save_settings
from sync.drafts import save_draft
from sync.health import check_catalog_soon, queue_health
from sync.runner import BACKOFF_UNTIL, CATALOG_CHECKED, CONSECUTIVE_FAILURES, LAST_FAILURE_KIND
from sync.sealing import PlatformPrivateKey
from sync.store import QUARANTINED, WAITING, Store
from sync.submission import submit_application

NOW = 1_800_000_000.0


@dataclass
class Queue:
    waiting: list[str]
    retrying: list[str]
    quarantined: list[str]
    sent: list[str]
    drafts: int


def payload(service: str) -> dict[str, object]:
    return {"service": {"id": service, "version": "1"}, "answers": {"q": "TEST ANSWER"}}


def a_queue_in_every_state(store: Store) -> Queue:
    """3 never tried, 2 tried and failed, 2 refused by the platform, 4 confirmed, 2 drafts,
    created an hour apart from the oldest."""
    key = PlatformPrivateKey.generate().public()
    ids = []
    for n in range(11):
        service = ("digital-device-access", "youth-transport")[n % 2]
        ids.append(submit_application(store, payload(service), key, NOW - 3600 * (11 - n)))
    by_id = [s.submission_id for s in ids]
    sent, quarantined, retrying, waiting = by_id[:4], by_id[4:6], by_id[6:8], by_id[8:]
    for sid in sent:
        store.acknowledge(sid, "TEST-" + sid[:8], NOW)
    for sid in quarantined:
        store.quarantine(sid, "does_not_open", NOW)
    store.record_failure(retrying, "network: timed out", NOW + 60)
    secret = os.urandom(32)
    for _ in range(2):
        save_draft(store, secret, {"answers": {}}, ["digital-device-access"], NOW)
    return Queue(waiting, retrying, quarantined, sent, 2)


def test_the_figures_equal_the_stores_rows(store: Store) -> None:
    queue = a_queue_in_every_state(store)
    health = queue_health(store, NOW)
    rows = {item.submission_id: item for item in store.outbox()}
    assert (
        health.waiting
        == len(queue.waiting)
        == sum(1 for i in rows.values() if i.state == WAITING and i.attempts == 0)
    )
    assert (
        health.retrying
        == len(queue.retrying)
        == sum(1 for i in rows.values() if i.state == WAITING and i.attempts > 0)
    )
    assert health.quarantined == len(queue.quarantined) == len(store.outbox(QUARANTINED))
    assert health.sent == len(queue.sent) == store.counts()["receipts"]
    assert health.drafts == queue.drafts == store.counts()["drafts"]
    assert health.in_queue == len(rows) == 7
    oldest = min(i.created for i in rows.values() if i.state == WAITING)
    assert health.oldest_waiting_seconds == pytest.approx(NOW - oldest)
    assert [a.submission_id for a in health.set_aside] == queue.quarantined
    assert {a.reason for a in health.set_aside} == {"does_not_open"}
    assert all(a.reference == rows[a.submission_id].reference for a in health.set_aside)
    # The store's own summary agrees too.
    counts = store.counts(NOW)
    assert counts[WAITING] == health.waiting + health.retrying
    assert counts[QUARANTINED] == health.quarantined


def test_an_empty_store_and_the_sync_state(store: Store) -> None:
    health = queue_health(store, NOW)
    assert (health.in_queue, health.sent, health.drafts) == (0, 0, 0)
    assert health.oldest_waiting_seconds is None and health.last_sync is None
    assert health.last_failure_kind == ""
    store.set_setting("last_sync", str(NOW - 5))
    store.set_setting(CONSECUTIVE_FAILURES, "3")
    store.set_setting(LAST_FAILURE_KIND, "network")
    store.set_setting(BACKOFF_UNTIL, str(NOW + 30))
    health = queue_health(store, NOW)
    assert health.last_sync == NOW - 5
    assert (health.consecutive_failures, health.last_failure_kind) == (3, "network")
    assert health.waiting_until == NOW + 30
    store.set_setting(CONSECUTIVE_FAILURES, "0")  # the next pass went through
    assert queue_health(store, NOW).last_failure_kind == ""


def test_update_now_makes_the_next_pass_ask_for_a_catalog(store: Store) -> None:
    store.set_setting(CATALOG_CHECKED, str(NOW))
    check_catalog_soon(store)
    assert float(store.setting(CATALOG_CHECKED) or 0) == 0.0


def test_settings_are_saved_checked_and_audited(store: Store) -> None:
    assert load_settings(store) == DeviceSettings()
    chosen = DeviceSettings(language="vi", text_size="large", idle_seconds=180.0, dpi=94.0)
    assert save_settings(store, chosen, "admin-1", NOW) == [
        "dpi", "idle_seconds", "language", "text_size",
    ]  # fmt: skip
    assert load_settings(store) == chosen
    assert save_settings(store, chosen, "admin-1", NOW) == []  # nothing changed, no entry
    [entry] = [e for e in audit.recent(store.conn) if e["event"] == "settings_changed"]
    assert entry["navigator"] == "admin-1"
    assert entry["details"]["changed"]["language"] == ["ko", "vi"]
    assert audit.verify(store.conn).ok


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"language": "fr"}, "language"),
        ({"text_size": "huge"}, "text_size"),
        ({"speech_rate": 3.0}, "speech_rate"),
        ({"idle_seconds": 5.0}, "idle_seconds"),
        ({"dpi": 9000.0}, "dpi"),
        ({"platform_url": "ftp://example.invalid"}, "platform_url"),
        ({"platform_url": "not a url"}, "platform_url"),
    ],
)
def test_a_bad_value_is_refused_and_nothing_is_saved(
    store: Store, change: dict[str, object], field: str
) -> None:
    with pytest.raises(BadSetting) as refused:
        save_settings(store, DeviceSettings(**change), "admin-1", NOW)  # type: ignore[arg-type]
    assert refused.value.field == field
    assert load_settings(store) == DeviceSettings()


def test_damaged_or_outdated_saved_values_fall_back_to_defaults(store: Store) -> None:
    store.set_setting("device_settings", "{not json")
    assert load_settings(store) == DeviceSettings()
    store.set_setting(
        "device_settings",
        json.dumps({"language": "th", "text_size": "gigantic", "retired_setting": 1}),
    )
    assert load_settings(store) == DeviceSettings(language="th")
