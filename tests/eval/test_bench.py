"""`onrecord bench` reports throughput and the peak memory of each side."""

from __future__ import annotations

from onrecord import encoder
from onrecord.eval import bench
from onrecord.settings import Settings


def test_bench_reports_the_peak_memory_of_each_side(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("“We will reopen the bridge in May,” the mayor said on Monday.\n", encoding="utf-8")
    report = bench.run_bench([str(article)], settings=Settings())
    peaks = report["peak_rss_mb"]
    modes = {"raw_spacy", "onrecord"} | ({"accurate"} if encoder.available() else set())
    assert set(peaks) == modes  # the accurate mode is measured beside the default wherever it can run
    assert all(mb > 50 for mb in peaks.values())  # a loaded spaCy pipeline is far above 50 MB
    assert report["longest_article_chars"] == len(article.read_text(encoding="utf-8"))
    text = bench.format_report(report)
    assert "peak MB" in text and ("--accurate" in text) == encoder.available()


def test_peak_is_measured_again_after_a_reset():
    bench.reset_peak()
    before = bench.peak_mb()
    block = bytearray(200 * 1024 * 1024)  # touch 200 MB
    block[::4096] = b"x" * len(block[::4096])
    assert bench.peak_mb() >= before + 150
    del block
