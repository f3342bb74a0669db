"""The replica web in-process: every site on a free port, read with httpx and selectolax
the way the indexer reads the real sites."""
import re

import httpx
import pytest
from selectolax.lexbor import LexborHTMLParser

from dev.replica import build, server, social


@pytest.fixture(scope="module")
def sites():
    servers = {site: server.serve(site, 0) for site in server.known_sites()}
    yield {site: f"http://127.0.0.1:{s.server_address[1]}" for site, s in servers.items()}
    for s in servers.values():
        s.shutdown()
        s.server_close()


@pytest.fixture
def get(sites):
    with httpx.Client(timeout=5) as client:
        def fetch(site: str, path: str, cookie: str = "", **kw) -> httpx.Response:
            headers = {"Host": site, **({"Cookie": cookie} if cookie else {})}
            return client.get(sites[site] + path, headers=headers, **kw)
        yield fetch


def html(response: httpx.Response) -> LexborHTMLParser:
    assert response.status_code == 200, response.url
    assert response.headers["content-type"].startswith("text/html")
    return LexborHTMLParser(response.text)


def test_every_site_is_known_and_the_files_match_their_generator():
    assert server.known_sites()[0] == "news.ycombinator.com"
    assert set(server.known_sites()) == {
        "news.ycombinator.com", "en.wikipedia.org", "www.amazon.com", "www.airbnb.com", "social.example"}
    assert build.drift() == [], "run `python -m dev.replica.build`"


def test_hacker_news_front_page_has_30_stories_like_the_real_one(get):
    page = html(get("news.ycombinator.com", "/"))
    assert page.css_first("title").text() == "Hacker News"
    rows = page.css("tr.athing")
    assert len(rows) == 30
    first = rows[0]
    assert first.css_first("span.rank").text() == "1."
    assert first.css_first("span.titleline > a").text() == "Show HN: A tiny B-tree in 300 lines of Rust"
    subtext = first.next.css_first("td.subtext")
    assert subtext.css_first("span.score").text() == "412 points"
    assert subtext.css_first("a.hnuser").text() == "ferris"
    assert subtext.css_first("span.age").attributes["title"].startswith("2026-11-23T")
    assert re.fullmatch(r"\d+\xa0comments", subtext.css("a")[-1].text())
    jobs = [r for r in rows if r.next.css_first("span.score") is None]
    asks = [r for r in rows if r.css_first("span.sitestr") is None]
    assert len(jobs) == 3 and all(r.next.css_first("a.hnuser") is None for r in jobs)
    assert any("Ask HN" in r.css_first("span.titleline").text() for r in asks)
    assert get("news.ycombinator.com", "/news").text == get("news.ycombinator.com", "/").text


def test_hacker_news_item_pages_carry_the_story_and_its_comment_tree(get):
    front = html(get("news.ycombinator.com", "/"))
    for row in front.css("tr.athing"):
        item = html(get("news.ycombinator.com", f"/item?id={row.attributes['id']}"))
        assert item.css_first("table.fatitem span.titleline").text() == row.css_first("span.titleline").text()
        count = row.next.css("td.subtext a")[-1].text()
        comments = item.css("table.comment-tree tr.athing.comtr")
        if count.endswith("comments"):
            assert len(comments) == int(count.split("\xa0")[0])
    tree = html(get("news.ycombinator.com", "/item?id=41000001")).css("tr.athing.comtr")
    indents = [int(c.css_first("td.ind").attributes["indent"]) for c in tree]
    assert indents[0] == 0 and max(indents) >= 2
    widths = [c.css_first("td.ind img").attributes["width"] for c in tree]
    assert widths == [str(40 * i) for i in indents]
    first = tree[0]
    assert first.css_first("a.hnuser").text() and first.css_first("span.age").text().endswith("ago")
    assert "fan-out of 16" in first.css_first(".commtext").text()
    assert get("news.ycombinator.com", "/item?id=1").status_code == 404
    assert get("news.ycombinator.com", "/item").status_code == 404


def test_wikipedia_articles_have_heading_lead_infobox_and_toc(get):
    for title in ("Port_Ellery", "Quill_(programming_language)", "Ilse_Brandvold"):
        page = html(get("en.wikipedia.org", f"/wiki/{title}"))
        assert page.css_first("h1#firstHeading").text() == title.replace("_", " ")
        body = page.css_first("#mw-content-text .mw-parser-output")
        labels = {th.text(strip=True): th.next.text(strip=True) for th in body.css("table.infobox th.infobox-label")}
        assert len(labels) >= 8 and all(body.css("table.infobox td.infobox-data"))
        lead = []
        for node in body.iter():
            if node.tag == "div" and "mw-heading2" in (node.attributes.get("class") or ""):
                break
            if node.tag == "p":
                lead.append(node.text())
        assert len(lead) == 2 and lead[0].startswith(title.split("_")[0])
        assert len(body.css("h2")) >= 5
        assert len(page.css("#vector-toc li.vector-toc-level-1")) >= 5
    city = html(get("en.wikipedia.org", "/wiki/Port_Ellery")).css("table.infobox th.infobox-label")
    assert {th.text(strip=True): th.next.text(strip=True) for th in city}["Country"] == "Canada"


