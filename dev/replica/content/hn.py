"""news.ycombinator.com: a front page of 30 invented stories and an item page with a
threaded comment tree for each, in Hacker News' own markup (tr.athing, span.titleline,
td.subtext, table.comment-tree, tr.athing.comtr, td.ind, div.commtext, a.hnuser, span.age)."""
import calendar
import random
import urllib.parse

from dev.replica.content import Alias, Content
from dev.replica.content.common import ago, esc

HOST = "news.ycombinator.com"
FIRST_ID = 41000001

# (title, url or None, points, user, minutes ago, comments, topics, text, seeds)
# url None: Ask/Tell/Launch HN (the title links to the item). points None: a job post.
# seeds: hand-written threads [(user, text, [replies...]), ...]; the rest of the comment
# count is filled with generated replies, so the count on the front page is the tree's size.
STORIES = [
    ("Show HN: A tiny B-tree in 300 lines of Rust", "https://github.com/btree-rs/tiny", 412, "ferris", 180, 42,
     ["B-trees", "node splitting", "unsafe Rust", "cache locality"], None, [
         ("cachemiss", "Nice work. I read the whole thing in one sitting, which I can't say for most B-tree implementations.\n\nOne question: why a fixed fan-out of 16? On most modern CPUs I'd expect something closer to 32 or 64 keys per node to win for integer keys.", [
             ("ferris", "Honest answer: 16 made the diagrams in the README fit on screen. The benchmark folder has a const generic for it and 32 is about 12% faster on my machine for u64 keys.", [
                 ("cachemiss", "Ha, that's a better reason than most. Thanks for the numbers.", []),
             ]),
             ("lowlatency", "It depends heavily on key size. With 64-byte string keys a fan-out of 16 is already several cache lines per node.", []),
         ]),
         ("rustacean_ro", "Appreciate that there's no unsafe at all. I expected at least one ptr::copy in the split path.", [
             ("ferris", "There was one in an earlier version. Replacing it with split_off on the Vec cost less than 2% and made the code easier to audit.", []),
         ]),
         ("oldschoolsys", "Anyone who hasn't implemented a B-tree from scratch should do it once. Deletion with rebalancing is where you really learn it.", [
             ("tessellate", "Deletion is also where this one says 'left as an exercise'. Which is fair for 300 lines.", [
                 ("ferris", "Guilty. Deletion with merge is on the roadmap, it roughly doubles the line count.", []),
             ]),
         ]),
         ("kvstore", "How does it compare to std's BTreeMap on range scans? That's the main reason I'd reach for a B-tree over a hash map.", []),
     ]),
    ("The unreasonable effectiveness of plain text", "https://plaintext.example.org/essay", 388, "kerningfan", 300, 37,
     ["plain text", "Markdown", "file formats", "grep"], None, [
         ("fieldnotes", "I've kept a single notes.txt file since 2011. It is now 9 MB and opens instantly in every editor I've tried. No app I used in that time still exists.", [
             ("mnemonic_m", "Same, though I split mine by year. Searching across them with grep is still instant.", []),
             ("paperweight", "9 MB of notes is impressive. What's your system for finding things, just search?", [
                 ("fieldnotes", "Search, plus a convention of starting every entry with a date and a few tags like #work or #house. That's the entire system.", []),
             ]),
         ]),
         ("bytewarden", "The essay undersells the biggest benefit: diffs. Everything in plain text can be versioned, reviewed and merged with tools that already exist.", []),
         ("brackish", "Plain text is great until you need a table. Then you get ten incompatible ways of drawing one.", [
             ("grepfor", "TSV. The answer is always TSV.", []),
         ]),
     ]),
    ("SQLite as an application file format (2014)", "https://www.sqlite.org/appfileformat.html", 275, "drh_reader", 360, 24,
     ["SQLite", "file formats", "transactions", "schema migrations"], None, [
         ("kvstore", "We moved a desktop app from a zip-of-JSON format to SQLite a few years ago. Saves went from 'rewrite the whole file' to a few page writes, and crash recovery stopped being something we had to think about.", [
             ("tidepool", "Did you keep the old format for export? Our users kept asking for something they could open without tooling.", [
                 ("kvstore", "Yes, export to the old zip still exists. Almost nobody uses it now.", []),
             ]),
         ]),
         ("nkarlsson", "The part people miss is that you get a query language for free. Our support team answers half their questions with a SQL prompt on a customer's file.", []),
     ]),
    ("Ask HN: What are you working on this week?", None, 164, "quietcompiler", 420, 45,
     ["side projects", "hobby hardware", "small web apps", "open source"],
     "Curious what everyone is building, personal or work. Small things welcome; half-finished things especially welcome.", [
         ("pixelfen", "A pixel-art editor that runs entirely in the terminal. Mouse support turned out to be the hardest part.", [
             ("vimflower", "Does it support palettes? I'd use that for sprite work.", [
                 ("pixelfen", "Palettes yes, loaded from a plain text file with one hex colour per line.", []),
             ]),
         ]),
         ("yarrowroot", "Restoring a 1970s sewing machine with my daughter. Zero software involved, which is the point.", []),
         ("sparsematrix", "A sparse matrix library for a numerical methods course I'm teaching. Mostly rewriting the same three loops until they are readable.", []),
         ("gorse", "Moving my family's photos off a cloud service onto a small home server. 41,000 photos and the duplicate detection is taking longer than the copy.", [
             ("driftwood_dev", "Perceptual hashing helped me a lot with this. Exact hashes miss the resized copies.", []),
         ]),
     ]),
    ("Reverse-engineering a 1980s pocket calculator", "https://calc.example.net/teardown", 143, "solderjoint", 480, 14,
     ["calculator ROMs", "4-bit microcontrollers", "decapping chips", "BCD arithmetic"], None, [
         ("hexadecimate", "The photos of the decapped die are beautiful. I didn't know you could read out mask ROM bits with an ordinary microscope.", [
             ("solderjoint", "With a metallurgical microscope and a lot of patience. The ROM is only 2,048 bits, so it took an evening.", []),
         ]),
         ("oldschoolsys", "BCD everywhere. It's a reminder of how much of early computing was about money and why 0.1 + 0.2 had to be exactly 0.3.", []),
     ]),
    ("Why our Postgres queries got 40x faster after we stopped using an ORM", "https://blog.tidewater.dev/postgres-without-orm", 131, "pgwrangler", 240, 31,
     ["ORMs", "query plans", "N+1 queries", "Postgres indexes"], None, [
         ("lindqvist", "The title says ORM but the article says N+1 queries and a missing index. You can have both of those without an ORM.", [
             ("pgwrangler", "Fair, and the post says so near the end. The ORM made the N+1 invisible in code review, which is why we dropped it.", [
                 ("lindqvist", "That's a more defensible argument, and an honest one. Thanks for clarifying.", []),
             ]),
         ]),
         ("cgregor", "EXPLAIN ANALYZE is the most underused command in our industry.", []),
     ]),
    ("European lunar relay satellite reaches its final orbit", "https://orbitalreport.com/2026/11/lunar-relay-orbit", 122, "apogee", 210, 18,
     ["lunar relay satellites", "orbital mechanics", "deep space communications", "launch costs"], None, [
         ("stochastic_sam", "The transfer took four months using a low-energy trajectory instead of a direct burn. That trade-off between time and fuel never stops being interesting to me.", []),
         ("wintermute9", "A relay on the far side opens up a lot of science. Radio astronomy from there is supposed to be remarkably quiet.", []),
     ]),
    ("Launch HN: Loomwork (YC F26) – Version control for CAD files", None, 96, "loomwork_amara", 260, 22,
     ["CAD version control", "binary diffs", "hardware teams", "merge conflicts"],
     "Hi HN, we're Amara and Theo from Loomwork. We build version control for mechanical CAD: branching, visual diffs between revisions of a part, and reviews that hardware teams can actually use.\n\nWe both spent years at hardware companies where the source of truth was a shared drive full of files named bracket_v7_final_FINAL. We'd love feedback, especially from people who have tried to put CAD files in Git.", [
         ("ironwoodd", "How do you handle merges? Two people editing the same assembly is the scenario that has burned every team I've been on.", [
             ("loomwork_amara", "We don't auto-merge geometry. We lock at the part level and merge at the assembly level, where changes are mostly references and constraints.", []),
         ]),
         ("tinkertux", "Visual diffs for CAD are a great idea. Is there a free tier for hobbyists?", []),
     ]),
    ("A visual guide to how CPUs predict branches", "https://cpuwhisperer.net/branch-prediction", 120, "ptrsz", 330, 12,
     ["branch prediction", "pipelines", "speculative execution", "microbenchmarks"], None, [
         ("bitflip", "The animated two-bit saturating counter is the best explanation of it I've seen.", []),
     ]),
    ("Kettle (YC W24) is hiring a founding infrastructure engineer", "https://www.ycombinator.com/companies/kettle/jobs/infra-founding", None, "kettle", 140, 0,
     [], None, []),
    ("The hidden cost of microservices at a 12-person startup", "https://notes.harborline.io/microservices-cost", 88, "arrowsmith", 390, 28,
     ["microservices", "monoliths", "deployment pipelines", "on-call rotations"], None, [
         ("coldstartt", "Twelve people and nineteen services is a ratio I recognise. We merged ours back into two deployables last year and nobody misses the old setup.", [
             ("arrowsmith", "Nineteen was our peak too. Curious what the two were split on for you?", [
                 ("coldstartt", "Web-facing versus batch jobs. Different scaling, different failure modes, so it was a real boundary.", []),
             ]),
         ]),
     ]),
    ("Show HN: A terminal UI for browsing Kafka topics", "https://github.com/kafkaview/kview", 77, "tidepool", 270, 9,
     ["Kafka consumer groups", "terminal UIs", "message schemas", "offsets"], None, [
         ("grepfor", "Being able to search message bodies without writing a consumer is a nice touch.", []),
     ]),
    ("Tell HN: My 15-year-old side project finally broke even", None, 210, "oxbowlake", 600, 33,
     ["side projects", "pricing", "bootstrapping", "hosting costs"],
     "It's a tiny tool for choir directors to share sheet music. I started it in 2011, charged nothing for a decade, then added a $4/month plan in 2022. This month the revenue finally covered fifteen years of hosting bills.\n\nNot a success story by any startup measure, but I'm unreasonably happy about it.", [
         ("elm_and_ash", "This is the kind of success story I want to read more of. Congratulations.", []),
         ("fernhill", "What made you start charging after ten years?", [
             ("oxbowlake", "A hosting price increase, honestly. Users were kinder about it than I expected.", []),
         ]),
     ]),
    ("How the 1906 earthquake reshaped San Francisco's water system (2019)", "https://citywater.example.org/1906", 65, "gorse", 500, 7,
     ["water infrastructure", "earthquake engineering", "city planning", "fire suppression"], None, []),
    ("Kestrel 2.0: a statically typed Lisp for the JVM", "https://kestrel-lang.org/blog/2.0", 58, "lambda_lena", 310, 16,
     ["Lisp macros", "static typing", "the JVM", "REPL-driven development"], None, [
         ("quaternion_q", "Typed macros are the headline feature for me. Curious how error messages look when a macro expansion fails to type-check.", []),
     ]),
    ("Ask HN: How do you keep a personal knowledge base that you actually use?", None, 71, "mnemonic_m", 560, 26,
     ["note-taking apps", "personal wikis", "spaced repetition", "plain text notes"],
     "I've tried a wiki, three note apps and a paper notebook. I write things down and then never look at them again. What actually works for you?", [
         ("fieldnotes", "The only thing that ever worked for me: a weekly review where I reread the week's notes and delete most of them.", []),
     ]),
    ("Fusion startup reports first net-positive plasma shot at Nevada site", "https://energywire.example.com/brightline-shot", 54, "stochastic_sam", 440, 19,
     ["fusion energy", "plasma physics", "energy accounting", "press releases"], None, [
         ("lindqvist", "Net-positive by which definition? Plasma gain, or wall-plug energy in versus out? Those differ by orders of magnitude.", []),
     ]),
    ("Writing a JIT compiler for a toy language in a weekend", "https://blog.nullbyte.dev/weekend-jit", 49, "nullbyte", 380, 8,
     ["JIT compilers", "x86-64 encoding", "bytecode interpreters", "mmap"], None, []),
    ("The printer that wouldn't die: a 30-year-old LaserJet in a public library", "https://stacksandshelves.example.org/laserjet", 61, "paperweight", 650, 11,
     ["old printers", "right to repair", "libraries", "PCL"], None, []),
    ("Meridian Labs (YC S25) is hiring senior Rust engineers (remote, EU)", "https://www.ycombinator.com/companies/meridian-labs/jobs/rust", None, "meridian", 700, 0,
     [], None, []),
    ("Show HN: Burrow – a self-hosted backend in a single 8 MB binary", "https://github.com/burrowdb/burrow", 44, "ahmadn", 290, 13,
     ["self-hosting", "embedded databases", "single-binary deploys", "auth"], None, []),
    ("Why do so many old maps put north at the top?", "https://cartofiles.example.com/north-up", 40, "opal_ridge", 720, 15,
     ["map projections", "cartography", "navigation history", "conventions"], None, []),
    ("A deep dive into io_uring's zero-copy receive path", "https://kernelnotes.example.net/io-uring-zc-rx", 38, "hollis_k", 460, 6,
     ["io_uring", "zero-copy networking", "NIC queues", "the Linux kernel"], None, []),
    ("Ask HN: Is it still worth learning C in 2026?", None, 33, "dmitri_v", 540, 21,
     ["learning C", "memory safety", "systems programming", "computer science courses"],
     "I'm a self-taught web developer. Every few months I start a C book and then wonder whether Rust or Zig would be a better use of the time. Is C still worth it as a first systems language?", []),
    ("The economics of running a small ISP in rural Vermont", "https://greenmtnfiber.example.com/economics", 45, "fernhill", 800, 10,
     ["rural broadband", "fiber deployment", "pole attachments", "small ISPs"], None, []),
    ("Typst for scientific papers: a year of using it instead of LaTeX", "https://sparsematrix.dev/typst-year", 52, "sparsematrix", 620, 17,
     ["Typst", "LaTeX", "journal templates", "typesetting"], None, []),
    ("Northwind Robotics (YC W25) is hiring a firmware engineer", "https://www.ycombinator.com/companies/northwind-robotics/jobs/firmware", None, "northwind", 860, 0,
     [], None, []),
    ("I replaced my home NAS with three used thin clients", "https://homelab.driftwood.dev/thin-client-nas", 29, "driftwood_dev", 410, 9,
     ["home labs", "thin clients", "ZFS", "power consumption"], None, []),
    ("Floating-point determinism across GPUs is harder than you think", "https://numerics.example.org/fp-determinism", 27, "quaternion_q", 350, 5,
     ["floating-point determinism", "GPU reductions", "fused multiply-add", "reproducible builds"], None, []),
    ("A short history of the myths about the QWERTY layout", "https://typewriterhistory.example.com/qwerty-myths", 24, "kerningfan", 230, 0,
     [], None, []),
]

