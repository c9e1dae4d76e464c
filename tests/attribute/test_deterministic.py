"""The same text gives the same record in every process: nothing the rules decide may follow the order
of a set, which Python changes with each process' hash seed (a cue with two prepositional frames,
"referring to X as Y", once read its content from either one)."""

from __future__ import annotations

import os
import subprocess
import sys

# Made up for this test.
TEXT = 'The minister, who kept referring to the harbour board as "the real problem," left early.\n'


def test_the_rules_give_one_record_whatever_the_hash_seed(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text(TEXT, encoding="utf-8")
    outputs = set()
    for seed in ("1", "3", "5", "6"):  # seeds 3 and 5 read the other frame before the fix
        env = {**os.environ, "PYTHONHASHSEED": seed}
        command = [sys.executable, "-m", "onrecord.cli", "analyze", str(article), "--no-model", "--format", "json"]
        done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300, check=True)
        outputs.add(done.stdout)
    assert len(outputs) == 1
