"""No import cycle among Doorway's own modules, counting imports made only for type checking.

A cycle that only `TYPE_CHECKING` hides still ties two modules together: neither can be read,
moved or tested without the other. grimp (import-linter's graph) records those imports too.
"""

from __future__ import annotations

import grimp

PACKAGES = ("bot", "handlers", "storage", "prompts", "console")


def cycles(graph: grimp.ImportGraph, modules: set[str]) -> list[list[str]]:
    """Every group of modules that import each other, directly or not (Tarjan's SCCs)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for imported in sorted(graph.find_modules_directly_imported_by(module) & modules):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group: list[str] = []
            while not group or group[-1] != module:
                group.append(stack.pop())
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(modules):
        if module not in index:
            visit(module)
    return found


def _describe(graph: grimp.ImportGraph, group: list[str]) -> str:
    lines = []
    for importer in group:
        for imported in sorted(graph.find_modules_directly_imported_by(importer) & set(group)):
            for detail in graph.get_import_details(importer=importer, imported=imported):
                lines.append(f"  {importer}:{detail['line_number']} {detail['line_contents']}")
    return "\n".join(lines)


def test_no_module_imports_itself_through_others() -> None:
    graph = grimp.build_graph(*PACKAGES, cache_dir=None)
    modules = {m for m in graph.modules if m.split(".")[0] in PACKAGES}
    found = cycles(graph, modules)
    assert not found, "import cycles:\n" + "\n\n".join(_describe(graph, g) for g in found)


def test_packages_do_not_import_each_other_in_a_circle() -> None:
    """A cycle between a package and its siblings counts too (bot.decisions <-> bot.services)."""
    graph = grimp.build_graph(*PACKAGES, cache_dir=None)
    packages = {m for m in graph.modules if graph.find_children(m)}
    for package in sorted(packages):
        children = set(graph.find_children(package))
        squashed = grimp.build_graph(*PACKAGES, cache_dir=None)
        for child in children:
            if squashed.find_children(child):
                squashed.squash_module(child)
        found = cycles(squashed, children)
        assert not found, f"import cycles in {package}:\n" + "\n\n".join(
            _describe(squashed, g) for g in found
        )