def test_amazon_product_pages_show_price_rating_and_availability(get):
    seen = {}
    for asin in ("B0D7K3LQ9X", "B0C9XW2M4R", "B0F1TQ8ZJH"):
        page = html(get("www.amazon.com", f"/dp/{asin}"))
        title = page.css_first("#productTitle").text(strip=True)
        price = page.css_first("#corePrice_feature_div .a-price .a-offscreen").text()
        assert re.fullmatch(r"\$\d+\.\d\d", price)
        rating = page.css_first("#acrPopover").attributes["title"]
        assert re.fullmatch(r"\d\.\d out of 5 stars", rating)
        assert re.fullmatch(r"[\d,]+ ratings", page.css_first("#acrCustomerReviewText").text())
        seen[asin] = (title, float(price[1:]), rating, page.css_first("#availability").text(strip=True))
    assert seen["B0D7K3LQ9X"][1:] == (34.99, "4.5 out of 5 stars", "In Stock")
    assert seen["B0C9XW2M4R"][3].startswith("Only 3 left in stock")
    results = html(get("www.amazon.com", "/s?k=anything")).css('[data-component-type="s-search-result"]')
    assert [r.attributes["data-asin"] for r in results] == list(seen)


@pytest.mark.parametrize("path", ["/s/Lisbon/homes", "/s/Kyoto/homes", "/s/Lisbon--Portugal/homes?adults=2"])
def test_airbnb_search_has_12_listing_cards(get, path):
    cards = html(get("www.airbnb.com", path)).css('[data-testid="card-container"]')
    assert len(cards) == 12
    for card in cards:
        assert re.fullmatch(r"\w[\w ]* in .+", card.css_first('[data-testid="listing-card-title"]').text())
        assert card.css_first('[data-testid="listing-card-name"]').text()
        assert re.search(r"\$\d+ per night", card.css_first('[data-testid="price-availability-row"]').text())
        assert re.search(r"out of 5 average rating|New place", card.text())
        href = card.css_first("a").attributes["href"]
        assert get("www.airbnb.com", href).status_code == 200


def test_social_login_wall(get, sites):
    no_redirects = {"follow_redirects": False}
    home = get("social.example", "/home", **no_redirects)
    assert home.status_code == 302 and home.headers["location"] == "/login?next=/home"
    form = html(get("social.example", "/login?next=/home")).css_first('form[action="/login"][method="post"]')
    assert {i.attributes["name"] for i in form.css("input")} == {"username", "password", "next"}
    with httpx.Client(base_url=sites["social.example"], headers={"Host": "social.example"}) as client:
        wrong = client.post("/login", data={"username": "alice", "password": "nope", "next": "/home"})
        assert wrong.status_code == 200 and "Wrong username or password." in wrong.text
        assert "session" not in client.cookies
        right = client.post("/login", data={"username": "alice", "password": "correct horse battery staple",
                                            "next": "/home"})
        assert right.status_code == 302 and right.headers["location"] == "/home"
        cookie = right.headers["set-cookie"]
        assert cookie.startswith("session=alice-") and "HttpOnly" in cookie and "Path=/" in cookie
        feed = html(client.get("/home"))
        posts = feed.css('article[data-testid="tweet"]')
        assert len(posts) == len(social.TIMELINES["alice"])
        assert "@bob" in posts[0].css_first('[data-testid="User-Name"]').text()
        assert posts[0].css_first("time").attributes["datetime"].startswith("2026-11-23T")
        assert client.get("/logout", follow_redirects=False).headers["location"] == "/login"
    for user, token in (("alice", "alice-7f3c2a9e4b1d8c6f"), ("bob", "bob-2d9e81c4a7f05b3e")):
        page = html(get("social.example", "/home", cookie=f"session={token}"))
        assert f"@{user}" in page.css_first('[data-testid="SideNav_AccountSwitcher_Button"]').text()
    assert get("social.example", "/home", cookie="session=alice-forged", **no_redirects).status_code == 302
    trends = html(get("social.example", "/explore")).css('[data-testid="trend"]')
    assert len(trends) >= 5
