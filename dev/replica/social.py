"""social.example: a login-walled personal feed (a small X-like site), the replica web's
one dynamic site. Markup follows X's: article[data-testid="tweet"], div[data-testid="User-Name"],
div[data-testid="tweetText"], time[datetime], div[data-testid="trend"].

  GET  /          302 to /home
  GET  /home      the signed-in user's private timeline; without a valid session: 302 /login?next=/home
  GET  /login     the sign-in form (username, password) that POSTs to /login
  POST /login     right credentials: Set-Cookie session=<token>; HttpOnly; Path=/ and 302 to `next`
                  (default /home); wrong ones: the form again (200) with an error
  GET  /i/flow/login  the app's script-driven sign-in (no <form>, like X's): fields and a
                  button whose script POSTs /login, then opens `next`
  GET  /logout    clears the cookie, 302 /login
  GET  /explore   public trending topics, no login needed

Users (username / password):
  alice / correct horse battery staple
  bob   / tr0ub4dor&3
Fixed session cookies, always valid, for tests that set a cookie instead of logging in:
  alice: session=alice-7f3c2a9e4b1d8c6f
  bob:   session=bob-2d9e81c4a7f05b3e
A login mints a fresh random token instead (kept in memory by this process).
"""
import html
import http.cookies
import json
import secrets
import threading
import urllib.parse
from typing import Any

from dev.replica.content.common import ago
from dev.replica.server import SiteHandler

HOST = "social.example"

USERS: dict[str, dict[str, Any]] = {
    "alice": {"password": "correct horse battery staple", "name": "Alice Moreau", "unread": 3},
    "bob": {"password": "tr0ub4dor&3", "name": "Bob Tanaka", "unread": 0},
}
FIXED_SESSIONS = {"alice-7f3c2a9e4b1d8c6f": "alice", "bob-2d9e81c4a7f05b3e": "bob"}

_sessions: dict[str, str] = dict(FIXED_SESSIONS)
_lock = threading.Lock()

# (display name, handle, minutes ago, text, replies, reposts, likes), newest first.
TIMELINES = {
    "alice": [
        ("Bob Tanaka", "bob", 12, "Finally finished the bookshelf. Only one screw left over, which I am choosing not to think about.", 4, 1, 38),
        ("Jun Park", "jun_park", 47, "Reminder: the community garden meeting moved to Thursday at 7pm. Bring seeds to swap!", 2, 6, 21),
        ("Alice Moreau", "alice", 125, "Booked the train to Porto for the 14th. Anyone know a good bakery near São Bento station?", 9, 0, 17),
        ("Mira Santos", "mira_s", 190, "Our team shipped the new search today. Median latency went from 480 ms to 95 ms. Very proud of everyone.", 12, 18, 246),
        ("Tomasz Wielgus", "tomasz_w", 310, "Quill 3.2.1 is out with faster incremental builds. Thanks to the 40 contributors who made it happen.", 7, 33, 190),
        ("Bob Tanaka", "bob", 480, "Hot take: the best camping tent is the one you have already practised pitching in your living room.", 15, 4, 88),
        ("Port Ellery Library", "pe_library", 1440, "The Lantern Festival craft workshops open for sign-up on Monday. Free, all ages, materials provided.", 3, 27, 64),
        ("Jun Park", "jun_park", 2900, "Tried the new ramen place on 5th. Broth: excellent. Queue: 40 minutes. Worth it? Probably.", 6, 2, 45),
    ],
    "bob": [
        ("Alice Moreau", "alice", 125, "Booked the train to Porto for the 14th. Anyone know a good bakery near São Bento station?", 9, 0, 17),
        ("Northpeak Outdoors", "northpeak", 200, "Restocking the ultralight 2-person tent next week. We know, we know. Thank you for your patience.", 31, 12, 140),
        ("Kenji Mori", "kenji_m", 350, "Five days in Kyoto and I still haven't seen the same temple twice. Staying in a machiya in Higashiyama, highly recommended.", 5, 3, 72),
        ("Bob Tanaka", "bob", 480, "Hot take: the best camping tent is the one you have already practised pitching in your living room.", 15, 4, 88),
        ("Dana Whitcombe", "mayor_whitcombe", 900, "Ferry service to the islands of Mahone Sound ends for the season on October 31. See you in May!", 8, 20, 95),
        ("Sara Lind", "saralind", 1500, "If your sourdough starter smells like nail polish remover, it is hungry, not dead. Feed it.", 22, 40, 310),
    ],
}

