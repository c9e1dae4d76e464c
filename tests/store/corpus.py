"""A small made-up news corpus for the store tests (written for these tests; no real articles).

Ten hand-written stories, each in a few variants (other towns, people and dates), so that a corpus of
30+ distinct articles has recurring speakers across articles, direct and indirect quotes, anonymous
sources and wire relays.
"""

from __future__ import annotations

import json
from pathlib import Path

STORIES = [
    (
        "Bridge repairs in {town}",
        "The bridge over the {river} in {town} will stay closed until {month}, the city council said on "
        "Monday.\n"
        "“We cannot reopen a bridge that is not safe,” Mayor {mayor} said at a news conference. “The "
        "engineers need another six weeks.”\n"
        "Shop owners said the closure had cut their sales by half.\n",
    ),
    (
        "Water prices rise in {town}",
        "{town} Water will raise its prices by {pct} percent next year, the company announced on "
        "Tuesday.\n"
        "Chief executive {ceo} said the money would pay for new pipes. “Nobody likes higher bills, but "
        "the old network is failing,” {ceo_last} told reporters.\n"
        "Two officials familiar with the plan said the regulator had approved it in private, according "
        "to Meridian Press.\n",
    ),
    (
        "School strike in {town}",
        "Teachers in {town} will strike on {day}, their union said.\n"
        "“Our members have been patient for two years,” union leader {union} said. “Patience has run "
        "out.”\n"
        "The education ministry said it regretted the decision and was ready to talk, Meridian Press "
        "reported.\n",
    ),
    (
        "Harbour expansion approved",
        "The port authority of {town} approved a plan to deepen the harbour, its chairman {chair} said "
        "on {day}.\n"
        "Environmental groups warned that the dredging would harm the {river} estuary.\n"
        "“This is a bad day for the birds of the estuary,” said {activist} of the Coastal Trust.\n",
    ),
    (
        "Hospital waiting lists grow",
        "Waiting lists at {town} General Hospital grew by {pct} percent this year, hospital figures "
        "show.\n"
        "Health minister {minister} said the government would hire more nurses. “We hear the patients "
        "and we will act,” {minister_last} said in parliament.\n"
        "A senior doctor, who asked not to be named, said the plan came too late.\n",
    ),
    (
        "Festival cancelled",
        "The summer festival in {town} has been cancelled because of the drought, organisers said on "
        "{day}.\n"
        "“It breaks my heart,” festival director {director} said. “But we cannot ask people to stand in "
        "forty degrees.”\n"
        "Local hotels said most bookings had already been refunded.\n",
    ),
    (
        "Train line to close for works",
        "The railway line between {town} and {other} will close for three weeks in {month}, the rail "
        "company said.\n"
        "Transport minister {transport} said the works were overdue. “Every passenger will benefit "
        "from this,” {transport_last} told Northwire.\n"
        "Commuter groups said the replacement buses would double journey times, Northwire reported.\n",
    ),
    (
        "Factory to cut jobs",
        "The tractor factory in {town} will cut {jobs} jobs, the company said on {day}.\n"
        "Union leader {union} called the decision a betrayal. “These families built this company,” "
        "{union_last} said.\n"
        "A company spokesperson said the cuts were needed to keep the plant open.\n",
    ),
    (
        "Library gets new home",
        "The public library of {town} will move into the old post office, Mayor {mayor} announced on "
        "{day}.\n"
        "“A library is the living room of a town,” {mayor_last} said.\n"
        "Residents said they were glad but worried about parking.\n",
    ),
    (
        "Floods hit farms",
        "Floods along the {river} have destroyed crops on more than {jobs} farms, the farmers' "
        "association said.\n"
        "“Some of us have lost everything,” farmer {farmer} said.\n"
        "Agriculture minister {minister} promised emergency aid, according to Northwire.\n",
    ),
]

