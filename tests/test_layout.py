"""The shape the code promises (README, "How it works"): one home for each shared idea, short functions,
and the environment read in one place.  These read the source, so a second copy fails here at once."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "onrecord"
MAX_FUNCTION_LINES = 60


def modules() -> list[tuple[Path, ast.Module]]:
    return [(path, ast.parse(path.read_text(encoding="utf-8"))) for path in sorted(PACKAGE.rglob("*.py"))]


def definitions() -> dict[str, set[str]]:
    """Top-level names each module defines (def, class or assignment), by name."""
    found: dict[str, set[str]] = defaultdict(set)
    for path, tree in modules():
        where = str(path.relative_to(PACKAGE.parent))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef | ast.ClassDef):
                found[node.name].add(where)
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        found[target.id].add(where)
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                found[node.target.id].add(where)
    return found


def test_no_function_is_longer_than_sixty_lines():
    long = [
        f"{path.relative_to(PACKAGE.parent)}:{node.lineno} {node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for path, tree in modules()
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert not long, long


ONE_HOME = {
    # the shared ideas of the README's module table, each defined in exactly one module
    "Errors": "onrecord/errors.py",
    "OnrecordError": "onrecord/errors.py",
    "CorpusUnavailable": "onrecord/errors.py",
    "Settings": "onrecord/settings.py",
    "iso_date": "onrecord/settings.py",
    "DEFAULT_MODEL": "onrecord/settings.py",
    "MODEL_ENV": "onrecord/settings.py",
    "DEFAULT_MAX_CHARS": "onrecord/settings.py",
    "ARTICLE_SUFFIXES": "onrecord/inputs.py",
    "content_hash": "onrecord/inputs.py",
    "iter_documents": "onrecord/inputs.py",
    "Seg": "onrecord/spans.py",
    "_is_trimmed_away": "onrecord/spans.py",
    "TABLES_MARKER": "onrecord/store/tables.py",
    "speaker_rows": "onrecord/keys.py",
    "fold": "onrecord/keys.py",
    "name_key": "onrecord/keys.py",
    "aliases": "onrecord/keys.py",
    "merge_speaker": "onrecord/keys.py",
    "category_sql": "onrecord/keys.py",
    "source_category": "onrecord/keys.py",
    "ACTS": "onrecord/record.py",
    "load_gold": "onrecord/eval/brat.py",
    "analyze_many": "onrecord/pipeline.py",
    "format_option": "onrecord/cli/common.py",
    "model_option": "onrecord/cli/common.py",
    "handle_errors": "onrecord/cli/common.py",
}


@pytest.mark.parametrize("name", sorted(ONE_HOME))
def test_each_shared_idea_is_defined_once(name):
    assert definitions()[name] == {ONE_HOME[name]}


def test_only_settings_reads_the_environment():
    readers = set()
    for path, tree in modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv"):
                readers.add(str(path.relative_to(PACKAGE.parent)))
    # the Spark job sets PYSPARK_PYTHON for its local workers (Spark's variable, not an onrecord knob)
    assert readers <= {"onrecord/settings.py", "onrecord/spark/job.py"}, readers