TRENDS = [
    ("Trending in Technology", "#Quill321", "4,812 posts"),
    ("Sports · Trending", "Lisbon Marathon", "12.4K posts"),
    ("Trending in Canada", "Lantern Festival", "8,309 posts"),
    ("Science · Trending", "Lunar relay", "22.9K posts"),
    ("Music · Trending", "#NewMusicFriday", "51.2K posts"),
    ("Business & finance · Trending", "Kettle IPO", "2,144 posts"),
    ("Trending in Japan", "Arashiyama", "6,070 posts"),
    ("Entertainment · Trending", "#BookshelfChallenge", "3,018 posts"),
]
PUBLIC = [
    ("Orbital Report", "orbitalreport", 95, "The European lunar relay satellite has reached its final orbit after a four-month low-energy transfer.", 41, 380, 2210),
    ("Port Ellery Library", "pe_library", 1440, "The Lantern Festival craft workshops open for sign-up on Monday. Free, all ages, materials provided.", 3, 27, 64),
]


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def _time_label(minutes: int) -> str:
    if minutes < 60:
        return f"{minutes}m"
    if minutes < 1440:
        return f"{minutes // 60}h"
    return f"{ago(minutes):%b} {ago(minutes).day}"


def _count(n: int) -> str:
    return f"{n / 1000:.1f}K".replace(".0K", "K") if n >= 1000 else str(n)


def _post(post: tuple, index: int) -> str:
    name, handle, minutes, text, replies, reposts, likes = post
    stamp = ago(minutes).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    return f"""<div data-testid="cellInnerDiv" class="cell"><article data-testid="tweet" role="article" tabindex="0" aria-labelledby="post-{index}">
<div class="avatar" data-testid="Tweet-User-Avatar" aria-hidden="true">{esc(name[0])}</div>
<div class="post-body"><div data-testid="User-Name" class="user-name"><a href="/{handle}" role="link" class="display-name"><span>{esc(name)}</span></a>
<a href="/{handle}" role="link" tabindex="-1" class="handle"><span>@{handle}</span></a><span aria-hidden="true" class="dot">·</span>
<time datetime="{stamp}">{_time_label(minutes)}</time></div>
<div data-testid="tweetText" lang="en" dir="auto" id="post-{index}" class="post-text"><span>{esc(text)}</span></div>
<div role="group" aria-label="{replies} replies, {reposts} reposts, {likes} likes" class="actions">
<button type="button" data-testid="reply" aria-label="{replies} Replies. Reply">↩ <span>{_count(replies)}</span></button>
<button type="button" data-testid="retweet" aria-label="{reposts} reposts. Repost">⇄ <span>{_count(reposts)}</span></button>
<button type="button" data-testid="like" aria-label="{likes} Likes. Like">♡ <span>{_count(likes)}</span></button></div></div>
</article></div>"""


def _trends(limit: int | None = None) -> str:
    items = "".join(
        f'<div data-testid="trend" role="link" tabindex="0" class="trend"><div class="trend-meta">{esc(meta)}</div>'
        f'<div class="trend-name" dir="ltr"><span>{esc(topic)}</span></div><div class="trend-count">{esc(count)}</div></div>'
        for meta, topic, count in TRENDS[:limit])
    return f'<section aria-labelledby="trends-heading" role="region" class="trends"><h2 id="trends-heading" role="heading">What’s happening</h2>{items}</section>'


def _page(title: str, main: str, user: str | None, side: str = "") -> str:
    if user:
        unread = USERS[user]["unread"]
        badge = f' <span class="badge" aria-label="{unread} unread messages">{unread}</span>' if unread else ""
        account = (f'<div data-testid="SideNav_AccountSwitcher_Button" class="account"><span>{esc(USERS[user]["name"])}</span>'
                   f' <span class="handle">@{user}</span></div><a href="/logout" class="logout">Log out</a>')
        links = (f'<a href="/home" aria-label="Home" data-testid="AppTabBar_Home_Link" role="link">Home</a>'
                 f'<a href="/explore" aria-label="Search and explore" data-testid="AppTabBar_Explore_Link" role="link">Explore</a>'
                 f'<a href="/messages" aria-label="Direct Messages" data-testid="AppTabBar_DirectMessage_Link" role="link">Messages{badge}</a>'
                 f'<a href="/{user}" aria-label="Profile" data-testid="AppTabBar_Profile_Link" role="link">Profile</a>')
    else:
        account = ('<a href="/login" data-testid="loginButton" class="button">Log in</a>')
        links = '<a href="/explore" aria-label="Search and explore" data-testid="AppTabBar_Explore_Link" role="link">Explore</a>'
    return f"""<!DOCTYPE html>
<html dir="ltr" lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>{esc(title)} / Social</title><style>{CSS}</style></head>
<body><div id="react-root"><div class="app">
<header role="banner" class="sidenav"><h1 role="heading" class="logo"><a href="/home" aria-label="Social">Social</a></h1>
<nav aria-label="Primary" role="navigation">{links}</nav>{account}</header>
<main role="main" class="main"><div data-testid="primaryColumn" class="primary">{main}</div>
<div data-testid="sidebarColumn" class="sidebar">{side}</div></main>
</div></div></body></html>
"""


