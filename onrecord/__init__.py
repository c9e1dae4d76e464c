"""onrecord: who said what, to whom, when, and according to whom — as a checkable record.

>>> import onrecord
>>> article = onrecord.analyze("“We will not back down,” the mayor said on Monday.")
>>> article.attributions[0].source.name
'the mayor'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from onrecord.record import SCHEMA, Article

if TYPE_CHECKING:
    from onrecord.pipeline import analyze, analyze_many

__all__ = ["SCHEMA", "Article", "analyze", "analyze_many"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # The pipeline pulls in spaCy; importing it lazily keeps `import onrecord` and the CLI's --help fast.
    if name in ("analyze", "analyze_many"):
        from onrecord import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'onrecord' has no attribute {name!r}")
