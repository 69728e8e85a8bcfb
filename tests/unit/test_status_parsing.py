"""Status changes from the platform: any well-formed status is kept (the list is
extensible), a malformed one is still a protocol error."""

from __future__ import annotations

from typing import Any

import pytest

from sync.protocol import STATUSES, ProtocolError, parse_status_page


def _page(status: Any, **extra: Any) -> dict[str, Any]:
    change = {"submission_id": "s-1", "receipt_number": "R-1", "status": status, "changed": 1.5}
    return {"changes": [{**change, **extra}], "cursor": "3", "more": False, "new_field": [1]}


@pytest.mark.parametrize("status", [*STATUSES, "transferred", "appeal_pending", "X-1"])
def test_known_and_new_statuses_are_kept_as_sent(status: str) -> None:
    page = parse_status_page(_page(status, office={"code": "fake"}))
    assert [c.status for c in page.changes] == [status]


@pytest.mark.parametrize("status", [None, 3, True, "", "x" * 65, "검토중", "a\nb", ["approved"]])
def test_a_malformed_status_is_refused(status: Any) -> None:
    with pytest.raises(ProtocolError, match="status"):
        parse_status_page(_page(status))