USERS = """tarnwell mkrogh pixelfen bytewarden hollis_k sandgrain oxbowlake nkarlsson lumen_dev fieldnotes cachemiss
jrandom42 throwaway_8812 ptrsz grepfor dmitri_v kellan_o rustacean_ro ahmadn tessellate bitflip oldschoolsys
marginalia_fan coldstartt yarrowroot wintermute9 hexadecimate lindqvist patchwork_q stochastic_sam ironwoodd cgregor
nullbyte fernhill arrowsmith tinkertux vimflower opal_ridge kvstore driftwood_dev brackish sparsematrix elm_and_ash
mnemonic_m lowlatency tidepool paperweight gorse quaternion_q saltmarsh kettlebell_k runic_ann foldl mariposa_dev
thistlewood bramblecode petrichor7 ansel_w nordlys harrow_m ceridwen ostinato jb_hale slatewright veldt torque_t
wrenfield halcyon_h cobaltblue pickaxe_p""".split()

TOPICAL = [
    "Great write-up. The section on {t} is the clearest explanation of it I've seen.",
    "I'd love to see a follow-up on {t}. That's where most of the real-world pain is, in my experience.",
    "We went down a similar path with {t} two years ago. Happy to answer questions if anyone is considering it.",
    "Slightly off-topic, but does anyone have recommendations for learning more about {t}? Books, courses, anything.",
    "The comments here are all about {t}, but I think the more interesting point is buried near the end.",
    "Every few months there's a post about {t} and the same debate happens. I don't think either side is entirely wrong.",
    "Bookmarked. {T} is one of those topics where I always forget the details right when I need them.",
    "Honest question: what's the case against {t}? The article doesn't really address it.",
    "I worked on something adjacent to {t} for a few years.\n\nThe hard part was never the technology; it was getting everyone to agree on what 'done' meant.",
    "Nice to see {t} getting attention here. It has been quietly useful for a long time.",
    "The diagrams about {t} alone make this worth reading.",
    "I've changed my mind about {t} twice in the last five years. This post nudges me back again.",
]

