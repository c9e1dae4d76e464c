"""Bad input to the web app, in process (FastAPI TestClient): every case a clear 4xx with a coded message, never a 500.

Covers issue 14's web cases (a lone surrogate in the API and the form, huge offsets, HEAD, the 413
page, text and file together, non-UTF-8 uploads) and a bounded fuzz of every route's parameters.
"""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import quote

import pytest

from tests.web.conftest import TestClient

SURROGATE_JSON = rb'{"text": "\"Hi \ud800 there,\" she said."}'
HUGE = "9223372036854775808"  # 2**63: past DuckDB's BIGINT, a 500 before
ARTICLE = "“We will reopen the bridge in May,” the mayor said on Monday."


@pytest.fixture(scope="module")
def client(corpus_db):
    """The app over the shared test corpus (tests/conftest.py); a server error comes back as its 500."""
    from onrecord.web.app import create_app

    with TestClient(create_app(corpus_db), raise_server_exceptions=False) as c:
        yield c


def assert_clear_4xx(response, status: int | None = None, code: str | None = None) -> str:
    """A 4xx with its code and message, as JSON from /api and as a page in the layout otherwise."""
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:500])
    if status is not None:
        assert response.status_code == status, response.text[:500]
    assert "Traceback" not in response.text
    if response.headers["content-type"].startswith("application/json"):
        body = response.json()
        assert body["detail"] and re.fullmatch(r"E\d{3}", body["code"]), body
        found, message = body["code"], body["detail"]
    else:
        assert 'role="alert"' in response.text and '<header class="top">' in response.text
        found = re.search(r'<span class="code">(E\d{3})</span>', response.text).group(1)
        message = unescape(re.search(r'role="alert">(.*?)</p>', response.text, re.S).group(1))
    if code is not None:
        assert found == code, (found, message)
    return message


# --- lone surrogates -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        SURROGATE_JSON,
        rb'{"html": "<html><body><p>\"Hi \ud800 there,\" she said.</p></body></html>"}',
        rb'{"text": "Hi there, she said to the mayor.", "publisher": "Ledger \udfff"}',
        b'{"text": "\xed\xa0\x80 raw bytes of a surrogate, she said."}',  # json reads them with surrogatepass
    ],
)
def test_api_lone_surrogate_is_a_400_naming_it(client, body):
    response = client.post("/api/analyze", content=body, headers={"content-type": "application/json"})
    message = assert_clear_4xx(response, 400, "E195")
    assert "surrogate" in message and "U+D" in message


