"""Browser code lives in `assets/*.js`, never in Python strings: the Python names clientside
functions (`ClientsideFunction("nsps", name)`), the scripts define them
(`window.dash_clientside.nsps`), and the pages served outside Dash load scripts by URL.

Read from the source (AST and text), so a JavaScript snippet pasted into a Python string or a
template fails here before it reaches a reader's browser."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard.config import REPO_ROOT

#: The application's Python (tests and scripts drive browsers and may hold JavaScript).
PYTHON = sorted(
    [REPO_ROOT / "app.py"]
    + [
        path
        for folder in ("layouts", "callbacks", "dashboard", "geo")
        for path in (REPO_ROOT / folder).rglob("*.py")
    ]
)
#: What marks JavaScript source: a function, an arrow function, the page's globals, a script.
JAVASCRIPT = re.compile(
    r"\bfunction\s*\w*\s*\(|\)\s*=>|\b(?:window|document)\.\w|<script\b|\bon[a-z]+\s*=\s*[\"']"
)
ASSETS = sorted((REPO_ROOT / "assets").glob("*.js"))
TEMPLATES = sorted((REPO_ROOT / "layouts" / "templates").rglob("*.html"))


def _docstrings(tree: ast.Module) -> set[int]:
    """ids of the string nodes that are docstrings (prose that may name `<script>`)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _strings(path: Path) -> Iterator[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = _docstrings(tree)
    for node in ast.walk(tree):
        is_text = isinstance(node, ast.Constant) and isinstance(node.value, str)
        if is_text and id(node) not in docstrings:
            yield node.lineno, node.value


def _clientside_names(path: Path) -> Iterator[tuple[int, ast.expr]]:
    """The first argument of every `….clientside_callback(…)` call."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "clientside_callback"
        ):
            yield node.lineno, node.args[0] if node.args else node.keywords[0].value


def test_browser_code_no_javascript_in_python_strings() -> None:
    found = [
        f"{path.relative_to(REPO_ROOT)}:{line}: {text[:60]!r}"
        for path in PYTHON
        for line, text in _strings(path)
        if JAVASCRIPT.search(text)
    ]
    assert not found, "move browser code to assets/*.js:\n" + "\n".join(found)


def test_browser_code_detector_sees_javascript_in_a_string(tmp_path: Path) -> None:
    """The check above can fail: a clientside function pasted as a string is found."""
    source = tmp_path / "pasted.py"
    source.write_text(
        '"""A module."""\n'
        'app.clientside_callback("function(n) { return n; }", Output("x", "y"))\n'
        'TEXT = "A target is a date."\n',
        encoding="utf-8",
    )
    assert [text for _line, text in _strings(source) if JAVASCRIPT.search(text)] == [
        "function(n) { return n; }"
    ]


@pytest.mark.parametrize("path", [p for p in PYTHON if "clientside_callback" in p.read_text()])
def test_browser_code_clientside_callbacks_name_functions_defined_in_assets(path: Path) -> None:
    scripts = "\n".join(asset.read_text(encoding="utf-8") for asset in ASSETS)
    for line, first in _clientside_names(path):
        where = f"{path.relative_to(REPO_ROOT)}:{line}"
        assert isinstance(first, ast.Call) and getattr(first.func, "id", "") == (
            "ClientsideFunction"
        ), f"{where}: name a function of assets/*.js with ClientsideFunction"
        namespace, name = (arg.value for arg in first.args)  # type: ignore[attr-defined]
        assert namespace == "nsps", where
        assert re.search(rf"\b{name}\s*:\s*function\b", scripts), f"{where}: {name} undefined"


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.name)
def test_browser_code_templates_load_scripts_by_url_or_carry_json(template: Path) -> None:
    """A page outside Dash runs no inline script (the Content-Security-Policy forbids it):
    each `<script>` either loads a file or holds JSON data."""
    for tag in re.findall(r"<script\b[^>]*>", template.read_text(encoding="utf-8")):
        assert " src=" in tag or 'type="application/json"' in tag, f"{template.name}: {tag}"
