"""Code that nothing in production calls says one thing and does another: a reader takes it for a
rule the product applies. These checks fail when a selector, an Organisation property or an empty
package is left behind with only tests (or nothing) using it."""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import pytest

import vangnet

PACKAGE = Path(vangnet.__file__).parent
# jikp and dossiers are being cleaned up in parallel (issue 8); add them here once they are.
APPS_WITH_SELECTORS = [
    "accounts",
    "audit",
    "dossiers",
    "jikp",
    "organisations",
    "students",
    "transfers",
    "youth",
]


@cache
def production_sources() -> dict[Path, str]:
    """Every production module and template, without tests and migrations."""
    paths = [
        path
        for pattern in ("*.py", "*.html", "*.txt")
        for path in PACKAGE.rglob(pattern)
        if "tests" not in path.parts and "migrations" not in path.parts
    ]
    return {path: path.read_text(encoding="utf-8") for path in paths}


def unused(names: list[str], defined_in: Path) -> list[str]:
    """The names that no production source mentions, apart from their own definition."""
    result = []
    for name in names:
        word = re.compile(rf"\b{re.escape(name)}\b")
        uses = sum(
            len(word.findall(text)) - (1 if path == defined_in else 0)
            for path, text in production_sources().items()
        )
        if uses == 0:
            result.append(name)
    return result


@pytest.mark.parametrize("app", APPS_WITH_SELECTORS)
def test_every_selector_has_a_production_caller(app):
    for module in sorted((PACKAGE / app).glob("selectors*.py")):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        names = [
            node.name
            for node in tree.body
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_")
        ]
        assert unused(names, module) == [], f"{module.name} of {app}: only tests use these"


def test_every_organisation_property_is_used():
    module = PACKAGE / "organisations" / "models.py"
    tree = ast.parse(module.read_text(encoding="utf-8"))
    organisation = next(
        node for node in tree.body if isinstance(node, ast.ClassDef) and node.name == "Organisation"
    )
    properties = [
        node.name
        for node in organisation.body
        if isinstance(node, ast.FunctionDef)
        and any(isinstance(d, ast.Name) and d.id == "property" for d in node.decorator_list)
    ]
    assert unused(properties, module) == []


def test_no_empty_packages():
    empty = [
        str(init.parent.relative_to(PACKAGE))
        for init in PACKAGE.rglob("__init__.py")
        if init.parent.name != "migrations"  # an app without models keeps an empty one
        and not init.read_text(encoding="utf-8").strip()
        and [p.name for p in init.parent.iterdir() if p.name != "__pycache__"] == ["__init__.py"]
    ]
    assert empty == []