REPLIES = [
    "Do you have a source for that? I'd genuinely like to read more.",
    "This matches my experience almost exactly.",
    "Not my experience at all, but I'm glad it worked out for you.",
    "Could you expand on that? I'm not sure I follow the second part.",
    "We tried exactly this at my last job. It worked well until the team doubled in size.",
    "I think you're underestimating how much of this comes down to tooling.",
    "Same here. It took me an embarrassingly long time to notice.",
    "That's a fair point, though I'd argue the trade-off is worth it in most cases.",
    "The original post addresses this in the second half, for what it's worth.",
    "Counterpoint: most people never reach the scale where any of this matters.",
    "I had the opposite experience, but I suspect it depends a lot on the domain.",
    "Thanks, this is the comment I was looking for.",
    "Agreed. The simplest version that works is usually the right one.",
    "How did you handle migrations? That's always the part that bites me.",
    "Funny, I was reading about this only yesterday.",
    "There's a good conference talk on exactly this from a couple of years ago; worth looking up.",
    "I'd push back a little: the numbers in the post come from a fairly unusual setup.",
    "Can confirm. We measured it and the difference was smaller than expected, but real.",
    "It's less about the tool and more about the discipline around it, in my opinion.",
    "Yes, and the documentation doesn't mention it anywhere, which is the real problem.",
    "Out of curiosity, what did you end up switching to?",
    "I think both things can be true at the same time.",
    "Respectfully, that hasn't been true for a few years now.",
    "Seconding this. It's the first thing I check now.",
    "The devil is in the details, as usual. Good summary though.",
    "Would you mind sharing what your setup looks like? Even roughly.",
    "I'm surprised nobody has mentioned cost yet. That was the deciding factor for us.",
    "Ha, I've been there. The fix was one line; finding it took a week.",
    "That's a good way to put it. I'm going to borrow that explanation.",
    "Worth noting that the author updated the post with a correction this morning.",
    "Hard disagree, but I appreciate the detailed reasoning.",
    "In my experience the second-order effects matter more than the headline number.",
    "Interesting. Do you know if that still applies to newer versions?",
    "The old approach wasn't wrong, it was solving a different problem.",
    "We ended up writing our own small version of this. It's about 200 lines and does everything we need.",
    "I'd be curious how this holds up after a year of real use.",
    "Good question. I asked the same thing once and never got a straight answer.",
    "+1, this is underrated.",
    "Fair enough. I was mostly thinking of the small-team case.",
    "That was true ten years ago. The landscape is very different now.",
]


