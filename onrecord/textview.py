"""The `--format text` view: a readable table of who said what."""

from __future__ import annotations

import shutil
import textwrap

from onrecord.record import Article


def table(name: str, article: Article, width: int | None = None) -> str:
    width = width or min(shutil.get_terminal_size((120, 20)).columns, 160)
    rows = [("speaker", "type", "act", "cue", "content")]
    for a in article.attributions:
        speaker = a.source.name if a.source and a.source.name else "—"
        if a.parent:
            speaker = f"↳ {speaker}"
        cue = a.cue.text if a.cue else "—"
        content = " ".join(a.content.text.split())
        rows.append((speaker, a.type, a.act, cue, content))
    widths = [max(len(r[i]) for r in rows[:1]) for i in range(4)]
    for r in rows[1:]:
        widths = [min(24, max(widths[i], len(r[i]))) for i in range(4)]
    rest = max(30, width - sum(widths) - 8)
    lines = [f"# {name}: {len(article.attributions)} attributions"]
    for r in rows:
        wrapped = textwrap.wrap(r[4], rest) or [""]
        cells = [_fit(r[i], widths[i]) for i in range(4)]
        lines.append("  ".join([*cells, wrapped[0]]))
        pad = " " * (sum(widths) + 8)
        lines.extend(pad + more for more in wrapped[1:])
    return "\n".join(lines)


def _fit(text: str, width: int) -> str:
    return (text if len(text) <= width else text[: width - 1] + "…").ljust(width)
