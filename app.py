"""perfeval 的网页界面入口：`streamlit run app.py`。"""

import streamlit as st

st.set_page_config(page_title="perfeval 绩效自评", layout="wide")
st.title("perfeval · 项目支出绩效自评表")
st.markdown(
    """
离线、可解释的项目支出绩效自评工具：

1. **导入**上一年度的自评表（PDF、纯文本、XLSX、DOCX、JSON）；
2. **草拟**下一年度的自评表；
3. 按公开规则**评分**，逐项说明得分来由，并做**一致性校验**；
4. **模拟**：改一个实际值，总分如何变化；达到满分需要多少；
5. **导出** XLSX、DOCX、PDF、JSON，供签字报送；
6. 年度总体目标与偏差原因的**写作建议**（默认离线模板，可接入兼容 OpenAI 的模型服务）；
7. 草稿保存在本地 SQLite 数据库中，保留全部修订历史。
"""
)
