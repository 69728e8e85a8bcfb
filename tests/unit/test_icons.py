"""Category and life-event icons: only the ones the kiosk ships (issue 19: any name passed)."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

from forms.catalog import load_catalog_folder
from forms.entries import ICONS, icon_path, shipped_icons
from tests.unit.forms_fixtures import SOURCE, catalog


def test_every_icon_the_demo_names_is_shipped_and_is_an_svg() -> None:
    used = {e.icon for e in (*catalog().categories, *catalog().life_events)}
    assert used and used <= shipped_icons()
    for name in shipped_icons():
        path = icon_path(name)
        assert path is not None and path.parent == ICONS
        root = ET.parse(path).getroot()
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert root.get("viewBox") == "0 0 48 48"
    assert icon_path("unicorn") is None


def test_an_icon_that_is_not_shipped_is_an_error_naming_the_choices(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    shutil.copytree(SOURCE, folder)
    document = json.loads((folder / "catalog.json").read_text(encoding="utf-8"))
    document["life_events"][0]["icon"] = "unicorn"
    (folder / "catalog.json").write_text(json.dumps(document), encoding="utf-8")
    [problem] = load_catalog_folder(folder).errors
    assert problem.path.endswith("(life_events[0]).icon")
    assert problem.message.startswith("no icon 'unicorn' in resources/icons/; shipped: baby,")
