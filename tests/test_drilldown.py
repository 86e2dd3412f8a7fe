"""The working paper as an evidence explorer: drill-down per finding and per KPI, interactive tables and their fallback."""

from __future__ import annotations

import builtins
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from audit import AuditSnapshot, assess, compute_kpis, load_audit, open_audit, snapshot
from audit.data.contract import ID_COLUMN
from audit.model.drilldown import FILE_COLUMN, ROW_COLUMN
from audit.report import datatable
from audit.report.tables import kpi_table_html
from conftest import TINY


@pytest.fixture(scope="module")
def computed() -> tuple[Any, Any, Any]:
    run = open_audit(TINY)
    data = load_audit(run.config)
    kpis = compute_kpis(data, earlier=run.earlier)
    return data, kpis, assess(data, kpis, register=run.register)


def test_a_findings_records_are_its_evidence_ids(computed: tuple[Any, Any, Any]) -> None:
    _, _, assessment = computed
    first = assessment["F-01"]
    assert first.finding.evidence_ids, "F-01 of the tiny audit names its records"
    key = ID_COLUMN[first.kind]
    assert first.records[key].tolist() == list(first.finding.evidence_ids)
    assert assessment.finding("F-01").records.equals(first.records)
    with_records = [f for f in assessment.findings if f.evidence_ids and assessment[f.id].kind]
    assert len(with_records) >= 2
    for f in with_records:
        view = assessment[f.id]
        assert view.records[ID_COLUMN[view.kind]].tolist() == list(dict.fromkeys(f.evidence_ids))
        assert view.clause == f.clauses and view.figures == dict(f.figures)


def test_each_record_carries_its_file_and_excel_row(computed: tuple[Any, Any, Any]) -> None:
    data, _, assessment = computed
    view = assessment["F-01"]
    source = next(s for s in data.sources if s.kind == view.kind)
    assert list(view.records.columns[:3]) == [ID_COLUMN[view.kind], FILE_COLUMN, ROW_COLUMN]
    assert set(view.records[FILE_COLUMN]) == {source.path}
    # the Excel row of the tiny CSV: the header is row 1, so a record's row is its line number
    lines = (TINY / source.path).read_text(encoding="utf-8").splitlines()
    for record_id, row in zip(view.records[ID_COLUMN[view.kind]], view.records[ROW_COLUMN], strict=True):
        assert lines[int(row) - 1].startswith(f"{record_id},")


def test_a_kpis_records_are_the_rows_it_is_computed_over(computed: tuple[Any, Any, Any]) -> None:
    data, kpis, _ = computed
    otif = kpis["otif_pct"]
    records = otif.records
    assert {FILE_COLUMN, ROW_COLUMN, "due", "on_time", "otif"} <= set(records.columns)
    assert records[ROW_COLUMN].notna().all()
    # the orders judged, with their verdicts: the KPI's n and value come back from them
    assert int(records["due"].sum()) == otif.n
    assert 100 * records["otif"].sum() / otif.n == pytest.approx(otif.value)
    assert 100 * records["on_time"].sum() / otif.n == pytest.approx(kpis["on_time_pct"].value)
    complaints = kpis["complaints"].records
    assert len(complaints) == len(data.frames["complaints"]) == kpis["complaints"].value
    assert not [k for k in kpis if "source_records" in k.to_dict()]


def test_unknown_finding_is_a_key_error(computed: tuple[Any, Any, Any]) -> None:
    with pytest.raises(KeyError):
        computed[2]["F-99"]


def test_a_snapshot_read_back_says_its_records_are_not_at_hand(computed: tuple[Any, Any, Any], tmp_path: Path) -> None:
    data, kpis, assessment = computed
    path = tmp_path / "results.json"
    snapshot(data, kpis, assessment).dump(path)
    back = AuditSnapshot.load(path)
    view = back.assessment["F-01"]
    assert view.records.empty and "results.json" in view.note
    assert back.kpis["otif_pct"].records.empty


def test_the_drilldown_escapes_the_data(computed: tuple[Any, Any, Any]) -> None:
    import dataclasses

    _, _, assessment = computed
    view = assessment["F-01"]
    hostile = dataclasses.replace(view, records=view.records.assign(description="<script>x()</script>"))
    html = hostile._repr_html_()
    assert "<script>x()</script>" not in html
    assert "F-01" in html