class Comment:
    def __init__(self, cid: int, user: str, text: str, minutes: int, parent: "Comment | None"):
        self.id, self.user, self.text, self.minutes, self.parent = cid, user, text, minutes, parent
        self.children: list[Comment] = []
        self.depth: int = 0 if parent is None else parent.depth + 1

    def size(self) -> int:
        return 1 + sum(c.size() for c in self.children)


class Story:
    def __init__(self, rank: int, row: tuple):
        (self.title, self.url, self.points, self.user, self.minutes, self.count,
         self.topics, self.text, self.seeds) = row
        self.rank, self.id = rank, FIRST_ID + rank - 1
        self.job = self.points is None
        self.site = _site(self.url) if self.url else None
        self.comments: list[Comment] = []


def _site(url: str) -> str:
    host = urllib.parse.urlsplit(url).hostname or ""
    host = host.removeprefix("www.")
    if host == "github.com":  # HN shows the GitHub account, like github.com/owner
        return "github.com/" + urllib.parse.urlsplit(url).path.split("/")[1]
    return host


def _comment_trees(stories: list[Story]) -> None:
    next_id = FIRST_ID + 1000
    for story in stories:
        rng = random.Random(story.id)
        flat: list[Comment] = []

        def add(user, text, parent):
            nonlocal next_id
            floor = parent.minutes if parent else story.minutes  # noqa: B023 (add runs within this iteration)
            minutes = max(1, floor - rng.randint(2, max(3, floor // 4)))  # noqa: B023 (same)
            comment = Comment(next_id, user, text, minutes, parent)
            next_id += 1
            (parent.children if parent else story.comments).append(comment)  # noqa: B023 (same)
            flat.append(comment)  # noqa: B023 (same)
            return comment

        def plant(seed, parent):
            user, text, replies = seed
            comment = add(user, text, parent)
            for reply in replies:
                plant(reply, comment)

        for seed in story.seeds:
            plant(seed, None)
        planted = len(flat)
        topical = rng.sample(TOPICAL, len(TOPICAL))
        replies = rng.sample(REPLIES, len(REPLIES))
        while len(flat) < story.count:
            user = rng.choice(USERS)
            if len(flat) == planted or (topical and rng.random() < 0.35):
                t = topical.pop() if topical else rng.choice(TOPICAL)
                topic = rng.choice(story.topics)
                add(user, t.format(t=topic, T=topic[0].upper() + topic[1:]), None)
            else:
                # Generic replies mostly answer generated comments: a hand-written thread stays coherent.
                generated = [c for c in flat[planted:] if c.depth < 4]
                pool = generated if generated and rng.random() < 0.85 else [c for c in flat if c.depth < 4]
                parent = rng.choice(pool)
                if parent.user == user:
                    continue
                add(user, replies.pop() if replies else rng.choice(REPLIES), parent)


def build_stories() -> list[Story]:
    stories = [Story(rank, row) for rank, row in enumerate(STORIES, 1)]
    _comment_trees(stories)
    return stories


def _age_label(minutes: int) -> str:
    if minutes < 60:
        return f"{minutes} minute{'s' if minutes != 1 else ''} ago"
    hours = minutes // 60
    if hours < 24:
        return f"{hours} hour{'s' if hours != 1 else ''} ago"
    days = hours // 24
    return f"{days} day{'s' if days != 1 else ''} ago"


def _age(minutes: int, item_id: int) -> str:
    when = ago(minutes)
    stamp = f"{when.strftime('%Y-%m-%dT%H:%M:%S')} {calendar.timegm(when.utctimetuple())}"
    return f'<span class="age" title="{stamp}"><a href="item?id={item_id}">{_age_label(minutes)}</a></span>'


def _paragraphs(text: str) -> str:
    parts = [esc(p) for p in text.split("\n\n")]
    return parts[0] + "".join(f"<p>{p}</p>" for p in parts[1:])


def _header(active: str = "") -> str:
    links = []
    for path, label in [("newest", "new"), ("front", "past"), ("newcomments", "comments"), ("ask", "ask"),
                        ("show", "show"), ("jobs", "jobs"), ("submit", "submit")]:
        rel = ' rel="nofollow"' if path == "submit" else ""
        link = f'<a href="{path}"{rel}>{label}</a>'
        links.append(f'<span class="topsel">{link}</span>' if path == active else link)
    return f"""<tr><td bgcolor="#ff6600"><table border="0" cellpadding="0" cellspacing="0" width="100%" style="padding:2px"><tr><td style="width:18px;padding-right:4px"><a href="https://news.ycombinator.com"><img src="y18.svg" width="18" height="18" style="border:1px white solid; display:block"></a></td>
                  <td style="line-height:12pt; height:10px;"><span class="pagetop"><b class="hnname"><a href="news">Hacker News</a></b>
                            {' | '.join(links)}</span></td><td style="text-align:right;padding-right:4px;"><span class="pagetop">
                              <a href="login?goto=news">login</a>
                          </span></td>
              </tr></table></td></tr>
<tr id="pagespace" title="" style="height:10px"></tr>"""


def _page(title: str, body: str, op: str = "news", active: str = "") -> str:
    return f"""<html lang="en" op="{op}"><head><meta name="referrer" content="origin"><meta name="viewport" content="width=device-width, initial-scale=1.0"><link rel="stylesheet" type="text/css" href="news.css">
        <link rel="icon" href="y18.svg">
                  <link rel="alternate" type="application/rss+xml" title="RSS" href="rss">
        <title>{esc(title)}</title></head><body><center><table id="hnmain" border="0" cellpadding="0" cellspacing="0" width="85%" bgcolor="#f6f6ef">
        {_header(active)}
{body}
<tr><td><img src="s.gif" height="10" width="0"><table width="100%" cellspacing="0" cellpadding="1"><tr><td bgcolor="#ff6600"></td></tr></table><br>
<center><span class="yclinks"><a href="newsguidelines.html">Guidelines</a> | <a href="newsfaq.html">FAQ</a> | <a href="lists">Lists</a> | <a href="https://github.com/HackerNews/API">API</a> | <a href="security.html">Security</a> | <a href="https://www.ycombinator.com/legal/">Legal</a> | <a href="https://www.ycombinator.com/apply/">Apply to YC</a> | <a href="mailto:hn@ycombinator.com">Contact</a></span><br><br>
<form method="get" action="//hn.algolia.com/">Search: <input type="text" name="q" size="17" autocorrect="off" spellcheck="false" autocapitalize="off" autocomplete="off"></form></center></td></tr>
</table></center></body></html>
"""


def _titleline(story: Story) -> str:
    href = esc(story.url) if story.url else f"item?id={story.id}"
    site = (f'<span class="sitebit comhead"> (<a href="from?site={esc(story.site)}"><span class="sitestr">'
            f'{esc(story.site)}</span></a>)</span>') if story.site else ""
    return f'<span class="titleline"><a href="{href}">{esc(story.title)}</a>{site}</span>'


def _votelinks(item_id: int, goto: str) -> str:
    return (f'<td valign="top" class="votelinks"><center><a id="up_{item_id}" href="vote?id={item_id}&amp;how=up&amp;goto={goto}">'
            f'<div class="votearrow" title="upvote"></div></a></center></td>')


def _subtext(story: Story, goto: str, item_page: bool = False) -> str:
    if story.job:
        return (f'<td class="subtext">\n        {_age(story.minutes, story.id)} | '
                f'<a href="hide?id={story.id}&amp;goto={goto}">hide</a>      </td>')
    count = story.count
    comments = f"{count}&nbsp;comment{'s' if count != 1 else ''}" if count else "discuss"
    extra = ""
    if item_page:
        q = urllib.parse.quote(story.title)
        extra = (f' | <a href="https://hn.algolia.com/?query={q}&amp;type=story&amp;dateRange=all&amp;sort=byDate&amp;'
                 f'storyText=false&amp;prefix&amp;page=0" class="hnpast">past</a> | <a href="fave?id={story.id}">favorite</a>')
    return (f'<td class="subtext"><span class="subline">\n          <span class="score" id="score_{story.id}">{story.points} points</span>'
            f' by <a href="user?id={story.user}" class="hnuser">{story.user}</a> {_age(story.minutes, story.id)}'
            f' <span id="unv_{story.id}"></span> | <a href="hide?id={story.id}&amp;goto={goto}">hide</a>{extra}'
            f' | <a href="item?id={story.id}">{comments}</a>        </span>\n              </td>')


def _listing(stories: list[Story], goto: str) -> str:
    rows = []
    for rank, story in enumerate(stories, 1):
        votes = "<td></td>" if story.job else _votelinks(story.id, goto)
        rows.append(f"""<tr class="athing submission" id="{story.id}">
      <td align="right" valign="top" class="title"><span class="rank">{rank}.</span></td>      {votes}<td class="title">{_titleline(story)}</td></tr><tr><td colspan="2"></td>{_subtext(story, goto)}</tr>
      <tr class="spacer" style="height:5px"></tr>""")
    return (f'<tr id="bigbox"><td><table border="0" cellpadding="0" cellspacing="0">\n{"".join(rows)}\n'
            f'<tr class="morespace" style="height:10px"></tr><tr><td colspan="2"></td><td class="title">'
            f'<a href="?p=2" class="morelink" rel="next">More</a></td></tr>\n</table>\n</td></tr>')


def _comment_row(comment: Comment, story: Story, next_sibling: "Comment | None") -> str:
    goto = urllib.parse.quote(f"item?id={story.id}#{comment.id}", safe="")
    navs = []
    if comment.parent is not None:
        root = comment
        while root.parent is not None:
            root = root.parent
        if comment.depth > 1:
            navs.append(f'<a href="#{root.id}" class="clicky" aria-hidden="true">root</a>')
        navs.append(f'<a href="#{comment.parent.id}" class="clicky" aria-hidden="true">parent</a>')
    if next_sibling is not None:
        navs.append(f'<a href="#{next_sibling.id}" class="clicky" aria-hidden="true">next</a>')
    nav = (" | " + " | ".join(navs)) if navs else ""
    return f"""<tr class="athing comtr" id="{comment.id}"><td><table border="0">  <tr>    <td class="ind" indent="{comment.depth}"><img src="s.gif" height="1" width="{comment.depth * 40}"></td><td valign="top" class="votelinks">
      <center><a id="up_{comment.id}" href="vote?id={comment.id}&amp;how=up&amp;goto={goto}"><div class="votearrow" title="upvote"></div></a></center>    </td><td class="default"><div style="margin-top:2px; margin-bottom:-10px;"><span class="comhead">
          <a href="user?id={comment.user}" class="hnuser">{comment.user}</a> {_age(comment.minutes, comment.id)} <span id="unv_{comment.id}"></span>          <span class="navs">{nav} <a class="togg clicky" id="{comment.id}" n="{comment.size()}" href="javascript:void(0)">[&ndash;]</a><span class="onstory"></span>          </span>
                  </span></div><br><div class="comment">
                  <div class="commtext c00">{_paragraphs(comment.text)}</div>
              <div class="reply">        <p><font size="1">
                      <u><a href="reply?id={comment.id}&amp;goto={goto}" rel="nofollow">reply</a></u>
                  </font>
      </div></div></td></tr>
        </table></td></tr>"""


def _walk(comments: list[Comment], story: Story, out: list[str]) -> None:
    for i, comment in enumerate(comments):
        out.append(_comment_row(comment, story, comments[i + 1] if i + 1 < len(comments) else None))
        _walk(comment.children, story, out)


def _item_page(story: Story) -> str:
    goto = urllib.parse.quote(f"item?id={story.id}", safe="")
    votes = "<td></td>" if story.job else _votelinks(story.id, goto)
    toptext = (f'<tr><td colspan="2"></td><td><div class="toptext">{_paragraphs(story.text)}</div></td></tr>'
               if story.text else "")
    form = "" if story.job else f"""<tr style="height:10px"></tr><tr><td colspan="2"></td><td>
          <form action="comment" method="post"><input type="hidden" name="parent" value="{story.id}"><input type="hidden" name="goto" value="item?id={story.id}"><textarea name="text" rows="8" cols="80" wrap="virtual"></textarea>
                <br><br><input type="submit" value="add comment"></form>
      </td></tr>"""
    rows: list[str] = []
    _walk(story.comments, story, rows)
    tree = f'<table border="0" class="comment-tree">\n{"".join(rows)}\n</table>' if rows else ""
    body = f"""<tr id="bigbox"><td><table class="fatitem" border="0">
        <tr class="athing submission" id="{story.id}">
      <td align="right" valign="top" class="title"><span class="rank"></span></td>      {votes}<td class="title">{_titleline(story)}</td></tr><tr><td colspan="2"></td>{_subtext(story, goto, item_page=True)}</tr>{toptext}{form}
  </table><br><br>
  {tree}
      <br><br></td></tr>"""
    return _page(f"{story.title} | Hacker News", body, op="item")


NEWS_CSS = """body  { font-family:Verdana, Geneva, sans-serif; font-size:10pt; color:#828282; }
td    { font-family:Verdana, Geneva, sans-serif; font-size:10pt; color:#828282; }
a:link    { color:#000000; text-decoration:none; }
a:visited { color:#828282; text-decoration:none; }
.pagetop  { font-family:Verdana, Geneva, sans-serif; font-size:10pt; color:#222222; line-height:12px; }
.pagetop a:visited { color:#000000; }
.topsel a:link, .topsel a:visited { color:#ffffff; }
.hnname { margin-right:5px; }
.title    { font-family:Verdana, Geneva, sans-serif; font-size:10pt; color:#828282; overflow:hidden; }
.titleline a:visited { color:#828282; }
.rank { }
.subtext, .subline { font-family:Verdana, Geneva, sans-serif; font-size:7pt; color:#828282; }
.subtext a:link, .subtext a:visited { color:#828282; }
.subtext a:hover { text-decoration:underline; }
.comhead  { font-family:Verdana, Geneva, sans-serif; font-size:8pt; color:#828282; }
.comhead a:link, .comhead a:visited, .sitebit a { color:#828282; }
.comhead a:hover { text-decoration:underline; }
.sitebit { font-size:8pt; }
.default { font-family:Verdana, Geneva, sans-serif; font-size:10pt; color:#828282; }
.commtext { font-family:Verdana, Geneva, sans-serif; font-size:9pt; }
.c00, .c00 a:link { color:#000000; }
.commtext p { margin-top:8px; margin-bottom:0; }
.reply { font-size:8pt; }
.reply p { margin-top:8px; }
.reply a:link, .reply a:visited { color:#000000; text-decoration:underline; }
.toptext { color:#000000; font-size:9pt; }
.toptext p { margin-top:8px; }
.yclinks { font-size:8pt; }
.yclinks a:link, .yclinks a:visited { color:#000000; }
.morelink { color:#000000; }
.votearrow { width:10px; height:10px; border:0px; margin:3px 2px 6px; background:url("triangle.svg"); background-size:10px; background-repeat:no-repeat; }
.votelinks { vertical-align:top; }
.clicky { cursor:pointer; }
.comment-tree .votelinks { padding-top:2px; }
form { margin:0; }
textarea { font-size:10pt; }
"""

LOGO = """<svg xmlns="http://www.w3.org/2000/svg" width="18" height="18" viewBox="4 4 188 188"><path d="m4 4h188v188h-188z" fill="#f60"/><path d="m73.25 53.75h19.67l22.08 44.25 20.54-44.25h19.2l-30.63 58.08v38.34h-16.95v-38.34z" fill="#fff"/></svg>
"""
TRIANGLE = """<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" viewBox="0 0 10 10"><path d="M5 1 L9.5 9 H0.5 Z" fill="#9a9a9a"/></svg>
"""
# A 1x1 transparent GIF: HN pads comment indents with it.
SPACER_GIF = bytes.fromhex("47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b")


def pages() -> dict[str, Content]:
    stories = build_stories()
    front = _page("Hacker News", _listing(stories, "news"))
    out: dict[str, Content] = {
        "index.html": front,
        "news.html": Alias("index.html"),
        "ask.html": _page("Ask | Hacker News", _listing([s for s in stories if s.url is None and s.title.startswith(("Ask HN", "Tell HN"))], "ask"), "ask", "ask"),
        "show.html": _page("Show | Hacker News", _listing([s for s in stories if s.title.startswith("Show HN")], "show"), "show", "show"),
        "jobs.html": _page("Jobs | Hacker News", _listing([s for s in stories if s.job], "jobs"), "jobs", "jobs"),
        "newest.html": _page("New Links | Hacker News", _listing(sorted(stories, key=lambda s: s.minutes), "newest"), "newest", "newest"),
        "news.css": NEWS_CSS,
        "y18.svg": LOGO,
        "triangle.svg": TRIANGLE,
        "s.gif": SPACER_GIF,
    }
    for story in stories:
        out[f"item/id={story.id}.html"] = _item_page(story)
    return out
