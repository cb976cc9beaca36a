"""Where the data files that ship with perfeval live: the rule profiles and the assistant's prompts.

Each exists once, at the top of the repository (``data/profiles/``, ``prompts/``).  pyproject.toml maps
them into the package as the data-only packages ``perfeval.profiles`` and ``perfeval.prompts``
(``[tool.setuptools] package-dir``), so a wheel installs them as ``perfeval/profiles/`` and
``perfeval/prompts/``; a source checkout and an editable install read the repository's folders.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent

#: name -> (folder inside an installed package, folder in the repository)
_LOCATIONS: dict[str, tuple[Path, Path]] = {
    "profiles": (_PACKAGE / "profiles", _PACKAGE.parent / "data" / "profiles"),
    "prompts": (_PACKAGE / "prompts", _PACKAGE.parent / "prompts"),
}


def data_dir(name: str) -> Path | None:
    """The folder of the shipped data ``name`` (``profiles`` or ``prompts``), or None when missing."""
    installed, checkout = _LOCATIONS[name]
    for d in (installed, checkout):
        if d.is_dir():
            return d
    return None
