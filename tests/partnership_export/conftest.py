import io
import json
import zipfile

import pytest

from rapidreview.partnership_export.archive import write_archive

from .world import build_world


@pytest.fixture
def world(db):
    return build_world()


class Archive:
    """An archive written in memory, read back by its files."""

    def __init__(self, partnership, **kwargs):
        self.buffer = io.BytesIO()
        self.manifest = write_archive(self.buffer, partnership=partnership, **kwargs)
        self.buffer.seek(0)
        self.zip = zipfile.ZipFile(self.buffer)

    def names(self) -> list[str]:
        return self.zip.namelist()

    def rows(self, label: str) -> list[dict]:
        return json.loads(self.zip.read(f"data/{label}.json"))

    def data_files(self) -> dict[str, list[dict]]:
        return {name[5:-5]: json.loads(self.zip.read(name)) for name in self.names() if name.startswith("data/")}

    def text(self) -> str:
        return "\n".join(self.zip.read(name).decode("utf-8", "replace") for name in self.names())


@pytest.fixture
def export_of():
    return Archive
