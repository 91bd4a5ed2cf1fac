"""The package's import graph: the core imports nothing of the package outside
the core (no face, nor what the faces share), nothing is a cycle, the core's
rooms import one way down, and the faces import the JSON document only where
they print `--json` or serve an endpoint.

Every `import` of every module counts, those inside functions included (a lazy
import that dodges a cycle is a cycle); those under `if TYPE_CHECKING:` are
never run and are left out. docs/architecture.md describes the layout.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "beancount_freelance"


def module_name(path: Path, package: Path = PACKAGE) -> str:
    parts = path.relative_to(package.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imported(path: Path, modules: set[str], package_dir: Path = PACKAGE) -> set[str]:
    """The package's modules that a module imports when it runs.

    A module's own parent packages are left out: Python imports them first,
    before any module of theirs, and a package's `__init__` importing its
    modules is how a package is made, not a cycle.
    """
    name = module_name(path, package_dir)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    pending: list[ast.AST] = [ast.parse(path.read_text(encoding="utf-8"))]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.If) and _is_type_checking(node):
            pending.extend(node.orelse)
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0]
                base = f"{anchor}.{base}" if base else anchor
            submodules = {f"{base}.{alias.name}" for alias in node.names}
            found.update(submodules)
            # `from package import module` imports the module; a name from a
            # module (or a package's __init__) imports that module.
            if not submodules <= modules:
                found.add(base)
        pending.extend(ast.iter_child_nodes(node))
    owners = {_owner(target, modules) for target in found}
    parents = {name.rsplit(".", depth)[0] for depth in range(1, name.count(".") + 1)}
    return {owner for owner in owners if owner is not None} - {name} - parents


def _owner(target: str, modules: set[str]) -> str | None:
    """The package module an import names (a name imported from it: its module)."""
    while target:
        if target in modules:
            return target
        target = target.rpartition(".")[0]
    return None


def graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    paths = sorted(package.rglob("*.py"))
    modules = {module_name(path, package) for path in paths}
    return {
        module_name(path, package): imported(path, modules, package) for path in paths
    }


def is_face(module: str) -> bool:
    """A module of the package outside the core: a face (plugin, cli,
    fava_extension, importers) or what faces share (`text`, `i18n`)."""
    if not module.startswith("beancount_freelance."):
        return False
    return not module.startswith("beancount_freelance.core")


def test_the_core_imports_no_face() -> None:
    wrong = {
        (module, target)
        for module, targets in graph().items()
        if module.startswith("beancount_freelance.core")
        for target in targets
        if is_face(target)
    }
    assert wrong == set()


def test_no_import_cycle() -> None:
    assert cycles_of(graph()) == []


def cycles_of(edges: dict[str, set[str]]) -> list[list[str]]:
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        path.append(module)
        for target in sorted(edges.get(module, ())):
            if state.get(target) == 1:
                cycles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target)
        path.pop()
        state[module] = 2

    for module in sorted(edges):
        if module not in state:
            visit(module)
    return cycles


def test_the_graph_sees_function_level_imports() -> None:
    # The plugin imports the analysis inside a function, only when asked.
    assert "beancount_freelance.core.question" in graph()["beancount_freelance.plugin"]


def test_a_lazy_import_that_dodges_a_cycle_is_a_cycle(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    (package / "core").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "core" / "__init__.py").write_text("")
    (package / "core" / "a.py").write_text("from pkg.core import b\n")
    (package / "core" / "b.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from pkg import plugin\n"
        "def late():\n    from pkg.core.a import x\n"
    )
    (package / "plugin.py").write_text("")
    edges = graph(package)
    assert edges["pkg.core.b"] == {"pkg.core.a"}  # the type-only import is not run
    assert cycles_of(edges) == [["pkg.core.a", "pkg.core.b", "pkg.core.a"]]


# --- The core's rooms ----------------------------------------------------------

CORE = "beancount_freelance.core"

# The core's rooms, lowest first: a module imports its own room and the rooms of
# the levels below it, never a room of its own level or above (docs/architecture.md).
# The floor is the core's top-level modules that everything may use.
FLOOR = frozenset({"messages", "money", "dates"})  # dates: the calendar's end
LEVELS: tuple[frozenset[str], ...] = (
    frozenset({"floor"}),
    frozenset({"ledger"}),
    frozenset({"question"}),
    frozenset({"revenue", "receivables", "time"}),
    frozenset({"ahead"}),
    frozenset({"report"}),
    frozenset({"document"}),
)

# The modules of the faces (cli/, text/, fava_extension/, and the plugin and the
# importers alike) that print `--json` or serve an endpoint: the only ones that
# may import core.document. Every other module of a face reads the typed values.
JSON_SPEAKERS = frozenset(
    {
        "beancount_freelance.cli.commands",  # every `--json`
        "beancount_freelance.cli.hours",  # `hours --json`
        "beancount_freelance.cli.reminders_text",  # `reminders`/`statement --json`
        "beancount_freelance.fava_extension",  # the page's JSON endpoints
    }
)


def room_of(module: str) -> str | None:
    """The core's room a module is in (None: outside the core)."""
    if not module.startswith(f"{CORE}."):
        return None
    top = module.split(".")[2]
    return "floor" if top in FLOOR else top