TOWNS = [
    ("Harlow Bay", "Vessa", "Dunmere"),
    ("Kelton", "Ambry", "Harlow Bay"),
    ("Dunmere", "Orle", "Kelton"),
    ("Ostrava Minor", "Pell", "Ashgrove"),
]
PEOPLE = [
    {
        "mayor": "Lena Brask",
        "ceo": "Tomas Weir",
        "union": "Ida Fenwick",
        "chair": "Joris Kaan",
        "activist": "Mira Solt",
        "minister": "Piet Varga",
        "director": "Hanne Lund",
        "transport": "Oskar Brill",
        "farmer": "Jon Ashby",
    },
    {
        "mayor": "Carl Menner",
        "ceo": "Rhea Dalton",
        "union": "Ida Fenwick",
        "chair": "Selma Oort",
        "activist": "Mira Solt",
        "minister": "Piet Varga",
        "director": "Ugo Ferre",
        "transport": "Oskar Brill",
        "farmer": "Bea Kolm",
    },
    {
        "mayor": "Nadia Holm",
        "ceo": "Tomas Weir",
        "union": "Gus Pernell",
        "chair": "Joris Kaan",
        "activist": "Ansel Roe",
        "minister": "Vera Lindqvist",
        "director": "Hanne Lund",
        "transport": "Mats Quill",
        "farmer": "Jon Ashby",
    },
]
DAYS = ["Monday", "Wednesday", "Friday"]
MONTHS = ["March", "June", "October"]
PUBLISHERS = ["Harbour Herald", "Valley Courier", "The Morning Ledger"]


def articles(n: int = 30) -> list[dict]:
    """`n` distinct articles: {name, title, text, publisher, published}."""
    out = []
    i = 0
    while len(out) < n:
        story = STORIES[i % len(STORIES)]
        variant = i // len(STORIES)
        town, river, other = TOWNS[variant % len(TOWNS)]
        people = PEOPLE[(i + variant) % len(PEOPLE)]
        values = {
            "town": town,
            "river": river,
            "other": other,
            "day": DAYS[i % len(DAYS)],
            "month": MONTHS[i % len(MONTHS)],
            "pct": 4 + i % 9,
            "jobs": 120 + 10 * i,
            **people,
            **{f"{k}_last": v.split()[-1] for k, v in people.items()},
        }
        title, body = story
        out.append(
            {
                "name": f"story-{i:03d}",
                "title": title.format(**values),
                "text": body.format(**values),
                "publisher": PUBLISHERS[i % len(PUBLISHERS)],
                "published": f"2031-{1 + i % 12:02d}-{1 + i % 27:02d}",
            }
        )
        i += 1
    return out


def write_txt(folder: Path, docs: list[dict]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for doc in docs:
        (folder / f"{doc['name']}.txt").write_text(doc["text"], encoding="utf-8")
    return folder


def write_jsonl(path: Path, docs: list[dict], *, html: bool = False) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as f:
        for doc in docs:
            obj = {
                "id": doc["name"],
                "title": doc["title"],
                "publisher": doc["publisher"],
                "published": doc["published"],
            }
            obj["html" if html else "text"] = as_html(doc) if html else doc["text"]
            f.write(json.dumps(obj) + "\n")
    return path


def as_html(doc: dict) -> str:
    paragraphs = "".join(f"<p>{line}</p>\n" for line in doc["text"].splitlines() if line.strip())
    return (
        f"<!doctype html><html><head><title>{doc['title']}</title></head><body>"
        f"<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        f"<article><h1>{doc['title']}</h1>\n{paragraphs}</article>"
        f"<footer>Contact us</footer></body></html>"
    )


def write_warc(path: Path, docs: list[dict]) -> Path:
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        writer = WARCWriter(f, gzip=path.name.endswith(".gz"))
        for doc in docs:
            payload = as_html(doc).encode("utf-8")
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                f"https://news.example/{doc['name']}",
                "response",
                payload=BytesIO(payload),
                http_headers=headers,
            )
            writer.write_record(record)
        # a non-HTML record, which is not an article
        headers = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                "https://news.example/logo.png", "response", payload=BytesIO(b"\x89PNG"), http_headers=headers
            )
        )
    return path
