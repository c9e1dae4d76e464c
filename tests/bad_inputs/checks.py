"""Shared checks for the bad-input matrix: every case fails cleanly, as the README promises.

Import with `from .checks import assert_clean_failure`.
"""

from __future__ import annotations

from typing import Any


def stderr_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def assert_clean_failure(result: Any, code: str | None = None, exit_code: int = 2) -> str:
    """A CLI result (click's CliRunner Result or a CompletedProcess) that failed as users should see it:
    the exit code, exactly one line on stderr (with the error code when given), no traceback.
    Returns that line."""
    status = getattr(result, "exit_code", None)
    if status is None:
        status = result.returncode
    err = result.stderr if isinstance(result.stderr, str) else result.stderr.decode("utf-8", "replace")
    assert status == exit_code, (status, err)
    assert "Traceback" not in err, err
    lines = stderr_lines(err)
    assert len(lines) == 1, lines
    if code:
        assert f"[{code}]" in lines[0], lines[0]
    return lines[0]
