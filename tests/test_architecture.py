"""House rules that hold by themselves (issue 13, item 7; docs/contributing.md).

Read from the source with `ast`, so they cover every module, including ones no test imports:

* views and the API never read a protected model (a `ScopedModel` or the vault's `Person`)
  through `Model.objects`: protected reads go through the app's scoped queries;
* nothing but settings reads the environment;
* only URL confs import views;
* no module in `simpul/` is over 600 lines;
* no app imports another app's private (underscore) names;
* only `simpul.core.grants` writes access grants;
* an import of ours inside a function breaks a real cycle and says which (`# cycle:`).

The import-linter contracts in pyproject.toml (`lint-imports`) hold the layers. Both run in
`make lint`. An entry in a KNOWN list below is a seam still being closed ("issue 13: being
fixed"); remove it once fixed: a new violation always fails.
"""

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.apps import apps

from simpul.core.models import ScopedModel

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "simpul"
MAX_LINES = 600

# Known violations, each to be fixed and taken off: none left, so any violation fails.
KNOWN_PROTECTED_READS: set[tuple[str, str]] = set()
KNOWN_ENVIRONMENT_READS: set[str] = set()
KNOWN_VIEW_IMPORTS: set[tuple[str, str]] = set()
KNOWN_LONG_MODULES: set[str] = set()
KNOWN_PRIVATE_IMPORTS: set[tuple[str, str]] = set()

# The settings modules read the environment; envconf is their parser. The entry points only
# name the settings module (`os.environ.setdefault("DJANGO_SETTINGS_MODULE", ...)`).
ENVIRONMENT_READERS = {"simpul/settings.py", "simpul/settings_test.py", "simpul/lib/envconf.py"}
ENTRY_POINTS = {"simpul/manage.py", "simpul/asgi.py", "simpul/wsgi.py"}


def _modules() -> Iterator[tuple[str, ast.Module, str]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        yield path.relative_to(ROOT).as_posix(), ast.parse(text, str(path)), text


MODULES = list(_modules())


def _dotted(relative: str) -> str:
    return relative.removesuffix(".py").removesuffix("/__init__").replace("/", ".")


def _is_view_module(relative: str) -> bool:
    parts = relative.split("/")
    return parts[2:3] == ["views.py"] or parts[2:3] == ["views"]


def _is_api_module(relative: str) -> bool:
    parts = relative.split("/")
    return parts[1] == "api" or parts[2:3] in (["api.py"], ["api"])


def _protected_models() -> set[str]:
    names = {m.__name__ for m in apps.get_models() if issubclass(m, ScopedModel)}
    names.add(apps.get_model("identity", "Person").__name__)
    return names


def _imported_modules(relative: str, tree: ast.Module) -> Iterator[tuple[str, list[str], int]]:
    """(module, names imported from it, line) for every import, relative ones resolved."""
    package = _dotted(relative)
    if not relative.endswith("__init__.py"):
        package = package.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, [], node.lineno
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join([*base, module] if module else base)
            yield module, [a.name for a in node.names], node.lineno


def test_views_and_the_api_never_read_a_protected_model_directly():
    protected = _protected_models()
    assert {"Person", "Intake", "Case", "Departure", "OutreachEvent", "Volunteer"} <= protected
    found = set()
    for relative, tree, _text in MODULES:
        if not (_is_view_module(relative) or _is_api_module(relative)):
            continue
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and node.attr in ("objects", "_default_manager")
                and isinstance(node.value, ast.Name)
                and node.value.id in protected
            ):
                found.add((relative, node.value.id))
    new = found - KNOWN_PROTECTED_READS
    assert not new, f"read these through the app's scoped queries: {sorted(new)}"


def _reads_environment(tree: ast.Module) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv", "environb"):
            if isinstance(node.value, ast.Name) and node.value.id == "os":
                lines.append(node.lineno)
        elif (
            isinstance(node, ast.ImportFrom)
            and node.module == "os"
            and any(a.name in ("environ", "getenv", "environb") for a in node.names)
        ):
            lines.append(node.lineno)
    return lines


def test_nothing_but_settings_reads_the_environment():
    found = set()
    for relative, tree, text in MODULES:
        if relative in ENVIRONMENT_READERS:
            continue
        lines = _reads_environment(tree)
        if relative in ENTRY_POINTS:
            source = text.splitlines()
            lines = [n for n in lines if "DJANGO_SETTINGS_MODULE" not in source[n - 1]]
        if lines:
            found.add(relative)
    new = found - KNOWN_ENVIRONMENT_READS
    assert not new, f"read the environment in simpul/settings.py instead: {sorted(new)}"


def test_only_settings_use_the_environment_parser():
    users = {
        relative
        for relative, tree, _text in MODULES
        for module, _names, _line in _imported_modules(relative, tree)
        if module == "simpul.lib.envconf"
    }
    assert users <= ENVIRONMENT_READERS


def _views_target(module: str, names: list[str]) -> str | None:
    """The views package an import reaches, if any."""
    parts = module.split(".")
    if len(parts) >= 3 and parts[0] == "simpul" and parts[2] == "views":
        return ".".join(parts[:3])
    if len(parts) == 2 and parts[0] == "simpul" and "views" in names:
        return f"{module}.views"
    return None


