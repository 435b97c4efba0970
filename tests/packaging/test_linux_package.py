"""The Linux package's build script names the files it must hold; each must exist in the
source tree (a renamed font or licence breaks this test, not an office's installation), and
the spec ships the migration scripts Alembic reads from disk."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_file_the_build_checks_for_is_in_the_tree() -> None:
    script = (ROOT / "packaging" / "build-linux.sh").read_text("utf-8")
    needed = re.findall(r"_internal/([\w./-]+)", script)
    assert any(n.startswith("resources/fonts/licenses/") for n in needed)
    for path in needed:
        assert (ROOT / path).exists(), path
    fonts = {p.name for p in (ROOT / "resources" / "fonts").glob("*.tt[cf]")}
    assert fonts <= {Path(n).name for n in needed}  # every bundled font is checked


def test_the_spec_ships_resources_and_migrations() -> None:
    spec = (ROOT / "packaging" / "kaoping.spec").read_text("utf-8")
    assert '"resources"' in spec and '"app/models/migrations"' in spec
    assert 'name="kaoping"' in spec and 'name="kaopingw"' in spec
    assert (ROOT / "resources" / "icons" / "kaoping-256.png").is_file()
