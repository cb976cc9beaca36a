"""Hostile and odd text files beside the seed PDF in one ``perfeval parse`` call (3 GiB cap, 60 s):
too big, NUL bytes, binary noise, one endless line, label soup; and odd but good ones (GBK,
full-width characters) that still read."""

from __future__ import annotations

from pathlib import Path

import hostile as h

LIMIT = 2 * h.MiB

CASES: h.Cases = {
    "too-big.txt": (lambda: b"a" * (LIMIT + 1), "文本大小超过上限"),
    "nul.txt": (lambda: b"\x00" * 100_000, "未找到项目支出绩效自评表"),
    "noise.txt": (lambda: bytes(range(256)) * 400, "编码无法识别"),
    "one-line.txt": (lambda: ("项目名称" * (LIMIT // 12 - 10)).encode(), "未找到项目支出绩效自评表"),
    "label-soup.txt": (
        lambda: ("项目名称\t一级指标\t总分\n" * (LIMIT // 40)).encode(),
        "未找到项目支出绩效自评表",
    ),
    "empty.txt": (lambda: b"", "文件是空的"),
}


def _odd_but_good(folder: Path) -> tuple[Path, ...]:
    gbk = folder / "gbk.txt"
    gbk.write_bytes(h.seed_text().encode("gb18030"))
    wide = folder / "full-width.txt"
    wide.write_bytes(h.full_width(h.seed_text()).encode("utf-8"))
    return gbk, wide


# the seed PDF's five forms, and five from each of the GBK and the full-width copy of its text
run, test_the_seed_and_the_odd_but_good_files_are_read, test_one_clear_line = h.corpus_tests(
    CASES, "hostile-text", forms=15, good=_odd_but_good
)
