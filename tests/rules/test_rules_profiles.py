"""Rule profiles: the data files, picking, and errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rules_forms import make_form

from perfeval.resources import data_dir
from perfeval.rules import ProfileError, list_profiles, load_profile, pick_profile

NAMES = ["central", "hubei", "shanghai", "sichuan-2023"]


def test_the_four_profiles_exist_and_load():
    assert list_profiles()[0] == "central"
    assert set(NAMES) <= set(list_profiles())
    for name in NAMES:
        p = load_profile(name)
        assert p.name == name and p.sources and p.title
        assert p.execution.weight + p.indicators.weight == p.total_weight == 100
        assert p.indicators.over_fulfilment_ratio == 1.3 and p.execution.low_threshold == 0.9


def test_profile_numbers():
    assert load_profile("shanghai").indicators.score_decimals == 1
    assert load_profile("shanghai").execution.score_decimals == 2
    assert load_profile("sichuan-2023").execution.low_reason_required
    assert load_profile("sichuan-2023").level1_weights is None
    hubei = load_profile("hubei")
    assert hubei.execution.weight == 20 and hubei.tier("partial").low == 0.5
    assert load_profile("central").level1_weights == {"产出指标": 50, "效益指标": 30, "满意度指标": 10}
    assert load_profile("central").indicators.reverse_formula == "ratio"


def test_pick_profile(seed_forms):
    assert pick_profile(seed_forms[0]).name == "shanghai"
    assert pick_profile(make_form(department="上海市普陀区某局", template="central")).name == "shanghai"
    assert pick_profile(make_form(template="sichuan-2023", department="上海市某局")).name == "sichuan-2023"
    assert pick_profile(make_form(department="安徽省池州市贵池区某局")).name == "central"
    assert pick_profile(make_form(department="湖北省某市某局")).name == "central"  # hubei only when asked


def test_unknown_profile_is_a_chinese_error():
    with pytest.raises(ProfileError) as exc:
        load_profile("guangxi")
    assert "guangxi" in exc.value.message and "central" in exc.value.message


def test_profile_from_a_file(tmp_path: Path):
    data = json.loads((data_dir("profiles") / "central.json").read_text(encoding="utf-8"))
    data["name"] = "mine"
    data["indicators"]["reverse_formula"] = "linear"
    path = tmp_path / "mine.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert load_profile(str(path)).indicators.reverse_formula == "linear"
    data["indicators"]["reverse_formula"] = "cubic"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ProfileError) as exc:
        load_profile(str(bad))
    assert "评分规则文件有误" in exc.value.message
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(ProfileError):
        load_profile(str(broken))
