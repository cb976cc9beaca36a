"""perfeval 的网页界面入口：`streamlit run app.py`（页面见 perfeval/ui/）。"""

from perfeval.ui.main import main

main()