def level_of(room: str) -> int:
    return next(i for i, rooms in enumerate(LEVELS) if room in rooms)


def upward_imports(edges: dict[str, set[str]]) -> set[tuple[str, str]]:
    """The imports of a room on its own level or above (not its own room)."""
    wrong = set()
    for module, targets in edges.items():
        room = room_of(module)
        if room is None:
            continue
        for target in targets:
            other = room_of(target)
            if other is None or other == room:
                continue
            if level_of(other) >= level_of(room):
                wrong.add((module, target))
    return wrong


def test_every_module_of_the_core_is_in_a_room() -> None:
    rooms = {room for level in LEVELS for room in level}
    found = {room_of(module) for module in graph()} - {None}
    assert found <= rooms


def test_no_room_imports_a_room_above_it_or_beside_it() -> None:
    assert upward_imports(graph()) == set()


def test_an_upward_import_is_found_and_a_type_only_one_is_not(
    tmp_path: Path,
) -> None:
    package = tmp_path / "beancount_freelance"
    for room in ("ledger", "revenue", "receivables"):
        (package / "core" / room).mkdir(parents=True)
        (package / "core" / room / "__init__.py").write_text('"""A room."""\n')
    (package / "__init__.py").write_text("")
    (package / "core" / "__init__.py").write_text("")
    (package / "core" / "money.py").write_text("")
    (package / "core" / "ledger" / "scan.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "from beancount_freelance.core import money\n"
        "if TYPE_CHECKING:\n"
        "    from beancount_freelance.core.revenue.lines import Line\n"
        "def late():\n"
        "    from beancount_freelance.core.revenue import lines\n"
    )
    (package / "core" / "revenue" / "lines.py").write_text(
        "from beancount_freelance.core.ledger.scan import late\n"
        "from beancount_freelance.core.receivables.items import Item\n"
    )
    (package / "core" / "receivables" / "items.py").write_text("")
    assert upward_imports(graph(package)) == {
        (
            "beancount_freelance.core.ledger.scan",
            "beancount_freelance.core.revenue.lines",
        ),
        (
            "beancount_freelance.core.revenue.lines",
            "beancount_freelance.core.receivables.items",
        ),
    }


def test_a_room_s_init_holds_a_docstring_only() -> None:
    inits = [PACKAGE / "core" / "__init__.py", *PACKAGE.glob("core/*/__init__.py")]
    more: list[str] = []
    for path in inits:
        body = ast.parse(path.read_text(encoding="utf-8")).body
        docstring = (
            len(body) == 1
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        )
        if not docstring:
            more.append(str(path.relative_to(PACKAGE)))
    assert more == []


def test_only_the_json_speakers_of_the_faces_import_the_document() -> None:
    importers = {
        module
        for module, targets in graph().items()
        if room_of(module) is None
        and any(room_of(target) == "document" for target in targets)
    }
    assert importers <= JSON_SPEAKERS


def test_one_class_per_name_across_the_package() -> None:
    homes: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                homes.setdefault(node.name, []).append(module_name(path))
    assert {name: found for name, found in homes.items() if len(found) > 1} == {}


# A function that fits on a screen (STYLE.md); the faces' are held elsewhere.
MAX_FUNCTION_LINES = 60
# None for now: the invoice matching is one class and its functions are short.
LONGER_FOR_NOW: frozenset[str] = frozenset()


def test_the_core_s_and_the_plugin_s_functions_fit_on_a_screen() -> None:
    paths = [*PACKAGE.glob("core/**/*.py"), PACKAGE / "plugin.py"]
    longer = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                assert node.end_lineno is not None
                if node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES:
                    longer.add(f"{module_name(path)}.{node.name}")
    assert longer - LONGER_FOR_NOW == set()