def _home(user: str) -> str:
    posts = "".join(_post(p, i) for i, p in enumerate(TIMELINES[user], 1))
    main = (f'<div class="column-header"><h2 role="heading">Home</h2><div role="tablist"><span role="tab" aria-selected="true">Following</span></div></div>'
            f'<section role="region" aria-labelledby="timeline-heading"><h1 id="timeline-heading" class="visually-hidden">Your Home Timeline</h1>'
            f'<div aria-label="Timeline: Your Home Timeline">{posts}</div></section>')
    return _page("Home", main, user, _trends(4))


def _explore(user: str | None) -> str:
    posts = "".join(_post(p, i) for i, p in enumerate(PUBLIC, 1))
    main = (f'<div class="column-header"><h2 role="heading">Explore</h2></div>{_trends()}'
            f'<section role="region" aria-label="Timeline: Explore"><h2 class="section-title">Posts for you</h2>{posts}</section>')
    return _page("Explore", main, user)


def _login(error: str = "", username: str = "", next_path: str = "/home") -> str:
    alert = f'<div role="alert" data-testid="login-error" class="error">{esc(error)}</div>' if error else ""
    main = f"""<div class="login-card"><h2 role="heading">Sign in to Social</h2>
<form action="/login" method="post" data-testid="LoginForm" autocomplete="on">{alert}
<label for="username">Username</label><input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required value="{esc(username)}">
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<input type="hidden" name="next" value="{esc(next_path)}">
<button type="submit" data-testid="LoginForm_Login_Button">Log in</button>
</form>
<p class="signup">Don’t have an account? <a href="/explore">Explore without one</a></p></div>"""
    return _page("Log in to Social", main, None)


def _flow_login(next_path: str) -> str:
    """Sign-in without a form: a script sends the fields, as single-page apps do."""
    target = json.dumps(next_path).replace("<", "\\u003c")
    main = f"""<div class="login-card" data-testid="FlowLogin"><h2 role="heading">Sign in to Social</h2>
<label for="flow-username">Phone, email or username</label><input id="flow-username" type="text" autocomplete="username">
<label for="flow-password">Password</label><input id="flow-password" type="password" autocomplete="current-password">
<button type="button" id="flow-submit">Log in</button></div>
<script>
(() => {{
  const send = async () => {{
    const body = new URLSearchParams({{username: document.getElementById("flow-username").value,
      password: document.getElementById("flow-password").value, next: {target}}});
    try {{
      await fetch("/login", {{method: "POST", body, redirect: "manual", credentials: "same-origin"}});
    }} finally {{
      location.href = {target};
    }}
  }};
  document.getElementById("flow-submit").addEventListener("click", send);
  document.getElementById("flow-password").addEventListener("keydown", (e) => {{ if (e.key === "Enter") send(); }});
}})();
</script>"""
    return _page("Log in to Social", main, None)


def _safe_next(value: str | None) -> str:
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/home"


