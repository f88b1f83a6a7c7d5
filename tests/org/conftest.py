"""Fixtures of the register tests: the import folder under the test's tmp_path."""

import pytest


@pytest.fixture(autouse=True)
def import_folder(app, tmp_path, monkeypatch):
    """Uploaded register files wait for confirmation here, not in the repository's instance folder."""
    folder = tmp_path / "imports"
    monkeypatch.setitem(app.config, "ROSTER_IMPORT_FOLDER", str(folder))
    return folder
