"""Train the cue model and write it where the package loads it from (onrecord/attribute/data/model.npz).

The same as `onrecord train`, with the shipped destination as default and a parse cache for iterating:

    .venv/bin/python scripts/train_model.py ../shared/eval/polnear/train [--cache /tmp/train.spacy]

Train on the train split only; the dev split is for measuring (`onrecord evaluate`).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from onrecord.attribute import train
from onrecord.settings import DEFAULT_MODEL


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path, help="brat corpus: text/*.txt, attributions/*.ann")
    parser.add_argument("--out", type=Path, default=train.CONFIG.parent, help="folder for model.npz")
    parser.add_argument("--config", type=Path, default=train.CONFIG, help="training settings (TOML)")
    parser.add_argument("--model", default=DEFAULT_MODEL, help="spaCy pipeline")
    parser.add_argument("--cache", type=Path, help="DocBin file to keep the parses in between runs")
    args = parser.parse_args()
    config = train.Config.read(args.config)
    train.train(args.corpus, args.out, spacy_model=args.model, config=config, cache=args.cache)


if __name__ == "__main__":
    main()
