"""The audit action registry: every action the code writes is named in
`simpul.audit.catalogue` with a label in both languages, and the registry names nothing unused.

The source is walked with `ast`: the first argument of every call to `simpul.audit.log.record`
(under whatever local name it is imported), and every `action=` keyword (scoped reads pass the
action their refusal is audited as). A conditional expression counts both branches; a name
resolves to the module constant it refers to; an f-string `"prefix.{param}"` inside a function
is expanded from the literal values the module passes for that parameter.
"""

import ast
import importlib
from pathlib import Path

from django.utils import translation

from simpul.audit import catalogue

ROOT = Path(__file__).resolve().parents[2] / "simpul"
# Calls with an `action=` keyword that is not an audit action.
NOT_AUDIT = {"add_argument"}


def _func_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


class _Module:
    all_modules: list["_Module"] = []

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tree = ast.parse(path.read_text())
        self.record_names = set()
        self.imported: dict[str, tuple[str, str]] = {}
        for node in ast.walk(self.tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                for alias in node.names:
                    self.imported[alias.asname or alias.name] = (node.module, alias.name)
                    if node.module == "simpul.audit.log" and alias.name == "record":
                        self.record_names.add(alias.asname or alias.name)
        self.parents: dict[ast.AST, ast.AST] = {}
        for parent in ast.walk(self.tree):
            for child in ast.iter_child_nodes(parent):
                self.parents[child] = parent

    def where(self, node: ast.AST) -> str:
        return f"{self.path.relative_to(ROOT.parent)}:{getattr(node, 'lineno', '?')}"

    def enclosing_function(self, node: ast.AST) -> ast.FunctionDef | None:
        while node in self.parents:
            node = self.parents[node]
            if isinstance(node, ast.FunctionDef):
                return node
        return None

    def constant(self, name: str) -> str | None:
        for node in self.tree.body:
            if (
                isinstance(node, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == name for t in node.targets)
                and isinstance(node.value, ast.Constant)
                and isinstance(node.value.value, str)
            ):
                return node.value.value
        if name in self.imported:
            module, attr = self.imported[name]
            value = getattr(importlib.import_module(module), attr, None)
            return value if isinstance(value, str) else None
        return None

    def literal_arguments(self, function: ast.FunctionDef, param: str) -> list[ast.AST]:
        """The argument expressions passed for `param` of `function`, by any module that
        calls a function of that name (a package's helper is called from its siblings)."""
        params = [a.arg for a in function.args.args]
        index = params.index(param)
        found = []
        for module in self.all_modules:
            for node in ast.walk(module.tree):
                if isinstance(node, ast.Call) and _func_name(node) == function.name:
                    if index < len(node.args):
                        found.append(node.args[index])
                    found.extend(kw.value for kw in node.keywords if kw.arg == param)
        return found

    def expand(self, expr: ast.AST, site: ast.AST) -> tuple[list[str], list[str]]:
        """(action names the expression can take, problems)."""
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            return [expr.value], []
        if isinstance(expr, ast.IfExp):
            a, pa = self.expand(expr.body, site)
            b, pb = self.expand(expr.orelse, site)
            return a + b, pa + pb
        function = self.enclosing_function(site)
        params = (
            {a.arg for a in function.args.args + function.args.kwonlyargs} if function else set()
        )
        if isinstance(expr, ast.Name):
            if expr.id in params:
                return [], []  # passed through: the callers' `action=` are collected
            value = self.constant(expr.id)
            if value is not None:
                return [value], []
        if isinstance(expr, ast.JoinedStr) and function is not None:
            parts = expr.values
            if (
                len(parts) == 2
                and isinstance(parts[0], ast.Constant)
                and isinstance(parts[1], ast.FormattedValue)
                and isinstance(parts[1].value, ast.Name)
                and parts[1].value.id in params
            ):
                names, problems = [], []
                for arg in self.literal_arguments(function, parts[1].value.id):
                    values, p = self.expand(arg, arg)
                    names += [parts[0].value + v for v in values]
                    problems += p
                    if not values:
                        problems.append(f"{self.where(arg)}: {ast.unparse(arg)} is not literal")
                return names, problems
        return [], [f"{self.where(site)}: action {ast.unparse(expr)} cannot be checked"]

    def actions(self) -> tuple[dict[str, list[str]], list[str]]:
        used: dict[str, list[str]] = {}
        problems: list[str] = []
        for node in ast.walk(self.tree):
            if not isinstance(node, ast.Call):
                continue
            name = _func_name(node)
            exprs = []
            if name in self.record_names and node.args:
                exprs.append(node.args[0])
            if name not in NOT_AUDIT:
                exprs += [kw.value for kw in node.keywords if kw.arg == "action"]
            for expr in exprs:
                names, p = self.expand(expr, node)
                problems += p
                for n in names:
                    used.setdefault(n, []).append(self.where(node))
        return used, problems


def _used_actions() -> tuple[dict[str, list[str]], list[str]]:
    used: dict[str, list[str]] = {}
    problems: list[str] = []
    modules = [
        _Module(path) for path in sorted(ROOT.rglob("*.py")) if "migrations" not in path.parts
    ]
    _Module.all_modules = modules
    for module in modules:
        names, p = module.actions()
        problems += p
        for n, sites in names.items():
            used.setdefault(n, []).extend(sites)
    return used, problems


def test_every_audit_call_uses_a_registered_action():
    used, problems = _used_actions()
    assert problems == []
    unregistered = {n: sites for n, sites in used.items() if not catalogue.is_registered(n)}
    assert unregistered == {}
    assert len(used) > 100  # the walk found the calls (a broken walk finds none)


def test_the_registry_names_no_unused_action():
    used, _problems = _used_actions()
    assert sorted(set(catalogue.ACTIONS) - set(used)) == []


def test_renamed_codes_of_stored_rows_point_at_registered_actions():
    assert all(catalogue.is_registered(new) for new in catalogue.RENAMED.values())
    assert not set(catalogue.RENAMED) & set(catalogue.ACTIONS)
    with translation.override("en"):
        assert catalogue.label("returnevent.view") == catalogue.label("return.view")
        assert catalogue.label("returnevent.view") == "Return viewed"
        assert catalogue.label("no.such_action") == "Other action"


def test_the_walk_sees_conditional_constant_and_formatted_actions():
    used, _problems = _used_actions()
    for name in (
        "intake.triage",  # one branch of a conditional expression
        "intake.follow_up",  # the other branch
        "audit.rekey",  # a module constant
        "case.assessment_returned",  # f"case.{kind}" with the kinds passed
        "return.access",  # an action= keyword of a scoped read
    ):
        assert name in used, name