def test_a_finding_with_more_records_than_it_shows_says_how_many_more_and_where_they_all_are(
    computed: tuple[Any, Any, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    import dataclasses

    from audit.report import drilldown

    _, _, assessment = computed
    view = assessment["F-01"]
    one = view.records.head(1)
    many = dataclasses.replace(
        view, records=pd.concat([one] * 7, ignore_index=True).assign(description=list("abcdefg"))
    )
    monkeypatch.setattr(drilldown, "RECORDS_SHOWN", 3)
    monkeypatch.setattr(datatable, "interactive", lambda: False)  # the static table: its rows can be counted
    html = many._repr_html_()
    assert "7 records behind the finding" in html
    rows = html.split("Records behind F-01", 1)[1].split("</table>", 1)[0]
    assert rows.count("<tr>") == 1 + 3  # the header and the first three records
    assert ">c<" in rows and ">d<" not in rows
    assert "The first 3 records are shown, 4 more are not" in html
    assert "assessment[&quot;F-01&quot;].records has all 7" in html
    # as many as it shows: no such line
    assert "more are not" not in dataclasses.replace(many, records=many.records.head(3))._repr_html_()
    assert len(many.records) == 7  # the view keeps every record


def test_tables_are_interactive_with_itables_and_static_without(
    computed: tuple[Any, Any, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, kpis, _ = computed
    assert datatable.interactive()
    html = kpi_table_html(kpis)
    assert "DataTable" in html or "ITable" in html
    assert "https://" not in html.split("<script", 1)[1].split("</script>")[0]  # no CDN: the offline bundle

    real_import = builtins.__import__

    def no_itables(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "itables" or name.startswith("itables."):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_itables)
    assert not datatable.interactive()
    assert not datatable.interactive_tables()
    static = kpi_table_html(kpis)
    assert "<script" not in static and "ITable" not in static
    assert static.startswith('<table class="audit-kpis">')
    assert all(f">{k.label}<" in static for k in kpis)


def test_static_table_escapes_and_counts_what_it_leaves_out() -> None:
    frame = pd.DataFrame({"a": ["<b>x</b>"] * 5, "b": [1.5, None, 3, 4, 5]})
    html = datatable.static_table(frame, "cap & co", limit=3)
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html
    assert "cap &amp; co" in html and html.count("<tr>") == 4 and "2 more rows" in html


def test_interactive_table_ids_are_stable() -> None:
    frame = pd.DataFrame({"KPI": ["NPS"], "Value": ["+27"]})
    first = datatable.data_table(frame, "x", sort_by={"Value": [27.0]})
    assert first == datatable.data_table(frame, "x", sort_by={"Value": [27.0]})
    assert json.dumps(first)  # plain text for the notebook's output


def test_a_themes_records_and_its_view(computed: tuple[Any, Any, Any]) -> None:
    import dataclasses

    from audit.model import Theme, ThemeExample

    data, kpis, _ = computed
    ids = tuple(sorted(data.frames["complaints"]["complaint_id"].astype(str))[:3])
    theme = Theme(
        "en-1", "en", "motor, noise, <b>", (("motor", 0.8), ("<b>", 0.2)), 3, 50.0, None, None, None, None,
        "not tested", (ThemeExample(ids[0], "<script>x()</script>"),), record_ids=ids,
    )  # fmt: skip
    sets = dict(kpis.themes)
    sets["complaint_descriptions"] = dataclasses.replace(sets["complaint_descriptions"], themes=(theme,))
    table = dataclasses.replace(kpis, themes=sets)
    records = table.themes.records("complaint_descriptions", "en-1")
    assert records["complaint_id"].astype(str).tolist() == list(ids)
    assert {FILE_COLUMN, ROW_COLUMN} <= set(records.columns)
    html = table.themes["complaint_descriptions"]["en-1"]._repr_html_()
    assert "<script>x()</script>" not in html and "&lt;b&gt;" in html and ids[0] in html
    with pytest.raises(KeyError):
        table.themes.records("complaint_descriptions", "en-9")


def test_the_working_papers_objects_print_as_one_line_not_every_record(computed: tuple[Any, Any, Any]) -> None:
    # the notebook keeps each output's text/plain beside its table: a line each, not the dataclass fields
    _, kpis, assessment = computed
    view = assessment["F-01"]
    themes = kpis.themes
    theme_set = next(iter(themes.values()))
    texts = {
        repr(
            kpis
        ): f"<KpiTable: {len(kpis)} KPIs, {kpis.period_labels[0]}–{kpis.period_labels[-1]}, themes of {len(themes)} sources>",
        repr(
            assessment
        ): f"<Assessment: {len(assessment.findings)} findings, {len(assessment.actions)} actions, {assessment.conclusion}>",
        repr(view): f"<FindingRecords F-01 ({view.kind}): {len(view.records):,} records>",
        repr(
            theme_set
        ): f"<ThemeSet {theme_set.source} {theme_set.period}: {len(theme_set.themes)} themes over {theme_set.texts:,} texts>",
    }
    for text, expected in texts.items():
        assert text == expected
    assert repr(kpis.analyses).startswith("<Analyses: ") and "\n" not in repr(kpis.analyses)
    assert repr(themes).startswith("<ThemeSets: ") and all(name in repr(themes) for name in themes)
    if theme_set.themes:
        theme = theme_set.themes[0]
        assert repr(theme) == f"<Theme {theme.id} {theme.label!r}: {theme.count:,} texts, {theme.verdict}>"


@pytest.mark.parametrize("dtype", ["string[pyarrow]", object])
def test_records_are_looked_up_by_id_as_pandas_isin_would(dtype: object) -> None:
    from audit.assessment.evidence import _among

    ids = pd.Series(["C-1", "C-2", None, "C-3", "C-2", "c-1", " C-3"], dtype=dtype)  # type: ignore[call-overload]
    wanted = ["C-2", "C-3", "C-9"]
    assert _among(ids, wanted).tolist() == ids.isin(wanted).tolist() == [False, True, False, True, True, False, False]
    assert not _among(ids, []).any()
