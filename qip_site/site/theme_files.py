"""The theme's files, listed once per process.

Each build, MkDocs lists every file in the theme's folders to copy its assets
(`Files.add_files_from_theme`). Material ships some 14,000 icons under `.icons/`, which MkDocs walks,
tests against its patterns and then drops (it never copies a file under a dot folder): one school's
build in a running process (a rebuild of the preview) took 0.29 CPU-seconds with that walk, 0.25
without. The installed theme's folders do not change while a process runs, so they are listed once,
without their dot folders; the project's own theme folder (overrides/, which an editor may change
between two rebuilds of the preview) is listed every time. What MkDocs copies is the same: only files
it would drop are left out of the list.
"""

from __future__ import annotations

import os
from collections.abc import Collection

import jinja2
from mkdocs.theme import Theme

_LISTED: dict[str, list[str]] = {}  # an installed theme folder -> its files, as template names


def list_installed_once(theme: Theme) -> None:
    """Make `theme.get_env()` give environments whose loader lists the installed theme folders (all but
    the project's `custom_dir`) once per process."""
    make_env = theme.get_env
    folders = list(theme.dirs)
    installed = {folder for folder in folders if folder != theme.custom_dir}

    def get_env() -> jinja2.Environment:
        env = make_env()
        env.loader = _Loader(folders, installed)
        return env

    theme.get_env = get_env  # type: ignore[method-assign]


class _Loader(jinja2.FileSystemLoader):
    """Jinja's file loader, whose list of templates reads each installed folder once."""

    def __init__(self, folders: list[str], installed: Collection[str]):
        super().__init__(folders)
        self._installed = installed

    def list_templates(self) -> list[str]:
        found: set[str] = set()
        for folder in self.searchpath:
            if folder not in self._installed:
                found.update(_files(folder))
            else:
                if folder not in _LISTED:
                    _LISTED[folder] = _files(folder)
                found.update(_LISTED[folder])
        return sorted(found)


def _files(folder: str) -> list[str]:
    """Every file under `folder` as a template name ("partials/header.html"), dot folders left out."""
    names: list[str] = []
    for parent, subfolders, files in os.walk(folder):
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        prefix = os.path.relpath(parent, folder).replace(os.sep, "/")
        names.extend(name if prefix == "." else f"{prefix}/{name}" for name in files)
    return names
