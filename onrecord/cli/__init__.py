"""The command line: `onrecord` (see onrecord.cli.main)."""

from onrecord.cli.main import main

__all__ = ["main"]