def test_only_url_confs_import_views():
    found = set()
    for relative, tree, _text in MODULES:
        here = _dotted(relative)
        is_urlconf = relative.endswith("/urls.py") or relative == "simpul/urls.py"
        for module, names, _line in _imported_modules(relative, tree):
            target = _views_target(module, names)
            if target is None or is_urlconf:
                continue
            if here == target or here.startswith(target + "."):
                continue  # inside the same views package
            found.add((relative, target))
    new = found - KNOWN_VIEW_IMPORTS
    assert not new, f"only URL confs import views: {sorted(new)}"


def test_no_module_is_over_600_lines():
    long = {relative for relative, _tree, text in MODULES if text.count("\n") > MAX_LINES}
    new = long - KNOWN_LONG_MODULES
    assert not new, f"split these by sub-domain (like simpul/migration): {sorted(new)}"


def _app_of(dotted: str) -> str:
    return ".".join(dotted.split(".")[:2])


def test_no_app_imports_another_apps_private_names():
    found = set()
    for relative, tree, _text in MODULES:
        here = _app_of(_dotted(relative))
        for module, names, _line in _imported_modules(relative, tree):
            if not module.startswith("simpul.") or _app_of(module) == here:
                continue
            for name in names:
                if name.startswith("_") and not name.startswith("__"):
                    found.add((relative, f"{module}.{name}"))
    new = found - KNOWN_PRIVATE_IMPORTS
    assert not new, f"use a public function of the other app: {sorted(new)}"


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ("import os\nx = os.environ['A']\n", True),
        ("import os\nx = os.getenv('A')\n", True),
        ("from os import environ\n", True),
        ("import os\nx = os.path.join('a')\n", False),
    ],
)
def test_the_environment_check_sees_every_spelling(source, found):
    assert bool(_reads_environment(ast.parse(source))) is found


GRANT_WRITER = "simpul/core/grants.py"
_WRITES = {"create", "get_or_create", "update_or_create", "bulk_create", "bulk_update"}
_WRITES |= {"update", "delete", "save", "select_for_update"}


def _chain_root(node: ast.AST) -> ast.AST:
    """The start of `A.objects.filter(...).update(...)`: A."""
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            node = node.value
        else:
            return node


def _grant_writes(tree: ast.Module) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        root = _chain_root(func)
        if not (isinstance(root, ast.Name) and root.id == "AccessGrant"):
            continue
        if func is root or (isinstance(func, ast.Attribute) and func.attr in _WRITES):
            lines.append(node.lineno)  # AccessGrant(...) or AccessGrant.objects....write()
    return lines


def test_only_the_grant_helper_writes_access_grants():
    """Grants are created, widened and revoked through simpul.core.grants only."""
    found = {
        f"{relative}:{line}"
        for relative, tree, _text in MODULES
        if relative != GRANT_WRITER
        for line in _grant_writes(tree)
    }
    assert not found, f"write grants through simpul.core.grants: {sorted(found)}"
    assert _grant_writes(dict((r, t) for r, t, _x in MODULES)[GRANT_WRITER])


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ("AccessGrant.objects.create(user=u)\n", True),
        ("AccessGrant.objects.get_or_create(user=u)\n", True),
        ("AccessGrant.objects.filter(kind=k).update(revoked_at=n)\n", True),
        ("AccessGrant(user=u).save()\n", True),
        ("AccessGrant.objects.filter(kind=k).exists()\n", False),
        ("AccessGrant.Kind.CREATOR\n", False),
    ],
)
def test_the_grant_write_check_sees_every_spelling(source, found):
    assert bool(_grant_writes(ast.parse(source))) is found


def _nested_simpul_imports(tree: ast.Module, text: str) -> Iterator[tuple[int, bool]]:
    """(line, has a `# cycle:` comment) for every import of ours below the module level, but
    those in an `AppConfig.ready()` (Django's hook for registering checks once apps load)."""
    lines = text.splitlines()
    top = set(map(id, tree.body))
    hooks = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef) and node.name == "ready"
        for inner in ast.walk(node)
    }
    for node in ast.walk(tree):
        if id(node) in top or id(node) in hooks:
            continue
        if isinstance(node, ast.Import):
            ours = any(a.name.split(".")[0] == "simpul" for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            ours = bool(node.level) or (node.module or "").split(".")[0] == "simpul"
        else:
            continue
        if ours:
            around = lines[node.lineno - 2 : node.end_lineno or node.lineno]
            yield node.lineno, any("# cycle:" in line for line in around)


def test_every_function_level_import_of_ours_names_the_cycle_it_breaks():
    """Imports go at the top of the module; one inside a function only breaks a real import
    cycle, and says which (`# cycle: x imports this module`) on the line above."""
    found = {
        f"{relative}:{line}"
        for relative, tree, text in MODULES
        for line, explained in _nested_simpul_imports(tree, text)
        if not explained
    }
    assert not found, f"import at the top, or say which cycle this breaks: {sorted(found)}"


@pytest.mark.parametrize(
    ("source", "unexplained"),
    [
        ("def f():\n    from simpul.x import y\n", 1),
        ("def f():\n    # cycle: simpul.x imports us\n    from simpul.x import y\n", 0),
        ("def f():\n    from . import y\n", 1),
        ("def f():\n    import json\n", 0),
        ("from simpul.x import y\n", 0),
        ("class C:\n    def ready(self):\n        from simpul.x import checks\n", 0),
    ],
)
def test_the_nested_import_check_sees_every_spelling(source, unexplained):
    tree = ast.parse(source)
    assert [ok for _line, ok in _nested_simpul_imports(tree, source)].count(False) == unexplained
