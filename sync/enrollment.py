"""The platform keys this device seals to, kept in the store's settings.

Full enrollment (one-time token, device key, pinned catalog key) comes with the
protocol work; for now the device takes the platform's published sealing keys.
"""

from __future__ import annotations

import json

from sync.client import PlatformClient
from sync.sealing import PlatformKey
from sync.store import Store

_SETTING = "platform_keys"


def current_platform_key(store: Store) -> PlatformKey | None:
    """The newest sealing key, or None if the device has none yet."""
    raw = store.setting(_SETTING)
    if not raw:
        return None
    keys = [PlatformKey.from_wire(k) for k in json.loads(raw)]
    return keys[0] if keys else None


def refresh_platform_keys(store: Store, client: PlatformClient) -> PlatformKey:
    keys = client.keys()
    store.set_setting(_SETTING, json.dumps([k.to_wire() for k in keys]))
    return keys[0]
