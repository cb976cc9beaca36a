"""设置 page: rule profile, assistant backend and endpoint; the key is read, never shown or stored."""

from __future__ import annotations

from ui_helpers import go_to, metric, open_form, texts, upload_seed_json

from perfeval.assist import describe_backends
from perfeval.rules import load_profile
from perfeval.store import Store

SECRET = "sk-test-不要显示-1234567890"


def _go(at, page="settings"):
    return go_to(at, page)


def test_profile_choice_changes_the_scores(app):
    upload_seed_json(app, 4)
    _go(app)
    assert "自动（按地区和模板选择）" in app.selectbox(key="set_profile").options
    app.selectbox(key="set_profile").set_value("central").run()
    _go(app, "import")
    table = next(d.value for d in app.dataframe if "规则总分" in d.value.columns)
    assert table.loc[0, "规则"] == load_profile("central").title  # the Chinese title, never the id
    # central rounds indicator scores to 2 decimals: 4.6984 -> 4.70, 6.8775 -> 6.88
    assert table.loc[0, "规则总分"] == 97.58
    open_form(app, 0, "review")
    assert metric(app, "规则总分") == "97.58"
    # the choice stays when the settings page is shown again
    _go(app)
    assert app.selectbox(key="set_profile").value == "central"


def test_backends_and_endpoint(app):
    _go(app)
    backends = app.selectbox(key="set_backend").options
    # every installed backend, by its Chinese title, the offline template first
    assert backends == list(describe_backends().values())
    assert backends[0] == "内置模板（离线，确定性）"
    app.selectbox(key="set_backend").set_value("openai").run()
    app.text_input(key="set_base_url").input("http://127.0.0.1:9/v1").run()
    app.text_input(key="set_model").input("qwen").run()
    ws = app.session_state["workspace"]
    assert (ws.assist_backend, ws.assist_base_url, ws.assist_model) == (
        "openai",
        "http://127.0.0.1:9/v1",
        "qwen",
    )
    assert "未设置 PERFEVAL_LLM_API_KEY" in texts(app)


def test_key_from_secrets_is_never_shown_or_stored(app, db_path):
    app.secrets["PERFEVAL_LLM_API_KEY"] = SECRET
    _go(app)
    assert "已从环境变量或 secrets 读取" in texts(app)
    # use the openai backend on a dead port: it falls back to the template with a notice
    app.selectbox(key="set_backend").set_value("openai").run()
    app.text_input(key="set_base_url").input("http://127.0.0.1:9/v1").run()
    app.text_input(key="set_model").input("m").run()
    upload_seed_json(_go(app, "import"), 4)
    open_form(app, 0, "review")
    app.button(key="assist_goal_").click().run()
    assert not app.exception
    page = texts(app)
    assert SECRET not in page
    assert SECRET not in repr(app.session_state["workspace"])
    app.button(key="assist_ok_goal_").click().run()
    store = Store(db_path)
    assert SECRET not in repr(store.dump())


def test_author_and_settings_persist_in_the_database(new_app, db_path):
    at = new_app()
    _go(at)
    at.text_input(key="set_author").input("李四").run()
    at.selectbox(key="set_profile").set_value("central").run()
    # a new session (a restart, another browser) finds them again
    other = _go(new_app())
    assert other.text_input(key="set_author").value == "李四"
    assert other.selectbox(key="set_profile").value == "central"
    upload_seed_json(_go(other, "import"), 4)
    open_form(other, 0, "review")
    store = Store(db_path)
    assert store.get(1).created_by == "李四"
    assert store.audit(1)[-1].who == "李四"