def test_api_valid_surrogate_pair_is_analysed(client):
    body = rb'{"text": "\"Hi \ud83d\ude00 there, we will reopen the bridge,\" she said."}'
    response = client.post("/api/analyze", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 200 and "\U0001f600" in response.json()["text"]


def test_form_field_that_is_not_utf8_is_a_400_naming_it(client):
    multipart = (
        b'--B\r\nContent-Disposition: form-data; name="text"\r\n\r\n"Hi \xed\xa0\x80 there," she said.\r\n--B--\r\n'
    )
    response = client.post("/analyze", content=multipart, headers={"content-type": "multipart/form-data; boundary=B"})
    assert "'text'" in assert_clear_4xx(response, 400, "E196")
    urlencoded = b"text=%22Hi+%ED%A0%80+there%2C%22+she+said.&published="
    response = client.post(
        "/analyze", content=urlencoded, headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert "'text'" in assert_clear_4xx(response, 400, "E196")


# --- paging numbers --------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/speakers", "/speakers", "/api/quotes", "/quotes"])
@pytest.mark.parametrize("value", [HUGE, "-1", "1000000001", "abc", "1.5"])
def test_out_of_range_offset_is_a_422(client, path, value):
    message = assert_clear_4xx(client.get(path, params={"offset": value}), 422, "E200")
    assert "offset" in message


@pytest.mark.parametrize("path", ["/api/speakers", "/api/quotes"])
@pytest.mark.parametrize("value", [HUGE, "0", "-5", "100000"])
def test_out_of_range_limit_is_a_422(client, path, value):
    assert "limit" in assert_clear_4xx(client.get(path, params={"limit": value}), 422, "E200")


def test_the_largest_offset_is_an_empty_page(client):
    for path, rows in (("/api/speakers", "speakers"), ("/api/quotes", "quotes")):
        data = client.get(path, params={"offset": 1_000_000_000}).json()
        assert data[rows] == [] and data["offset"] == 1_000_000_000
    assert client.get("/speakers", params={"offset": 1_000_000_000}).status_code == 200


# --- HEAD ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/", "/api", "/health", "/speakers", "/publishers", "/quotes", "/api/speakers", "/static/app.css"]
)
def test_head_answers_like_get_without_a_body(client, path):
    get, head = client.get(path), client.head(path)
    assert head.status_code == get.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    assert int(head.headers["content-length"]) == len(get.content)


def test_head_of_a_missing_page_is_a_404_without_a_body(client):
    head = client.head("/no/such/page")
    assert head.status_code == 404 and head.content == b""


# --- the 413 page ----------------------------------------------------------------------------------


def test_413_is_a_page_in_the_layout_naming_the_limit(nlp):
    from onrecord.settings import Settings
    from onrecord.web.app import create_app

    small = TestClient(create_app(settings=Settings(max_body_mb=0.01)))
    response = small.post("/analyze", data={"text": ARTICLE * 300})
    message = assert_clear_4xx(response, 413, "E201")
    assert "0.01 MB" in message and "--max-body-mb" in message
    assert 'href="/static/app.css"' in response.text and 'id="back"' in response.text
    assert "cannot send your text back" in response.text and 'id="draft-kept"' in response.text
    api = small.post("/api/analyze", json={"text": ARTICLE * 300})
    assert "0.01 MB" in assert_clear_4xx(api, 413, "E201")
    script = small.get("/static/app.js").text
    assert "sessionStorage" in script and "draft-done" in script  # kept before submit, restored on the form


# --- text and file together; uploads that are not UTF-8 ---------------------------------------------


def test_text_and_file_together_are_refused_naming_both(client):
    response = client.post(
        "/analyze", data={"text": ARTICLE}, files={"file": ("bridge.txt", ARTICLE.encode(), "text/plain")}
    )
    message = assert_clear_4xx(response, 400, "E194")
    assert "bridge.txt" in message and "text" in message
    assert ARTICLE in unescape(response.text)  # the pasted text stays in the form


def test_a_windows_1252_upload_is_read_as_the_cli_reads_it_and_says_so(client):
    from onrecord.inputs import from_bytes

    data = "“We will reopen the café in May,” the mayor said.".encode("cp1252")
    response = client.post("/analyze", files={"file": ("cafe.txt", data, "text/plain")})
    assert response.status_code == 200
    html = unescape(response.text)
    assert 'id="decoding-notice"' in html and "cafe.txt is not UTF-8" in html and "Windows-1252" in html
    assert "the byte\n  0x93 at position 0" in html
    record = re.search(r'<script type="application/json" id="record-json">(.*?)</script>', response.text, re.S)
    assert from_bytes(data, "cafe.txt").text in unescape(record.group(1)).encode().decode("unicode_escape")


def test_a_utf8_upload_has_no_notice(client):
    response = client.post("/analyze", files={"file": ("bridge.txt", ARTICLE.encode(), "text/plain")})
    assert response.status_code == 200 and 'id="decoding-notice"' not in response.text


def test_utf16_with_a_lone_surrogate_is_a_400(client):
    data = b"\xff\xfe" + "Hi ".encode("utf-16-le") + b"\x00\xd8" + " there, she said.".encode("utf-16-le")
    response = client.post("/analyze", files={"file": ("odd.txt", data, "text/plain")})
    assert "odd.txt" in assert_clear_4xx(response, 400, "E024")


# --- a bounded fuzz of every route ------------------------------------------------------------------

ODD = [
    "-1",
    HUGE,
    "-" + HUGE,
    "abc",
    "",
    "x" * 3000,
    "é中😀",
    "%ED%A0%80",
    "'; DROP TABLE articles; --",
    "\x00",
]


def send_odd(client, route, names: list[str]) -> int:
    """Each ODD value in `route`'s path parameters and in each of the query parameters `names` in turn: never a
    500, and any 4xx a clear one.  How many requests were sent (a route without parameters: one)."""
    sent = 0
    for value in ODD:
        url = re.sub(r"\{[^}]+\}", lambda _, v=value: quote(v, safe="") or "x", route.path)
        for params in [{name: value} for name in names] or [{}]:
            response = client.get(url, params=params)
            sent += 1
            assert response.status_code < 500, (url, params, response.text[:300])
            if response.status_code >= 400:
                assert_clear_4xx(response)
        if not route.dependant.path_params and not names:
            break
    return sent


def get_routes() -> list:
    from onrecord.web.routers import article, corpus, meta

    return [r for m in (article, corpus, meta) for r in m.router.routes if "GET" in r.methods]


def test_no_get_route_answers_500_to_odd_parameters(client):
    sent = 0
    for route in get_routes():
        sent += send_odd(client, route, [p.name for p in route.dependant.query_params])
    raw = ["/api/speakers?q=%ED%A0%80", "/speakers/%ED%A0%80", "/api/quotes?q=%FF%FE", "/articles/%00"]
    for url in raw:
        assert client.get(url).status_code < 500, url
    assert sent > 100


@pytest.mark.parametrize(
    "body",
    [
        b"[]",
        b'"just a string"',
        b"null",
        b'{"text": ["a"]}',
        b'{"text": "ok", "publisher": 5}',
        b'{"text": "The mayor said so.", "published": "9999-99-99"}',
        b'{"text": "The mayor said so.", "published": "\\ud800"}',
        b'{"text": "\\u0000\\u0000 said the mayor"}',
        b'{"text": ' + b"[" * 5000 + b"]" * 5000 + b"}",
        b"\xff\xfe{}",
        b'{"text": "a", "text": "b", "html": 1}',
    ],
)
def test_api_analyze_odd_bodies_are_4xx(client, body):
    response = client.post("/api/analyze", content=body, headers={"content-type": "application/json"})
    assert_clear_4xx(response)


@pytest.mark.parametrize(
    ("content", "headers"),
    [
        (b"text=", {"content-type": "application/x-www-form-urlencoded"}),
        (b"garbage", {"content-type": "multipart/form-data; boundary=B"}),
        (b"--B\r\nno headers\r\n--B--", {"content-type": "multipart/form-data; boundary=B"}),
        (b"text=hello", {"content-type": "multipart/form-data"}),
        (b"{}", {"content-type": "application/json"}),
        (b"text=%22Hi%22+she+said&published=2031-02-30", {"content-type": "application/x-www-form-urlencoded"}),
    ],
)
def test_odd_forms_are_4xx(client, content, headers):
    assert_clear_4xx(client.post("/analyze", content=content, headers=headers))


@pytest.mark.parametrize(
    "filename", ["../../etc/passwd.txt", "é中😀.txt", "noext", "x" * 300 + ".txt", ".html", "a.HTML"]
)
def test_odd_upload_names_are_handled(client, filename):
    response = client.post("/analyze", files={"file": (filename, b"\x00\x01binary", "application/octet-stream")})
    assert_clear_4xx(response, 400)


# --- statements (issue 12) ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/statements/st:000000000000", 404),
        ("/api/statements/st:000000000000", 404),
        ("/statements/" + "x" * 300, 422),
        ("/api/statements?since=2031-02-30", 422),
        ("/statements?until=yesterday", 422),
        ("/statements?min_publishers=-1", 422),
        ("/api/statements?min_publishers=" + HUGE, 422),
        ("/api/statements?offset=" + HUGE, 422),
        ("/api/statements?limit=0", 422),
        ("/statements?changed=maybe", 422),
        ("/statements.xml", 422),
        ("/statements.csv?since=%ED%A0%80", 422),
        ("/api/statements?speaker=" + "x" * 3000, 422),
    ],
)
def test_bad_statement_ids_and_filters_are_one_clear_4xx(client, url, status):
    assert_clear_4xx(client.get(url), status)


