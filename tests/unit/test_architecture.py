"""The layering holds: import-linter's contracts (pyproject.toml), a self-contained domain, no import cycles."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("pool", "projections", "api", "demo")


def test_import_linter_contracts_are_kept() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


# The domain's own vocabulary (its error classes and value types) lives beside it in pool/; they are
# leaves, so everything the domain reaches stays inside this set, the library and the standard library.
# pool.codes (the shipped coded lists) and pool.text (the one text rule) are such leaves; Babel gives
# the Swedish language names (CLDR).
DOMAIN = ("pool.domain", "pool.errors", "pool.values", "pool.codes", "pool.text", "pool.municipalities")
LIBRARIES = {"eventsourcing", "stdnum", "babel"}


def test_the_domain_imports_only_itself_the_library_and_the_standard_library() -> None:
    graph = grimp.build_graph(*PACKAGES, include_external_packages=True, cache_dir=None)
    allowed = LIBRARIES | set(sys.stdlib_module_names)
    modules = graph.find_descendants("pool.domain") | set(DOMAIN)
    strays = {
        (module, imported)
        for module in modules
        for imported in graph.find_modules_directly_imported_by(module)
        if not imported.startswith(DOMAIN) and imported.split(".")[0] not in allowed
    }
    assert not strays, sorted(strays)


def strongly_connected(edges: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative: the groups of modules that import each other in a circle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            for nxt in successors:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(edges.get(nxt, ())))))
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        groups.append(sorted(group))
    return groups


def test_strongly_connected_finds_a_circle() -> None:
    assert strongly_connected({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert strongly_connected({"a": {"b"}, "b": set()}) == []


def test_no_module_imports_itself_in_a_circle() -> None:
    """Imports inside functions count too: a lazy import is how a cycle hides."""
    graph = grimp.build_graph(*PACKAGES, exclude_type_checking_imports=True, cache_dir=None)
    edges = {m: set(graph.find_modules_directly_imported_by(m)) for m in graph.modules}
    assert strongly_connected(edges) == []
