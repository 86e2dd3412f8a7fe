"""The demo reuses its files while the generator, its arguments and the files are unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

from audit.demo import fingerprint, write_demo, write_demo_sites

SMALL = {
    "orders_per_quarter": 500,
    "responses_per_quarter": 100,
    "complaints_per_quarter": 30,
    "returns_per_quarter": 20,
    "quarters": 2,
}
FILES = (
    "audit.yaml",
    "data/orders.csv",
    "data/survey_responses.csv",
    "data/complaint_log.xlsx",
    "data/rma_returns.xlsx",
)


def _stamps(folder: Path) -> dict[str, int]:
    """When each file was last written (a reused file keeps its stamp)."""
    return {name: (folder / name).stat().st_mtime_ns for name in FILES}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return write_demo(tmp_path, **SMALL)


def test_same_arguments_reuse_the_files(folder: Path) -> None:
    before = _stamps(folder)
    assert write_demo(folder.parent, **SMALL) == folder
    assert _stamps(folder) == before
    assert (folder / fingerprint.FINGERPRINT).exists()


def test_other_arguments_write_again(folder: Path) -> None:
    before = _stamps(folder)
    write_demo(folder.parent, **SMALL | {"seed": 7})
    after = _stamps(folder)
    assert all(after[name] != before[name] for name in FILES)


@pytest.mark.parametrize("name", FILES)
def test_an_edited_file_is_written_again(folder: Path, name: str) -> None:
    original = (folder / name).read_bytes()
    (folder / name).write_bytes(original + b"\n")
    write_demo(folder.parent, **SMALL)
    if name.endswith(".xlsx"):  # openpyxl stamps the time of writing into the workbook
        assert (folder / name).read_bytes() != original + b"\n"
    else:
        assert (folder / name).read_bytes() == original


def test_a_removed_file_is_written_again(folder: Path) -> None:
    (folder / "data/orders.csv").unlink()
    write_demo(folder.parent, **SMALL)
    assert (folder / "data/orders.csv").exists()


def test_a_changed_generator_writes_again(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = _stamps(folder)
    monkeypatch.setattr(fingerprint, "generator_digest", lambda: "another generator")
    write_demo(folder.parent, **SMALL)
    assert _stamps(folder)["data/orders.csv"] != before["data/orders.csv"]


@pytest.mark.parametrize("record", ["", "{}", '{"generator": 1}', "[1]"])
def test_an_unreadable_record_writes_again(folder: Path, record: str) -> None:
    before = _stamps(folder)
    (folder / fingerprint.FINGERPRINT).write_text(record, encoding="utf-8")
    write_demo(folder.parent, **SMALL)
    assert _stamps(folder)["data/orders.csv"] != before["data/orders.csv"]
    assert fingerprint.is_current(folder, {**SMALL, "seed": 20260930, "period": "2026-Q3"}) is False  # not the args


def test_reuse_false_writes_anyway(folder: Path) -> None:
    before = _stamps(folder)
    write_demo(folder.parent, **SMALL, reuse=False)
    assert _stamps(folder)["data/orders.csv"] != before["data/orders.csv"]


def test_sites_are_reused_one_by_one(tmp_path: Path) -> None:
    first = write_demo_sites(tmp_path, 2, **SMALL)
    before = [_stamps(f) for f in first]
    (first[1] / "data/orders.csv").write_text("edited\n", encoding="utf-8")
    again = write_demo_sites(tmp_path, 2, **SMALL)
    assert again == first
    assert _stamps(first[0]) == before[0]
    assert (first[1] / "data/orders.csv").read_text(encoding="utf-8") != "edited\n"
