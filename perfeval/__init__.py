"""perfeval: 项目支出绩效自评表 — import last year's report, score it by the published rules, check it,
draft next year's form and export it for sign-off."""

__version__ = "0.1.0"
