"""The offline chat (perfeval.assist.chat.TemplateChat) on the seed's 「窗口业务管理」: every answer comes
from the rule engine, names rows by indicator name or 第N行, never changes the form, and says so when it
does not understand."""

from __future__ import annotations

import pytest

from perfeval.assist.chat import CAPABILITIES, TemplateChat, row_reference
from perfeval.assist.chat_tools import apply_card, card_is_current
from perfeval.rules import score_form


@pytest.fixture()
def form(seed_forms):
    return seed_forms[3]  # 窗口业务管理, total 97.6


def ask(form, question):
    before = form.model_dump()
    answer = TemplateChat().answer(question, form)
    assert form.model_dump() == before  # a question never changes the draft
    return answer


def test_what_if_on_an_actual_gives_the_new_total_and_a_card(form):
    answer = ask(form, "如果服务新开办企业数量实际完成25000，总分是多少？")
    assert "99.9" in answer.text and "97.6" in answer.text
    [card] = answer.cards
    assert card.path == "indicators.0.actual" and card.old == "16780" and card.new == "25000"
    assert card.total_before == pytest.approx(97.6) and card.total_after == pytest.approx(99.9)
    assert "97.6 → 99.9" in card.effect_zh
    applied = apply_card(form, card)
    assert applied.indicators[0].actual == "25000"
    assert score_form(applied).total == pytest.approx(99.9)


def test_explain_a_row_by_name_shows_the_formula(form):
    answer = ask(form, "为什么服务新开办企业数量只得了4.7分")
    assert "16780 ÷ 25000 × 7" in answer.text
    assert answer.cards == []


def test_explain_by_row_number_in_chinese_and_arabic(form):
    assert "11790 ÷ 12000 × 7" in ask(form, "第二行怎么算的？").text
    assert "11790 ÷ 12000 × 7" in ask(form, "第 2 行得分怎么来的").text


def test_needed_for_full_marks_and_for_a_score(form):
    assert "不少于 12000件" in ask(form, "要拿满分，寄送快递数至少要多少？").text
    assert "17857.1429" in ask(form, "第1行要得5分需要完成多少").text


def test_total_explained_with_lost_points(form):
    text = ask(form, "总分是怎么算的？").text
    assert "97.6" in text and "失 2.3 分" in text


def test_problems_with_hints(form):
    text = ask(form, "还有哪些问题会被财政局退回？").text
    assert text.startswith("共 ") or text == "没有发现会被退回的问题。"


def test_problems_on_a_form_with_an_error(form):
    form.indicators[0].deviation = ""
    text = ask(form, "还有哪些问题会被财政局退回？").text
    assert "偏差原因" in text and "[错误]" in text


def test_deviation_text_is_a_card_for_that_row(form):
    answer = ask(form, "帮我把第 3 行的偏差原因写得具体一些。")
    [card] = answer.cards
    assert card.path == "indicators.2.deviation"
    assert card.new and card.new != card.old
    assert "印章质量合格率" in answer.text


def test_what_if_on_funds_and_weight(form):
    funds = ask(form, "如果全年执行数是200万呢")
    assert funds.cards[0].path == "funds.total.executed" and funds.cards[0].new == 2_000_000
    weight = ask(form, "第2行分值改成8")
    assert weight.cards[0].path == "indicators.1.weight" and weight.cards[0].new == 8


def test_a_stale_card_is_recognised(form):
    [card] = ask(form, "如果服务新开办企业数量实际完成25000，总分是多少？").cards
    form.indicators[0].actual = "20000"
    assert not card_is_current(form, card)


def test_not_understood_lists_what_it_can_do(form):
    answer = ask(form, "今天天气怎么样")
    assert not answer.understood
    assert "没有理解" in answer.text
    assert all(c in answer.text for c in CAPABILITIES)


def test_row_reference_prefers_the_longest_name(form):
    index, rest = row_reference("快递准时送达率为什么是满分", form)
    assert index == 3 and "快递准时送达率" not in rest
    assert row_reference("第十二行", form)[0] == 11
    assert row_reference("第99行", form)[0] is None