class SocialHandler(SiteHandler):
    """Routes of social.example; every other path is 404."""

    def _user(self) -> str | None:
        cookie = http.cookies.SimpleCookie()
        try:
            cookie.load(self.headers.get("Cookie", ""))
        except http.cookies.CookieError:
            return None
        token = cookie["session"].value if "session" in cookie else None
        with _lock:
            return _sessions.get(token) if token else None

    def _send(self, status: int, body: str = "", headers: dict | None = None, head: bool = False) -> None:
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(data)

    def _redirect(self, location: str, headers: dict | None = None) -> None:
        self._send(302, "", {"Location": location, **(headers or {})})

    def _get(self, head: bool) -> None:
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        user = self._user()
        if url.path == "/":
            self._redirect("/home")
        elif url.path == "/home":
            if user is None:
                self._redirect("/login?next=/home")
            else:
                self._send(200, _home(user), head=head)
        elif url.path == "/explore":
            self._send(200, _explore(user), head=head)
        elif url.path == "/login":
            next_path = _safe_next(query.get("next", [None])[0])
            if user is not None:
                self._redirect(next_path)
            else:
                self._send(200, _login(next_path=next_path), head=head)
        elif url.path == "/i/flow/login":
            self._send(200, _flow_login(_safe_next(query.get("next", [None])[0])), head=head)
        elif url.path == "/logout":
            self._redirect("/login", {"Set-Cookie": "session=; HttpOnly; Path=/; Max-Age=0"})
        else:
            self._send(404, _page("Page not found", '<div class="empty"><h2>Hmm...this page doesn’t exist.</h2>'
                                  '<a href="/explore">Try searching for something else.</a></div>', user), head=head)

    def do_GET(self) -> None:
        self._get(head=False)

    def do_HEAD(self) -> None:
        self._get(head=True)

    def do_POST(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        length = min(int(self.headers.get("Content-Length") or 0), 65536)
        form = urllib.parse.parse_qs(self.rfile.read(length).decode("utf-8", "replace"))
        if url.path != "/login":
            self._send(405, "", {"Allow": "GET"})
            return
        username = (form.get("username", [""])[0]).strip().lower()
        password = form.get("password", [""])[0]
        next_path = _safe_next(form.get("next", [None])[0])
        account = USERS.get(username)
        if account is None or not secrets.compare_digest(account["password"], password):
            self._send(200, _login("Wrong username or password.", username, next_path))
            return
        token = f"{username}-{secrets.token_hex(16)}"
        with _lock:
            _sessions[token] = username
        self._redirect(next_path, {"Set-Cookie": f"session={token}; HttpOnly; Path=/; SameSite=Lax"})


CSS = """body{margin:0;font-family:-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#0f1419;background:#fff;font-size:15px}
a{color:#1d9bf0;text-decoration:none}.app{display:flex;max-width:1260px;margin:0 auto}
.sidenav{width:260px;padding:12px;display:flex;flex-direction:column;gap:12px;border-right:1px solid #eff3f4;min-height:100vh;box-sizing:border-box}
.logo{font-size:26px;margin:8px 12px}.logo a{color:#0f1419;font-weight:800}
.sidenav nav{display:flex;flex-direction:column}.sidenav nav a{color:#0f1419;font-size:20px;padding:12px;border-radius:24px}
.badge{background:#1d9bf0;color:#fff;border-radius:10px;font-size:12px;padding:1px 6px;vertical-align:top}
.account{padding:12px;font-weight:700}.account .handle{font-weight:400;color:#536471;display:block}.logout{padding:0 12px}
.button{display:inline-block;background:#0f1419;color:#fff;border-radius:20px;padding:10px 18px;font-weight:700;margin:0 12px}
.main{display:flex;flex:1}.primary{width:600px;border-right:1px solid #eff3f4}.sidebar{width:350px;padding:12px 24px}
.column-header{padding:12px 16px;border-bottom:1px solid #eff3f4}.column-header h2{margin:0;font-size:20px}
[role=tablist]{margin-top:12px;font-weight:700;border-bottom:4px solid #1d9bf0;display:inline-block;padding-bottom:8px}
.visually-hidden{position:absolute;left:-9999px}
article{display:flex;gap:12px;padding:12px 16px;border-bottom:1px solid #eff3f4}
.avatar{width:40px;height:40px;border-radius:50%;background:#cfd9de;display:flex;align-items:center;justify-content:center;font-weight:700;flex:none}
.post-body{flex:1}.user-name{display:flex;gap:4px;align-items:baseline}.display-name{color:#0f1419;font-weight:700}
.handle,.dot,time{color:#536471}.post-text{margin:2px 0 8px;line-height:20px}
.actions{display:flex;justify-content:space-between;max-width:425px}.actions button{background:none;border:0;color:#536471;font-size:13px}
.trends{background:#f7f9f9;border-radius:16px;padding:4px 0;margin:12px 0}.trends h2{font-size:20px;margin:8px 16px}
.trend{padding:10px 16px}.trend-meta,.trend-count{color:#536471;font-size:13px}.trend-name{font-weight:700}
.section-title{font-size:20px;margin:16px}
.login-card{max-width:380px;margin:48px auto;display:flex;flex-direction:column}
.login-card form{display:flex;flex-direction:column;gap:8px}.login-card input[type=text],.login-card input[type=password]{font-size:17px;padding:12px;border:1px solid #cfd9de;border-radius:4px}
.login-card button{background:#0f1419;color:#fff;border:0;border-radius:24px;padding:12px;font-size:16px;font-weight:700;margin-top:12px}
.error{background:#fdecea;color:#b3261e;padding:10px;border-radius:4px}.empty{padding:32px}
"""
