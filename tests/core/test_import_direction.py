"""Imports run one way, as docs/architecture.md says. Every module is parsed (never imported) with ``ast``.

- The core (``rapidreview``) imports no stage app.
- ``referrals`` <- ``panels`` <- ``agencychecks`` <- ``decisions``: a stage imports only the stages before it.
  ``actionplan`` and ``themes`` are ledgers: they import the core and ``referrals`` (never its services, which call
  them), ``themes`` also reads ``actionplan``; every stage may import them. Nothing imports ``benchmarks``.
- A models module never imports selectors.
- No function-local import, except the few kinds listed in ``LOCAL_IMPORTS_ALLOWED`` with the reason for each.
- No import looked up at run time or allowed to fail (``import_module``, ``find_spec``, ``except ImportError``):
  a missing app must stop the program, never quietly drop a check.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# What each top-level package may import from the project (besides itself). Anything not named is forbidden.
ALLOWED = {
    "rapidreview": set(),
    "referrals": {"rapidreview", "actionplan", "themes"},
    "panels": {"rapidreview", "referrals", "actionplan", "themes"},
    "agencychecks": {"rapidreview", "referrals", "panels", "actionplan", "themes"},
    "decisions": {"rapidreview", "referrals", "panels", "agencychecks", "actionplan", "themes"},
    "actionplan": {"rapidreview", "referrals"},
    "themes": {"rapidreview", "referrals", "actionplan"},
    "benchmarks": {"rapidreview", "referrals", "panels", "agencychecks", "decisions", "actionplan", "themes"},
}
APP_CODE = ["rapidreview", "referrals", "panels", "agencychecks", "decisions", "actionplan", "themes"]
LEDGERS = {"actionplan", "themes"}
# The referral services call the ledgers' services; the ledgers write timeline lines through referrals.timeline.
LEDGERS_NEVER_IMPORT = ("referrals.services",)

# Function-local imports that remain, each for a reason that is not a hidden import cycle.
LOCAL_IMPORTS_ALLOWED = {
    # Django runs ``AppConfig.ready()`` once the app registry is loaded; models cannot be imported before it.
    "apps.py": "AppConfig.ready() registers with the shell once every app is loaded",
    # WeasyPrint loads Pango and its fonts (tens of megabytes): only a process that renders a PDF pays for it.
    "weasyprint": "heavy native library, loaded on the first PDF",
    # The GOV.UK Notify client is needed only when settings choose the Notify e-mail backend.
    "notifications_python_client": "optional e-mail backend's client",
}
# Single functions still allowed a local import, each with its reason. Keep this list short and shrinking.
LOCAL_IMPORTS_IN_FUNCTIONS: dict[tuple[str, str], str] = {}


def _modules(packages=APP_CODE):
    for package in packages:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            yield path, ast.parse(path.read_text(), filename=str(path))


def _dotted(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _imported(path: Path, node) -> list[str]:
    """The absolute module names an import statement names (``from x import y`` counts as ``x.y`` and ``x``)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:
        package = _dotted(path).split(".")
        if path.name != "__init__.py":
            package = package[:-1]
        base = ".".join(package[: len(package) - node.level + 1] + ([node.module] if node.module else []))
    else:
        base = node.module or ""
    return [base] + [f"{base}.{alias.name}" for alias in node.names]


def _imports(packages=APP_CODE):
    """(path, lineno, imported module, enclosing function or None) for every import statement."""
    for path, tree in _modules(packages):
        stack = [(tree, None)]
        while stack:
            node, function = stack.pop()
            for child in ast.iter_child_nodes(node):
                inner = child.name if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) else function
                if isinstance(child, ast.Import | ast.ImportFrom):
                    for name in _imported(path, child):
                        yield path, child.lineno, name, function
                stack.append((child, inner))


def _where(path, lineno) -> str:
    return f"{path.relative_to(ROOT)}:{lineno}"


def test_the_core_imports_no_stage_app_and_each_app_only_the_ones_before_it():
    wrong = []
    for path, lineno, name, _ in _imports(list(ALLOWED)):
        own = path.relative_to(ROOT).parts[0]
        other = name.split(".")[0]
        if other in ALLOWED and other != own and other not in ALLOWED[own]:
            wrong.append(f"{_where(path, lineno)} {own} imports {name}")
    assert wrong == []


def test_the_ledgers_never_import_the_referral_services_that_call_them():
    wrong = [f"{_where(path, lineno)} imports {name}" for path, lineno, name, _ in _imports(sorted(LEDGERS))
             if name.startswith(LEDGERS_NEVER_IMPORT)]
    assert wrong == []


def test_models_never_import_selectors():
    wrong = []
    for path, lineno, name, _ in _imports():
        module = _dotted(path)
        if (module.endswith(".models") or ".models." in module) and "selectors" in name.split("."):
            wrong.append(f"{_where(path, lineno)} imports {name}")
    assert wrong == []


def test_no_function_local_imports_hide_a_cycle():
    wrong = []
    for path, lineno, name, function in _imports():
        if function is None or path.name in LOCAL_IMPORTS_ALLOWED or name.split(".")[0] in LOCAL_IMPORTS_ALLOWED:
            continue
        if (str(path.relative_to(ROOT)), function) in LOCAL_IMPORTS_IN_FUNCTIONS:
            continue
        wrong.append(f"{_where(path, lineno)} in {function}(): {name}")
    assert sorted(set(wrong)) == []


def test_no_import_cycle_between_modules():
    """Module-level imports form no cycle: each module can be imported first, by itself."""
    modules = {_dotted(path) for path, _ in _modules()}
    graph: dict[str, set[str]] = {module: set() for module in modules}
    for path, _, name, function in _imports():
        if function is None:
            parts = name.split(".")
            target = next((".".join(parts[:i]) for i in range(len(parts), 0, -1) if ".".join(parts[:i]) in modules),
                          None)
            if target and target != _dotted(path):
                graph[_dotted(path)].add(target)
    cycles, done = [], set()

    def visit(module, trail):
        if module in trail:
            cycles.append(" -> ".join([*trail[trail.index(module):], module]))
            return
        if module in done:
            return
        for target in sorted(graph[module]):
            visit(target, [*trail, module])
        done.add(module)

    for module in sorted(graph):
        visit(module, [])
    assert cycles == []


def test_nothing_is_imported_by_name_at_run_time_or_allowed_to_fail():
    wrong = []
    for path, tree in _modules([*APP_CODE, "benchmarks"]):
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if called in {"import_module", "find_spec", "__import__"}:
                    wrong.append(f"{_where(path, node.lineno)} calls {called}")
            if isinstance(node, ast.ExceptHandler) and node.type is not None:
                names = node.type.elts if isinstance(node.type, ast.Tuple) else [node.type]
                if any(getattr(n, "id", "") in {"ImportError", "ModuleNotFoundError"} for n in names):
                    wrong.append(f"{_where(path, node.lineno)} catches ImportError")
    assert wrong == []


def test_the_checks_see_the_code_base():
    """The scan itself can fail: it finds the modules and the imports the rules are about."""
    found = {(str(path.relative_to(ROOT)), name) for path, _, name, _ in _imports()}
    assert ("agencychecks/selectors.py", "panels.selectors") in found
    assert ("themes/services.py", "referrals.timeline") in found
    assert ("rapidreview/clocks/services.py", "rapidreview.clocks.ladders") in found