def test_no_statement_route_answers_500_to_odd_parameters(client):
    """Every GET route of the statements router, its filters (a sub-dependency) included."""
    from onrecord.web.routers import statements

    sent = 0
    for route in (r for r in statements.router.routes if "GET" in r.methods):
        names = [p.name for p in route.dependant.query_params]
        names += [p.name for d in route.dependant.dependencies for p in d.query_params]
        sent += send_odd(client, route, names)
    assert sent > 100


# --- the corpus lists' filters (issue 13) -----------------------------------------------------------

LISTS = [
    "/quotes",
    "/api/quotes",
    "/quotes.csv",
    "/speakers",
    "/api/speakers",
    "/speakers.json",
    "/articles",
    "/api/articles",
    "/articles.csv",
    "/publishers",
    "/api/publishers",
    "/publishers.csv",
]


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize(
    "params",
    [
        {"since": "2031-02-30"},
        {"until": "yesterday"},
        {"since": "2031-05-01", "until": "2031-01-01"},
        {"order": "sideways"},
        {"sort": "evil"},
        {"since": "2031-01-01T00:00"},
    ],
)
def test_bad_list_filters_are_a_clear_4xx(client, path, params):
    if path.startswith("/quotes") or path.startswith("/api/quotes"):
        params = {k: v for k, v in params.items() if k != "sort"} or {"type": "evil"}
    assert_clear_4xx(client.get(path, params=params), 422)


@pytest.mark.parametrize(
    "params",
    [
        {"type": "quoted"},
        {"act": "rumour"},
        {"act": "speech,,gossip"},
        {"anonymous": "perhaps"},
        {"limit": "0"},
        {"limit": "100001"},
    ],
)
def test_bad_quote_filters_are_a_clear_4xx(client, params):
    for path in ("/quotes.csv", "/api/quotes") if "limit" in params else ("/quotes", "/api/quotes", "/quotes.json"):
        assert_clear_4xx(client.get(path, params=params), 422)


def test_no_list_filter_answers_500_to_odd_values(client):
    def query_params(dependant) -> list:
        """A route's query parameters with those of its dependencies (the lists' filter forms)."""
        return [*dependant.query_params, *(p for d in dependant.dependencies for p in query_params(d))]

    sent = 0
    for route in get_routes():
        if "{" in route.path:
            continue
        for param in query_params(route.dependant):
            for value in ODD:
                response = client.get(route.path, params={param.name: value})
                sent += 1
                assert response.status_code < 500, (route.path, param.name, value, response.text[:300])
                if response.status_code >= 400:
                    assert_clear_4xx(response)
    assert sent > 300


def test_filters_with_markup_are_escaped_in_the_form(client):
    html = client.get("/quotes", params={"speaker": '"><script>x</script>', "via": "<b>"}).text
    assert "<script>x</script>" not in html and "&lt;script&gt;" in html and "<b>" not in html
