"""Builders for the rule-engine tests: small forms made to order (imported by tests/rules/*)."""

from __future__ import annotations

from typing import Any

from perfeval.model import SelfEvaluation, build_form


def make_form(
    indicators: list[dict[str, Any]] | None = None,
    *,
    executed: float = 100.0,
    annual_budget: float = 100.0,
    exec_weight: float | None = 10,
    exec_score: float | None = None,
    execution_rate: float | None = None,
    total_score: float | None = None,
    total_weight: float | None = 100,
    department: str = "某市某局",
    template: str = "central",
    extra: dict[str, Any] | None = None,
    funds: list[dict[str, Any]] | None = None,
    **fields: Any,
) -> SelfEvaluation:
    """A form with one 年度资金总额 row and a matching 当年财政拨款 row; indicators default to one
    90-point quantitative row that is met."""
    if indicators is None:
        indicators = [
            {
                "level1": "产出指标",
                "level2": "数量指标",
                "name": "培训人次",
                "target": ">=100人次",
                "actual": "100人次",
                "weight": 90,
            }
        ]
    rows = []
    for ind in indicators:
        row = {"level1": "产出指标", "level2": "数量指标", "name": "指标", "deviation": ""} | ind
        rows.append(row)
    if funds is None:
        funds = [
            {"label": "年度资金总额", "kind": "total", "initial_budget": annual_budget, "annual_budget": annual_budget,
             "executed": executed, "execution_rate": execution_rate, "weight": exec_weight, "score": exec_score},
            {"label": "当年财政拨款", "kind": "fiscal", "initial_budget": annual_budget, "annual_budget": annual_budget,
             "executed": executed},
        ]  # fmt: skip
    data = {
        "year": 2023,
        "project_name": "测试项目",
        "department": department,
        "implementing_unit": department,
        "money_unit": "元",
        "funds": funds,
        "indicators": rows,
        "total_weight": total_weight,
        "total_score": total_score,
        "extra": extra or {},
        "source": {"template": template},
    } | fields
    return build_form(data)
