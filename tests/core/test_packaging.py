"""The wheel: one copy of each profile and prompt (data/profiles/, prompts/) ships inside the package, and
an install outside the checkout loads them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_every_package_of_perfeval_is_listed():
    listed = set(_pyproject()["tool"]["setuptools"]["packages"])
    on_disk = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "perfeval").rglob("__init__.py")}
    assert on_disk <= listed, f"add to [tool.setuptools] packages: {sorted(on_disk - listed)}"


def test_profiles_and_prompts_exist_once_in_the_tree():
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout.split()
    if not tracked:  # not a git checkout (an sdist): look at the files themselves
        tracked = [str(p.relative_to(ROOT).as_posix()) for p in ROOT.rglob("*") if ".venv" not in p.parts]
    for name in ("central.json", "shanghai.json", "goal.md", "deviation.md"):
        copies = [t for t in tracked if t.endswith("/" + name) and not t.startswith("tests/")]
        assert len(copies) == 1, copies


def test_wheel_ships_profiles_and_prompts_and_an_install_outside_the_checkout_loads_them(tmp_path):
    out = tmp_path / "wheel"
    build_dir = ROOT / "build"  # setuptools builds in the source tree: leave it as it was
    had_build_dir = build_dir.exists()
    try:
        subprocess.run(
            [sys.executable, "-m", "pip", "wheel", str(ROOT), "-w", str(out), "--no-deps", "-q"],
            check=True,
            capture_output=True,
            timeout=600,
        )
    finally:
        if not had_build_dir:
            shutil.rmtree(build_dir, ignore_errors=True)
    (wheel,) = out.glob("perfeval-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        zf.extractall(tmp_path / "site")
    profiles = {p.name for p in (ROOT / "data" / "profiles").glob("*.json")}
    prompts = {p.name for p in (ROOT / "prompts").glob("*.md")}
    assert {f"perfeval/profiles/{n}" for n in profiles} <= names
    assert {f"perfeval/prompts/{n}" for n in prompts} <= names  # every prompt file, new ones too
    assert not any(n.startswith("perfeval/rules/profiles/") or "/assist/prompts/" in n for n in names)
    # The unpacked wheel comes first on the path (the editable install's finder comes after it), and the
    # working directory is outside the checkout.
    code = (
        "import perfeval, perfeval.rules as r, perfeval.assist.prompts as p;"
        "print(perfeval.__file__); print(r.load_profile('shanghai').name);"
        "print(p.prompt_path('goal')); print(len(p.load_prompt('deviation')) > 100)"
    )
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site")}
    env.pop("PERFEVAL_PROMPTS_DIR", None)
    env.pop("PERFEVAL_PROFILES", None)
    lines = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    site = str(tmp_path / "site")
    assert lines[0].startswith(site)
    assert lines[1] == "shanghai"
    assert lines[2].startswith(site) and lines[2].endswith("goal.md")
    assert lines[3] == "True"
