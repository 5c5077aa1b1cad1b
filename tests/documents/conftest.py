from pathlib import Path

import pytest


@pytest.fixture
def stored_files(settings):
    """``stored_files()`` lists the files under MEDIA_ROOT/documents, relative names."""

    def collect() -> list[str]:
        root = Path(settings.MEDIA_ROOT)
        folder = root / "documents"
        if not folder.exists():
            return []
        return sorted(str(path.relative_to(root)) for path in folder.rglob("*") if path.is_file())

    return collect
