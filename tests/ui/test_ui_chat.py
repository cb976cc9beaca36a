"""对话助手 on 编辑 and 模拟: empty, a conversation kept per draft, a change card applied only by a click
(a revision by the user, the assistant named in the audit trail), an ignored card, and the fallback line."""

from __future__ import annotations

from ui_helpers import go_to, open_seed

from perfeval.store import Store
from perfeval.store.chat import conversation


def _ask(at, question, where="edit"):
    at.chat_input(key=f"chat_input_{where}").set_value(question).run()
    assert not at.exception, at.exception
    return at


def _texts(at) -> list[str]:
    return [t.value for t in at.text]


def test_empty_panel_says_which_backend_answers(app):
    at = open_seed(app, 4)
    assert any("回答来自：内置模板（离线）" in c.value for c in at.caption)
    assert at.chat_input(key="chat_input_edit")
    assert len(at.chat_message) == 0


def test_what_if_question_keeps_the_draft_and_offers_a_card(app, db_path):
    at = _ask(open_seed(app, 4), "如果服务新开办企业数量实际完成25000，总分是多少？")
    assert len(at.chat_message) == 2
    assert any("99.9" in t for t in _texts(at))
    assert Store(db_path).get(1).revision == 1  # asking changes nothing
    assert any("新值：25000" in t for t in _texts(at))
    at.button(key="chat_ok_2_0").click().run()
    assert not at.exception, at.exception
    store = Store(db_path)
    record = store.get(1)
    assert record.revision == 2 and record.form.indicators[0].actual == "25000"
    assert any("对话助手" in (e.summary or "") or "对话助手" in str(e) for e in store.audit(1))
    assert any("已采用" in c.value for c in at.caption)


def test_conversation_is_kept_per_draft_and_shown_again(app, new_app, db_path):
    at = _ask(open_seed(app, 4), "为什么服务新开办企业数量只得了4.7分")
    assert any("16780 ÷ 25000 × 7" in t for t in _texts(at))
    at = _ask(at, "今天天气怎么样")
    assert any("没有理解" in t for t in _texts(at))
    assert [m.role for m in conversation(Store(db_path), 1)] == ["user", "assistant", "user", "assistant"]
    fresh = go_to(new_app(), "history")  # another tab reopens the draft: the conversation is there
    fresh.button(key="hist_open_1").click().run()
    assert not fresh.exception, fresh.exception
    assert len(fresh.chat_message) == 4
    assert any("16780 ÷ 25000 × 7" in t for t in _texts(fresh))


def test_ignore_a_card(app, db_path):
    at = _ask(open_seed(app, 4), "帮我写第一行的偏差原因")
    at.button(key="chat_no_2_0").click().run()
    assert any("已忽略" in c.value for c in at.caption)
    assert Store(db_path).get(1).revision == 1


def test_on_the_whatif_page_too(app):
    at = go_to(open_seed(app, 4), "whatif")
    at = _ask(at, "要拿满分，寄送快递数至少要多少？", where="whatif")
    assert any("不少于 12000件" in t for t in _texts(at))


def test_model_backend_unconfigured_falls_back_with_one_line(app):
    at = open_seed(app, 4)
    at.session_state["workspace"].assist_backend = "openai"
    at.run()
    assert any("回答来自：大模型" in c.value for c in at.caption)
    at = _ask(at, "总分是怎么算的")
    assert any("未配置大模型服务" in t and "已改用内置模板回答" in t for t in _texts(at))
