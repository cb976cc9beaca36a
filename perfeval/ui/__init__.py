"""The Streamlit app (the only part of perfeval that imports streamlit).

``streamlit run app.py`` runs :func:`perfeval.ui.main.main`.  Pages: 导入 (page_import), 编辑 (page_edit),
模拟 (page_whatif), 导出 (page_export), 历史 (page_history), 设置 (page_settings).  The pages compose the
library (ingest, rules, draft, store, export, assist) and add no logic of their own; see docs/app.md.
"""
