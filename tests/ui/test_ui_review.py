"""审核 page: many files at once (a PDF bundle, JSON, copied text, a zip, a broken PDF), the table of
every form with its filters, one form's problems without a draft, opening it as a draft, the report."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from seedpaths import SEED_JSON, SEED_TEXT
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.testing.v1 import AppTest
from ui_helpers import go_to, metric

from perfeval.export import export_forms
from perfeval.samples import sample_bundle
from perfeval.store import Store


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


@pytest.fixture(scope="module")
def bundle_pdf() -> bytes:
    return export_forms(sample_bundle(2, seed=80), "pdf", final=True)


def review_upload(at: AppTest, *files: tuple[str, bytes]) -> AppTest:
    (uploader,) = [u for u in at.file_uploader if u.key.startswith("review_uploads_")]
    uploader.set_value([(name, data, "application/octet-stream") for name, data in files]).run()
    assert not at.exception, at.exception
    return at


@pytest.fixture()
def reviewing(app: AppTest) -> AppTest:
    return go_to(app, "review")


def _forms_table(at: AppTest):
    (table,) = [d.value for d in at.dataframe if "复核总分" in d.value.columns]
    return table


def test_many_files_at_once(reviewing: AppTest, bundle_pdf: bytes) -> None:
    whole = bundle_pdf
    at = review_upload(
        reviewing,
        ("b01.pdf", whole),
        ("seed-1.json", SEED_JSON[0].read_bytes()),
        ("seed.txt", SEED_TEXT.read_bytes()),
        ("more.zip", _zip({"sub/seed-3.json": SEED_JSON[2].read_bytes()})),
        ("broken.pdf", whole[: len(whole) // 3]),
    )
    table = _forms_table(at)
    assert len(table) == 2 + 1 + 5 + 1
    assert list(table["文件"]) == sorted(table["文件"])
    assert "more.zip/sub/seed-3.json" in set(table["文件"])
    assert metric(at, "自评表") == "9"
    assert metric(at, "无法读取的文件") == "1"
    (failed,) = [t.value for t in at.text if t.value.startswith("broken.pdf：")]
    assert "PDF" in failed
    # seed-1 and seed-3 are also in the copied text: four forms marked as duplicates
    assert metric(at, "重复的表") == "4"
    assert sorted(table[table["重复"] == "是"]["文件"]) == [
        "more.zip/sub/seed-3.json",
        "seed-1.json",
        "seed.txt",
        "seed.txt",
    ]
    assert at.get("download_button")[0].proto.label == "下载审核报告（XLSX）"
    assert not at.exception


def test_reupload_is_not_read_again(reviewing: AppTest) -> None:
    at = review_upload(reviewing, ("a.json", SEED_JSON[3].read_bytes()))
    state = at.session_state["review_state"]
    assert len(state.cache) == 1
    at = review_upload(at, ("renamed.json", SEED_JSON[3].read_bytes()), ("b.json", SEED_JSON[4].read_bytes()))
    assert len(at.session_state["review_state"].cache) == 2
    assert list(_forms_table(at)["文件"]) == ["b.json", "renamed.json"]


def test_filters_by_severity_kind_department_and_score(reviewing: AppTest) -> None:
    doc = json.loads(SEED_JSON[2].read_text(encoding="utf-8"))
    doc["department"] = "某区财政局"
    total = next(f for f in doc["funds"] if f["kind"] == "total")
    total["initial_budget"] = sum(f["initial_budget"] or 0 for f in doc["funds"] if f["kind"] != "total")
    faulty = {}
    for n in (2, 4):  # rows that lost points with their 偏差原因 removed: an error each
        broken = json.loads(SEED_JSON[n - 1].read_text(encoding="utf-8"))
        for row in broken["indicators"]:
            if row["score"] < row["weight"]:
                row["deviation"] = ""
        faulty[f"seed-{n}.json"] = json.dumps(broken, ensure_ascii=False).encode()
    at = review_upload(
        reviewing, ("clean.json", json.dumps(doc, ensure_ascii=False).encode()), *faulty.items()
    )
    assert len(_forms_table(at)) == 3
    at.multiselect(key="review_f_severity").select("错误").run()
    assert sorted(_forms_table(at)["文件"]) == ["seed-2.json", "seed-4.json"]
    at.multiselect(key="review_f_severity").unselect("错误").run()
    at.multiselect(key="review_f_department").select("某区财政局").run()
    assert list(_forms_table(at)["文件"]) == ["clean.json"]
    at.multiselect(key="review_f_department").unselect("某区财政局").run()
    at.multiselect(key="review_f_kind").select("资金总额不等于各来源之和").run()
    assert len(_forms_table(at)) == 2
    at.multiselect(key="review_f_kind").unselect("资金总额不等于各来源之和").run()
    at.slider(key="review_f_score").set_value((90.0, 99.0)).run()
    assert list(_forms_table(at)["文件"]) == ["seed-4.json"]  # 97.6


def test_a_form_shows_its_problems_without_a_draft_then_opens_one(reviewing: AppTest, db_path) -> None:
    at = review_upload(
        reviewing, ("seed-1.json", SEED_JSON[0].read_bytes()), ("seed-4.json", SEED_JSON[3].read_bytes())
    )
    at.selectbox(key="review_pick").select_index(1).run()
    problems = next(d.value for d in at.dataframe if "严重程度" in d.value.columns)
    assert "项目资金·年度资金总额·年初预算数" in set(problems["字段"])
    explained = next(d.value for d in at.dataframe if list(d.value.columns) == ["字段", "说明"])
    assert "第1行「服务新开办企业数量」·得分" in set(explained["字段"])
    assert Store(db_path).list() == []  # looking makes no draft
    at.button(key="review_open").click().run()
    assert not at.exception, at.exception
    drafts = Store(db_path).list()
    assert [(d.project, d.year, d.mode) for d in drafts] == [("窗口业务管理", 2022, "review")]
    assert at.session_state["workspace"].draft_id == drafts[0].id
    # again: the existing draft of that project and year is opened, no second one
    go_to(at, "review")
    at.selectbox(key="review_pick").select_index(1).run()
    at.button(key="review_open").click().run()
    assert len(Store(db_path).list()) == 1
    assert at.session_state["workspace"].draft_id == drafts[0].id


def test_hostile_archive_and_user_text_stay_plain(reviewing: AppTest) -> None:
    doc = json.loads(SEED_JSON[0].read_text(encoding="utf-8"))
    doc["project_name"] = "**粗体** [链接](http://x) <b>"
    at = review_upload(
        reviewing,
        ("evil.zip", _zip({"../x.json": SEED_JSON[1].read_bytes()})),
        ("md.json", json.dumps(doc, ensure_ascii=False).encode()),
    )
    (failed,) = [t.value for t in at.text if t.value.startswith("evil.zip：")]
    assert "越出压缩包" in failed
    assert all("粗体" not in m.value for m in at.markdown)
    assert any("**粗体**" in t.value for t in at.text)


def test_clear(reviewing: AppTest) -> None:
    at = review_upload(reviewing, ("seed-1.json", SEED_JSON[0].read_bytes()))
    at.button(key="review_clear").click().run()
    assert any("还没有上传文件" in i.value for i in at.info)


def test_a_row_picked_in_the_table_is_shown(reviewing: AppTest) -> None:
    at = review_upload(
        reviewing, ("seed-1.json", SEED_JSON[0].read_bytes()), ("seed-3.json", SEED_JSON[2].read_bytes())
    )
    assert at.selectbox(key="review_pick").value.endswith("seed-1.json#1")
    (table,) = [d for d in at.dataframe if "复核总分" in d.value.columns]
    states = at._tree.get_widget_states()
    state = WidgetState()
    state.id = table.proto.id
    state.string_value = json.dumps({"selection": {"rows": [1], "columns": [], "cells": []}})
    states.widgets.append(state)
    at._run(states)
    assert not at.exception, at.exception
    assert at.selectbox(key="review_pick").value.endswith("seed-3.json#1")
    assert any(t.value.startswith("seed-3.json · 第1张 · 2022年度 宣传与推广") for t in at.text)
