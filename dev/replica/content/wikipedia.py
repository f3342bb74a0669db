"""en.wikipedia.org: three invented articles and a main page in the Vector 2022 skin's
markup (h1#firstHeading, #mw-content-text > .mw-parser-output, table.infobox with
th.infobox-label / td.infobox-data, the lead before the first h2, the sidebar TOC)."""
import re
from typing import Any

from dev.replica.content import Alias, Content
from dev.replica.content.common import esc, svg_picture

HOST = "en.wikipedia.org"

# Article text uses a tiny wiki syntax: [[Target]] or [[Target|label]] links, '''bold''',
# ''italic'', {{ref:N}} a citation of the article's Nth reference.

PORT_ELLERY: dict[str, Any] = {
    "title": "Port Ellery",
    "shortdesc": "City in Nova Scotia, Canada",
    "lastmod": "2 November 2026, at 14:07",
    "infobox": {
        "class": "infobox ib-settlement vcard",
        "above": '<div class="fn org">Port Ellery</div>',
        "subheader": '<div class="category">[[City]]</div>',
        "image": ("Port_Ellery_harbourfront.svg", 200, "Harbourfront and the Customs House at dusk", "skyline"),
        "rows": [
            ("Nickname", "The Lantern City"),
            ("Motto", "''Lux in portu'' (Latin: \"Light in the harbour\")"),
            ("Country", "[[Canada]]"),
            ("Province", "[[Nova Scotia]]"),
            ("County", "[[Lunenburg County, Nova Scotia|Lunenburg County]]"),
            ("Founded", "1762"),
            ("Incorporated", "1874 (town), 1961 (city)"),
            ("header", "Government"),
            ("&#160;•&#160;Type", "Mayor–council"),
            ("&#160;•&#160;Mayor", "Dana Whitcombe"),
            ("&#160;•&#160;Governing body", "Port Ellery City Council"),
            ("header", "Area"),
            ("&#160;•&#160;City", "68.4&#160;km<sup>2</sup> (26.4&#160;sq&#160;mi)"),
            ("Elevation", "12&#160;m (39&#160;ft)"),
            ("header", "Population<span style=\"font-weight:normal\"> (2021)</span>{{ref:1}}"),
            ("&#160;•&#160;City", "41,287"),
            ("&#160;•&#160;Density", "603.6/km<sup>2</sup> (1,563/sq&#160;mi)"),
            ("Demonym", "Ellerian"),
            ("Time zone", "[[UTC−04:00|UTC−4]] ([[Atlantic Time Zone|AST]])"),
            ("&#160;•&#160;Summer (DST)", "[[UTC−03:00|UTC−3]] (ADT)"),
            ("Postal code span", "B0J, B2P"),
            ("Area code", "[[Area codes 902 and 782|902, 782]]"),
            ("Website", '<a rel="nofollow" class="external text" href="https://www.portellery.example.ca">portellery.example.ca</a>'),
        ],
    },
    "lead": [
        "'''Port Ellery''' is a city on the [[Atlantic Ocean|Atlantic]] coast of [[Nova Scotia]], [[Canada]], at the mouth of the Ellery River in [[Lunenburg County, Nova Scotia|Lunenburg County]]. With a population of 41,287 at the [[2021 Canadian census]], it is the province's fourth-largest municipality and the seat of the county's regional services.{{ref:1}}",
        "Founded in 1762 as a fishing and timber settlement, Port Ellery grew in the nineteenth century around shipbuilding and the salt-cod trade. Its harbourfront, lined with restored warehouses and the 1871 Customs House, is the centre of a tourism economy that now rivals the port itself. The city is known for its winter Lantern Festival, first held in 1958, which gives it the nickname \"The Lantern City\".{{ref:2}}",
    ],
    "sections": [
        ("History", [
            ("Early settlement", [
                "The area was used seasonally by the [[Mi'kmaq]] for centuries before European settlement; the river mouth appears on a 1749 survey under the name ''Wolastuk Cove''.{{ref:3}} A permanent settlement was established in 1762 by families from [[New England]] who received land grants after the [[Seven Years' War]]. The settlement was named after Captain Joshua Ellery, who surveyed the harbour for the colonial government.",
            ]),
            ("Shipbuilding era", [
                "Between 1820 and 1890 more than 400 wooden vessels were launched from Port Ellery's yards, most of them schooners for the [[Grand Banks]] fishery. The Harrow & Dunmore yard, the largest, employed 600 workers at its peak in 1868.{{ref:4}} The decline of wooden shipbuilding after the 1880s hit the town hard, and its population fell by nearly a third between 1891 and 1911.",
                "A fire in August 1897 destroyed much of the commercial district. The brick and stone buildings that replaced it form the core of today's Harbourfront Heritage District, designated in 1994.",
            ]),
            ("20th century to present", [
                "The opening of a fish-processing plant in 1934 and a naval fuel depot during the [[Second World War]] revived the economy. Port Ellery was incorporated as a city in 1961. Since the collapse of the Atlantic cod fishery in the early 1990s, the city has diversified into ocean technology, aquaculture research and tourism.{{ref:5}}",
            ]),
        ]),
        ("Geography", [
            "Port Ellery lies on a sheltered inlet where the Ellery River meets Mahone Sound. The historic centre occupies a narrow shelf between the harbour and a granite ridge known locally as the Backlands, which rises to 94 metres at Signal Hill. Newer residential districts extend north along the river valley.",
            ("Climate", [
                "The city has a humid continental climate (''Dfb'' in the [[Köppen climate classification]]) moderated by the ocean. Winters are cold and snowy but milder than inland Nova Scotia; summers are warm and often foggy. The average annual precipitation is 1,412&#160;mm, and the warmest month, August, averages 18.9&#160;°C.{{ref:6}}",
            ]),
        ]),
        ("Demographics", [
            "In the 2021 census Port Ellery had 41,287 residents living in 18,904 of its 20,116 private dwellings, a change of 4.8% from its 2016 population of 39,398. The median age was 44.6 years, older than the national median. English is the mother tongue of 91% of residents; 3% report French.{{ref:1}}",
        ]),
        ("Economy", [
            "The port handles about 1.2 million tonnes of cargo a year, mostly forest products and containerised seafood. The Port Ellery Ocean Technology Park, opened in 2009, hosts around 40 companies working on underwater sensors, marine robotics and offshore wind survey equipment.{{ref:5}} Tourism contributes an estimated C$310 million a year, concentrated in the summer months and the Lantern Festival in January.",
        ]),
        ("Culture", [
            "The Lantern Festival, held over three weekends in January, fills the harbourfront with illuminated sculptures built by local schools and community groups; it drew an estimated 120,000 visitors in 2025.{{ref:2}} The Harrow Maritime Museum, housed in the former shipyard's mould loft, holds one of the largest collections of half-hull ship models in Canada.",
        ]),
        ("Transportation", [
            "Port Ellery is served by [[Nova Scotia Highway 103|Highway 103]], which connects it to [[Halifax, Nova Scotia|Halifax]] about 95&#160;km to the north-east. Ellery Transit operates nine bus routes. A seasonal passenger ferry links the harbourfront with the islands of Mahone Sound from May to October.",
        ]),
    ],
    "see_also": ["List of cities in Nova Scotia", "Lunenburg County, Nova Scotia"],
    "references": [
        '"Census Profile, 2021 Census of Population: Port Ellery". Statistics Canada. 9 February 2022.',
        'Whitlock, Mara (14 January 2025). "Lantern Festival draws record crowds". <i>South Shore Chronicle</i>.',
        'MacAskill, Ewan (1988). <i>Place Names of the South Shore</i>. Halifax: Nimbus Press. p. 142.',
        'Dunmore, Alice (2003). <i>Wooden Ships, Iron Men: The Yards of Port Ellery</i>. Port Ellery: Harrow Maritime Museum. pp. 57–61.',
        '"Regional Economic Profile: South Shore". Nova Scotia Department of Economic Development. 2024.',
        '"Canadian Climate Normals 1991–2020: Port Ellery". Environment and Climate Change Canada.',
    ],
    "categories": ["Cities in Nova Scotia", "Populated places established in 1762", "Port cities in Canada"],
}

QUILL: dict[str, Any] = {
    "title": "Quill (programming language)",
    "shortdesc": "Statically typed multi-paradigm programming language",
    "lastmod": "19 November 2026, at 08:52",
    "infobox": {
        "class": "infobox vevent",
        "above": "Quill",
        "image": ("Quill_language_logo.svg", 120, None, "box"),
        "rows": [
            ("[[Programming paradigm|Paradigms]]", "[[Multi-paradigm programming language|Multi-paradigm]]: [[Functional programming|functional]], [[Imperative programming|imperative]], [[Concurrent computing|concurrent]]"),
            ("Family", "[[ML (programming language)|ML]]"),
            ("[[Software design|Designed&#160;by]]", "Maren Brandvold, Tomasz Wielgus"),
            ("[[Software developer|Developer]]", "The Quill Foundation"),
            ("First&#160;appeared", "22&#160;May 2014<span class=\"noprint\">; 12 years ago</span>"),
            ("[[Software release life cycle|Stable release]]", "3.2.1{{ref:1}}&#160;/ 14 August 2026"),
            ("[[Type system|Typing discipline]]", "[[Static typing|Static]], [[Strong and weak typing|strong]], [[Type inference|inferred]]"),
            ("[[Memory management]]", "[[Reference counting]] with cycle collection"),
            ("[[Computing platform|Platform]]", "[[x86-64]], [[AArch64]], [[RISC-V]], [[WebAssembly]]"),
            ("[[Operating system|OS]]", "[[Linux]], [[macOS]], [[Microsoft Windows|Windows]], [[FreeBSD]]"),
            ("[[Software license|License]]", "[[Apache License 2.0]]"),
            ("[[Filename extension]]s", "<code>.qll</code>, <code>.qlli</code>"),
            ("Website", '<a rel="nofollow" class="external text" href="https://quill-lang.example.org">quill-lang.example.org</a>'),
            ("header", "Influenced by"),
            ("full", "[[OCaml]], [[Rust (programming language)|Rust]], [[Python (programming language)|Python]], [[Erlang (programming language)|Erlang]]"),
            ("header", "Influenced"),
            ("full", "Kestrel, Lumen"),
        ],
    },
    "lead": [
        "'''Quill''' is a [[General-purpose programming language|general-purpose]], [[Static typing|statically typed]] [[Programming language|programming language]] that combines [[Functional programming|functional]] and [[Imperative programming|imperative]] styles. It was designed by Maren Brandvold and Tomasz Wielgus at the [[University of Tromsø]] and first released in May 2014.{{ref:2}} Quill uses [[Type inference|type inference]] in the tradition of [[ML (programming language)|ML]], an indentation-based syntax influenced by [[Python (programming language)|Python]], and lightweight processes with message passing modelled on [[Erlang (programming language)|Erlang]].",
        "Quill compiles to native code through its own backend and to [[WebAssembly]]. Since version 2.0 (2019) its development has been overseen by the non-profit Quill Foundation. The language is used mainly for network services, data pipelines and teaching; a 2025 developer survey found it in use at about 1.4% of respondents' workplaces.{{ref:3}}",
    ],
    "sections": [
        ("History", [
            "Work on Quill began in 2011 as a teaching language for a compilers course, after its designers found that students spent more time on [[C++]] build errors than on compiler construction.{{ref:2}} The first public release, 0.9, appeared in May 2014; version 1.0 followed in September 2016 with a stable standard library and a package manager, ''nib''.",
            "Version 2.0 (2019) replaced the original garbage collector with [[Reference counting|reference counting]] and a cycle collector, reducing pause times in long-running services. Version 3.0 (2023) introduced effect annotations, allowing functions to declare whether they perform input/output or may fail.{{ref:4}}",
        ]),
        ("Design", [
            ("Syntax", [
                "Quill uses significant indentation and keyword-led declarations. A minimal program:",
                "<div class=\"mw-highlight mw-highlight-lang-text mw-content-ltr\" dir=\"ltr\"><pre>fn main() -&gt; io ()\n    let names = [\"Ada\", \"Grace\", \"Maren\"]\n    for name in names\n        print(\"Hello, {name}!\")</pre></div>",
                "Pattern matching, algebraic data types and pipelines with the <code>|&gt;</code> operator are central to idiomatic Quill code.",
            ]),
            ("Type system", [
                "Quill's type system is based on Hindley–Milner inference extended with [[Type class|traits]] and effect annotations. Types of top-level functions may be omitted, but the official style guide recommends writing them. Nullable values are expressed with an <code>Option</code> type; there is no null reference.",
            ]),
            ("Concurrency", [
                "Concurrency is provided by ''tasks'', lightweight processes scheduled by the runtime across operating-system threads. Tasks share no mutable state and communicate through typed channels. A supervisor library, modelled on Erlang's OTP, restarts failed tasks according to declared strategies.{{ref:5}}",
            ]),
        ]),
        ("Tooling", [
            "The reference implementation, <code>quillc</code>, is self-hosting since version 1.4. The distribution includes ''nib'', a package manager and build tool; ''qfmt'', a formatter; and a language server. The central package registry hosted about 18,000 packages in 2026.{{ref:1}}",
        ]),
        ("Adoption", [
            "Quill is taught in introductory programming courses at several Nordic universities. Commercial users include logistics and telecommunications companies that use it for message-routing services. The language has a small but active community; its annual conference, QuillConf, has been held in Tromsø since 2017.{{ref:3}}",
        ]),
        ("Reception", [
            "Reviewers have praised Quill's error messages and the readability of its syntax. Criticism has focused on compile times for large projects, on the breaking changes of version 3.0, and on the relatively small ecosystem compared with mainstream languages.{{ref:4}}",
        ]),
    ],
    "see_also": ["Comparison of programming languages", "ML (programming language)"],
    "references": [
        '"Quill 3.2.1 release notes". The Quill Foundation. 14 August 2026.',
        'Brandvold, Maren; Wielgus, Tomasz (2014). "Quill: a teaching language that grew up". <i>Proceedings of the Nordic Workshop on Programming Languages</i>: 33–48.',
        '"Developer Survey 2025: Languages in use at work". DevPulse. 2025.',
        'Okafor, Chidi (3 March 2023). "Quill 3.0 brings effect annotations, and breaks things". <i>The Compile Report</i>.',
        'Wielgus, Tomasz (2021). <i>Concurrent Programming in Quill</i>. Tromsø: Nordlys Academic. ISBN 978-82-0000-000-0.',
    ],
    "categories": ["Programming languages created in 2014", "Statically typed programming languages", "Functional languages"],
}

BRANDVOLD: dict[str, Any] = {
    "title": "Ilse Brandvold",
    "shortdesc": "Norwegian-British physical chemist (1921–2004)",
    "lastmod": "27 October 2026, at 19:31",
    "infobox": {
        "class": "infobox biography vcard",
        "above": '<div class="fn">Ilse Brandvold</div>',
        "image": ("Ilse_Brandvold_1968.svg", 180, "Brandvold at the Cavendish Laboratory, 1968", "house"),
        "rows": [
            ("Born", "Ilse Marit Brandvold<br>(<span class=\"bday\">1921-03-14</span>)14 March 1921<br><span class=\"birthplace\">[[Bergen]], [[Norway]]</span>"),
            ("Died", "9 September 2004 (aged&#160;83)<br><span class=\"deathplace\">[[Cambridge]], [[England]]</span>"),
            ("Citizenship", "Norway, United Kingdom (from 1952)"),
            ("[[Alma mater]]", "[[University of Oslo]] (MSc)<br>[[University of Cambridge]] (PhD)"),
            ("Known&#160;for", "Brandvold cycle<br>Kinetics of stratospheric ozone<br>Flash photolysis of halogen oxides"),
            ("Spouse", "Harold Pryce (m. 1950)"),
            ("Children", "2, including [[Quill (programming language)|Maren Brandvold]]"),
            ("Awards", "Fellow of the Royal Society (1967)<br>Harland Medal (1974)<br>Fridtjof Prize for Atmospheric Science (1989)"),
            ("header", "Scientific career"),
            ("Fields", "[[Physical chemistry]], [[Atmospheric chemistry]]"),
            ("Institutions", "[[University of Cambridge]]<br>Meteorological Office Research Unit"),
            ("[[Thesis]]", "<i>Reaction kinetics of chlorine oxides in the gas phase</i> (1950)"),
            ("[[Doctoral advisor]]", "Edmund Hale"),
            ("Doctoral students", "Rashid Anwar<br>Clare Whitfield"),
        ],
    },
    "lead": [
        "'''Ilse Marit Brandvold''' [[Fellow of the Royal Society|FRS]] (14 March 1921 – 9 September 2004) was a Norwegian-British [[Physical chemistry|physical chemist]] whose laboratory studies of gas-phase reactions helped explain how [[chlorine]] and [[bromine]] compounds destroy [[ozone]] in the [[stratosphere]]. The catalytic sequence she described in 1963, later called the '''Brandvold cycle''', was an early quantitative model of halogen-driven ozone loss.{{ref:1}}",
        "Born in [[Bergen]], Brandvold studied at the [[University of Oslo]] and, after leaving occupied Norway in 1943, completed her doctorate at the [[University of Cambridge]]. She spent her career at Cambridge, where she led the atmospheric kinetics group from 1961 until her retirement in 1986, and was elected a Fellow of the Royal Society in 1967.{{ref:2}}",
    ],
    "sections": [
        ("Early life and education", [
            "Brandvold was born in Bergen, the second of three children of a harbour pilot and a schoolteacher. She studied chemistry at the University of Oslo from 1939, but her studies were interrupted when the university was closed during the German occupation. In 1943 she escaped to [[Scotland]] aboard a fishing boat, an episode she later described in a short memoir.{{ref:3}}",
            "After working as a laboratory assistant for the Norwegian government-in-exile, she was admitted to [[Girton College, Cambridge|Girton College]] in 1946 and completed a doctorate on the reaction kinetics of chlorine oxides under Edmund Hale in 1950.",
        ]),
        ("Career and research", [
            ("Flash photolysis", [
                "In the 1950s Brandvold adapted the newly developed technique of [[flash photolysis]] to follow short-lived halogen oxide radicals in the gas phase. Her measurements of the rate of the reaction between chlorine atoms and ozone, published in 1957, were within 10% of modern values.{{ref:4}}",
            ]),
            ("The Brandvold cycle", [
                "In a 1963 paper Brandvold combined her laboratory rate constants with estimates of stratospheric composition to show that a few parts per billion of chlorine could remove ozone catalytically, each chlorine atom destroying thousands of ozone molecules before being locked up in a reservoir compound. The work attracted little attention at the time, because no significant source of stratospheric chlorine was then known.{{ref:1}}",
                "When concern about [[Chlorofluorocarbon|chlorofluorocarbons]] arose in the 1970s, her rate data and reaction scheme were widely used in the first atmospheric models, and the sequence became known as the Brandvold cycle.{{ref:5}}",
            ]),
            ("Later work", [
                "From 1975 Brandvold advised the Meteorological Office on stratospheric measurements and served on international assessment panels that preceded the [[Montreal Protocol]]. After retiring in 1986 she continued to publish on bromine chemistry until 1998.",
            ]),
        ]),
        ("Personal life", [
            "Brandvold married Harold Pryce, a civil engineer, in 1950; they had two children. Their daughter Maren became a computer scientist and co-designed the [[Quill (programming language)|Quill programming language]]. Brandvold was a keen mountaineer and made several first ascents in the [[Lyngen Alps]] in the 1950s.{{ref:3}}",
        ]),
        ("Honours and legacy", [
            "Brandvold was elected a Fellow of the Royal Society in 1967 and received the Harland Medal in 1974. The Brandvold Laboratory for Atmospheric Chemistry at Cambridge, opened in 2008, is named after her, as is an asteroid, 21877 Brandvold.{{ref:2}}",
        ]),
    ],
    "see_also": ["Ozone depletion", "Montreal Protocol"],
    "references": [
        'Brandvold, I. M. (1963). "Catalytic removal of ozone by chlorine oxides in the upper atmosphere". <i>Transactions of the Faraday Society</i>. <b>59</b>: 1204–1216.',
        'Whitfield, Clare (2006). "Ilse Marit Brandvold. 14 March 1921 – 9 September 2004". <i>Biographical Memoirs of Fellows of the Royal Society</i>. <b>52</b>: 31–48.',
        'Brandvold, Ilse (1995). <i>Crossing in November</i>. Bergen: Vestlandet Forlag.',
        'Brandvold, I. M.; Hale, E. (1957). "Rate of the reaction Cl + O3 by flash photolysis". <i>Proceedings of the Royal Society A</i>. <b>241</b>: 88–101.',
        'Anwar, Rashid (1999). "Early laboratory kinetics and the ozone problem". <i>Journal of Atmospheric History</i>. <b>12</b> (3): 201–219.',
    ],
    "categories": ["1921 births", "2004 deaths", "Norwegian chemists", "Atmospheric chemists", "Fellows of the Royal Society"],
}

ARTICLES = [PORT_ELLERY, QUILL, BRANDVOLD]


def slug(title: str) -> str:
    return title.replace(" ", "_")


def _inline(text: str, refs: list[int] | None = None) -> str:
    def link(m: re.Match) -> str:
        target, _, label = m.group(1).partition("|")
        label = label or target
        return f'<a href="/wiki/{esc(slug(target))}" title="{esc(target)}">{label}</a>'

    def ref(m: re.Match) -> str:
        n = int(m.group(1))
        if refs is not None:
            refs.append(n)
        uses = refs.count(n) - 1 if refs is not None else 0
        return (f'<sup id="cite_ref-{n}-{uses}" class="reference"><a href="#cite_note-{n}">'
                f'<span class="cite-bracket">&#91;</span>{n}<span class="cite-bracket">&#93;</span></a></sup>')

    text = re.sub(r"\[\[([^\]]+)\]\]", link, text)
    text = re.sub(r"'''(.+?)'''", r"<b>\1</b>", text)
    text = re.sub(r"''(.+?)''", r"<i>\1</i>", text)
    return re.sub(r"\{\{ref:(\d+)\}\}", ref, text)


def _anchor(title: str) -> str:
    return slug(title)


def _heading(level: int, title: str, page: str, section: int) -> str:
    return (f'<div class="mw-heading mw-heading{level}"><h{level} id="{esc(_anchor(title))}">{esc(title)}</h{level}>'
            f'<span class="mw-editsection"><span class="mw-editsection-bracket">[</span>'
            f'<a href="/w/index.php?title={esc(slug(page))}&amp;action=edit&amp;section={section}" '
            f'title="Edit section: {esc(title)}"><span>edit</span></a>'
            f'<span class="mw-editsection-bracket">]</span></span></div>')


def _blocks(blocks: list, page: str, refs: list[int], toc: list, counter: list[int], level: int) -> str:
    out = []
    for block in blocks:
        if isinstance(block, tuple):
            title, inner = block
            counter[0] += 1
            toc.append((level + 1, title))
            out.append(_heading(level + 1, title, page, counter[0]))
            out.append(_blocks(inner, page, refs, toc, counter, level + 1))
        elif block.startswith("<div"):
            out.append(block)
        else:
            out.append(f"<p>{_inline(block, refs)}\n</p>")
    return "\n".join(out)


def _infobox(box: dict, refs: list[int], files: dict) -> str:
    rows = [f'<tr><th colspan="2" class="infobox-above{" summary" if "vevent" in box["class"] else ""}">'
            f'{_inline(box["above"])}</th></tr>']
    if "subheader" in box:
        rows.append(f'<tr><td colspan="2" class="infobox-subheader">{_inline(box["subheader"])}</td></tr>')
    if "image" in box:
        name, width, caption, shape = box["image"]
        height = width * 2 // 3 if shape != "house" else width * 5 // 4
        files[f"static/images/files/{name}"] = svg_picture(width, height, sum(map(ord, name)) % 360, shape=shape)
        cap = f'<div class="infobox-caption">{esc(caption)}</div>' if caption else ""
        rows.append(f'<tr><td colspan="2" class="infobox-image"><span class="mw-default-size" typeof="mw:File/Frameless">'
                    f'<a href="/wiki/File:{esc(name)}" class="mw-file-description"><img src="/static/images/files/{esc(name)}" '
                    f'decoding="async" width="{width}" height="{height}" class="mw-file-element"></a></span>{cap}</td></tr>')
    merged = False
    for label, value in box["rows"]:
        if label == "header":
            rows.append(f'<tr class="mergedtoprow"><th colspan="2" class="infobox-header">{_inline(value, refs)}</th></tr>')
            merged = True
        elif label == "full":
            rows.append(f'<tr><td colspan="2" class="infobox-full-data">{_inline(value, refs)}</td></tr>')
        else:
            cls = ' class="mergedrow"' if merged and label.startswith("&#160;") else (' class="mergedtoprow"' if merged else "")
            if not label.startswith("&#160;"):
                merged = False
            rows.append(f'<tr{cls}><th scope="row" class="infobox-label">{_inline(label)}</th>'
                        f'<td class="infobox-data">{_inline(value, refs)}</td></tr>')
    return f'<table class="{box["class"]}"><tbody>{"".join(rows)}</tbody></table>'


def _toc(toc: list) -> str:
    items = ['<li id="toc-mw-content-text" class="vector-toc-list-item vector-toc-level-1 vector-toc-list-item-active">'
             '<a href="#" class="vector-toc-link"><div class="vector-toc-text">(Top)</div></a></li>']
    numbers = [0, 0, 0, 0]
    open_sub = False
    for level, title in toc:
        depth = level - 1
        numbers[depth] += 1
        for d in range(depth + 1, len(numbers)):
            numbers[d] = 0
        numb = ".".join(str(n) for n in numbers[1:depth + 1])
        anchor = esc(_anchor(title))
        entry = (f'<li id="toc-{anchor}" class="vector-toc-list-item vector-toc-level-{depth}">'
                 f'<a href="#{anchor}" class="vector-toc-link"><div class="vector-toc-text">'
                 f'<span class="vector-toc-numb">{numb}</span><span>{esc(title)}</span></div></a>')
        if depth == 1:
            if open_sub:
                items.append("</ul></li>")
            items.append(entry + f'<ul id="toc-{anchor}-sublist" class="vector-toc-list">')
            open_sub = True
        else:
            items.append(entry + "</li>")
    if open_sub:
        items.append("</ul></li>")
    return (f'<nav id="mw-panel-toc" aria-label="Contents" data-event-name="ui.sidebar-toc" class="mw-table-of-contents-container vector-toc-landmark">'
            f'<div id="vector-toc-pinned-container" class="vector-pinned-container"><div id="vector-toc" class="vector-toc vector-pinnable-element">'
            f'<div class="vector-pinnable-header vector-toc-pinnable-header vector-pinnable-header-pinned" data-feature-name="toc-pinned">'
            f'<h2 class="vector-pinnable-header-label">Contents</h2></div>'
            f'<ul class="vector-toc-contents" id="mw-panel-toc-list">{"".join(items)}</ul></div></div></nav>')


def _skin(title: str, page_slug: str, content: str, toc: str, lastmod: str, categories: list[str],
          namespace: str = "Article") -> str:
    cats = "".join(f'<li><a href="/wiki/Category:{esc(slug(c))}" title="Category:{esc(c)}">{esc(c)}</a></li>' for c in categories)
    catlinks = (f'<div id="catlinks" class="catlinks" data-mw="interface"><div id="mw-normal-catlinks" class="mw-normal-catlinks">'
                f'<a href="/wiki/Help:Category" title="Help:Category">Categories</a>: <ul>{cats}</ul></div></div>') if categories else ""
    heading = ('<h1 id="firstHeading" class="firstHeading mw-first-heading" style="display: none"><span class="mw-page-title-main">Main Page</span></h1>'
               if page_slug == "Main_Page" else
               f'<h1 id="firstHeading" class="firstHeading mw-first-heading"><span class="mw-page-title-main">{esc(title)}</span></h1>')
    return f"""<!DOCTYPE html>
<html class="client-nojs vector-feature-language-in-header-enabled vector-feature-main-menu-pinned-disabled vector-feature-toc-pinned-clientpref-1 skin-theme-clientpref-day" lang="en" dir="ltr">
<head>
<meta charset="UTF-8">
<title>{esc(title)} - Wikipedia</title>
<link rel="stylesheet" href="/static/css/vector-2022.css">
<meta name="viewport" content="width=1120">
<link rel="icon" href="/static/favicon/wikipedia.ico">
<link rel="search" type="application/opensearchdescription+xml" href="/w/rest.php/v1/search" title="Wikipedia (en)">
<link rel="canonical" href="https://en.wikipedia.org/wiki/{esc(page_slug)}">
</head>
<body class="skin--responsive skin-vector skin-vector-search-vue mediawiki ltr sitedir-ltr mw-hide-empty-elt ns-0 ns-subject page-{esc(page_slug)} rootpage-{esc(page_slug)} skin-vector-2022 action-view">
<a class="mw-jump-link" href="#bodyContent">Jump to content</a>
<div class="vector-header-container">
<header class="vector-header mw-header">
<div class="vector-header-start">
<nav class="vector-main-menu-landmark" aria-label="Site"><div id="vector-main-menu-dropdown" class="vector-dropdown vector-main-menu-dropdown"><label class="vector-dropdown-label" aria-label="Main menu"><span class="vector-icon mw-ui-icon-menu"></span><span class="vector-dropdown-label-text">Main menu</span></label></div></nav>
<a href="/wiki/Main_Page" class="mw-logo"><span class="mw-logo-container skin-invert"><strong class="mw-logo-wordmark">Wikipedia</strong><small class="mw-logo-tagline">The Free Encyclopedia</small></span></a>
</div>
<div class="vector-header-end">
<div id="p-search" role="search" class="vector-search-box-vue vector-search-box-collapses vector-search-box-show-thumbnail vector-search-box-auto-expand-width vector-search-box">
<div class="vector-typeahead-search-container"><div class="cdx-typeahead-search cdx-typeahead-search--show-thumbnail cdx-typeahead-search--auto-expand-width">
<form action="/w/index.php" id="searchform" class="cdx-search-input cdx-search-input--has-end-button">
<div id="simpleSearch" class="cdx-search-input__input-wrapper" data-search-loc="header-moved"><div class="cdx-text-input cdx-text-input--has-start-icon">
<input class="cdx-text-input__input" type="search" name="search" placeholder="Search Wikipedia" aria-label="Search Wikipedia" autocapitalize="sentences" title="Search Wikipedia [f]" accesskey="f" id="searchInput">
</div><input type="hidden" name="title" value="Special:Search"></div>
<button class="cdx-button cdx-search-input__end-button">Search</button>
</form></div></div></div>
<nav class="vector-user-links" aria-label="Personal tools"><div id="p-vector-user-menu-overflow" class="vector-menu"><ul class="vector-menu-content-list">
<li id="pt-createaccount-2" class="user-links-collapsible-item mw-list-item"><a href="/w/index.php?title=Special:CreateAccount&amp;returnto={esc(page_slug)}"><span>Create account</span></a></li>
<li id="pt-login-2" class="user-links-collapsible-item mw-list-item"><a href="/w/index.php?title=Special:UserLogin&amp;returnto={esc(page_slug)}"><span>Log in</span></a></li>
</ul></div></nav>
</div>
</header>
</div>
<div class="mw-page-container">
<div class="mw-page-container-inner">
<div class="vector-sitenotice-container"><div id="siteNotice"></div></div>
<div class="vector-column-start">
<div class="vector-main-menu-container"><div id="mw-navigation"><nav id="mw-panel" class="vector-main-menu-landmark" aria-label="Site"><div id="p-navigation" class="vector-menu mw-portlet mw-portlet-navigation"><div class="vector-menu-heading">Navigation</div><div class="vector-menu-content"><ul class="vector-menu-content-list">
<li id="n-mainpage-description" class="mw-list-item"><a href="/wiki/Main_Page" title="Visit the main page [z]" accesskey="z"><span>Main page</span></a></li>
<li id="n-contents" class="mw-list-item"><a href="/wiki/Wikipedia:Contents"><span>Contents</span></a></li>
<li id="n-randompage" class="mw-list-item"><a href="/wiki/Special:Random" accesskey="x"><span>Random article</span></a></li>
</ul></div></div></nav></div></div>
{toc}
</div>
<div class="mw-content-container">
<main id="content" class="mw-body">
<header class="mw-body-header vector-page-titlebar">
{heading}
</header>
<div class="vector-page-toolbar"><div class="vector-page-toolbar-container">
<div id="left-navigation"><nav aria-label="Namespaces"><div id="p-associated-pages" class="vector-menu vector-menu-tabs mw-portlet"><div class="vector-menu-content"><ul class="vector-menu-content-list">
<li id="ca-nstab-main" class="selected vector-tab-noicon mw-list-item"><a href="/wiki/{esc(page_slug)}" title="View the content page [c]" accesskey="c"><span>{namespace}</span></a></li>
<li id="ca-talk" class="vector-tab-noicon mw-list-item"><a href="/wiki/Talk:{esc(page_slug)}" rel="discussion" title="Discuss improvements to the content page [t]" accesskey="t"><span>Talk</span></a></li>
</ul></div></div></nav></div>
<div id="right-navigation" class="vector-collapsible"><nav aria-label="Views"><div id="p-views" class="vector-menu vector-menu-tabs mw-portlet"><div class="vector-menu-content"><ul class="vector-menu-content-list">
<li id="ca-view" class="selected vector-tab-noicon mw-list-item"><a href="/wiki/{esc(page_slug)}"><span>Read</span></a></li>
<li id="ca-edit" class="vector-tab-noicon mw-list-item"><a href="/w/index.php?title={esc(page_slug)}&amp;action=edit" title="Edit this page [e]" accesskey="e"><span>Edit</span></a></li>
<li id="ca-history" class="vector-tab-noicon mw-list-item"><a href="/w/index.php?title={esc(page_slug)}&amp;action=history" title="Past revisions of this page [h]" accesskey="h"><span>View history</span></a></li>
</ul></div></div></nav></div>
</div></div>
<div id="bodyContent" class="vector-body" aria-labelledby="firstHeading" data-mw-ve-target-container>
<div class="vector-body-before-content"><div id="siteSub" class="noprint">From Wikipedia, the free encyclopedia</div></div>
<div id="contentSub"><div id="mw-content-subtitle"></div></div>
<div id="mw-content-text" class="mw-body-content"><div class="mw-content-ltr mw-parser-output" lang="en" dir="ltr">{content}</div></div>
<div class="printfooter" data-nosnippet="">Retrieved from "<a dir="ltr" href="https://en.wikipedia.org/wiki/{esc(page_slug)}">https://en.wikipedia.org/wiki/{esc(page_slug)}</a>"</div>
{catlinks}
</div>
</main>
</div>
<div class="mw-footer-container">
<footer id="footer" class="mw-footer">
<ul id="footer-info">
<li id="footer-info-lastmod"> This page was last edited on {lastmod}<span class="anonymous-show">&#160;(UTC)</span>.</li>
<li id="footer-info-copyright">Text is available under the <a rel="nofollow" class="external text" href="https://creativecommons.org/licenses/by-sa/4.0/deed.en">Creative Commons Attribution-ShareAlike 4.0 License</a>; additional terms may apply.</li>
</ul>
<ul id="footer-places">
<li id="footer-places-privacy"><a href="https://foundation.wikimedia.org/wiki/Special:MyLanguage/Policy:Privacy_policy">Privacy policy</a></li>
<li id="footer-places-about"><a href="/wiki/Wikipedia:About">About Wikipedia</a></li>
<li id="footer-places-disclaimers"><a href="/wiki/Wikipedia:General_disclaimer">Disclaimers</a></li>
</ul>
</footer>
</div>
</div>
</div>
</body>
</html>
"""


def _article(article: dict, files: dict) -> str:
    title, page = article["title"], slug(article["title"])
    refs: list[int] = []
    toc: list = []
    counter = [0]
    parts = [f'<div class="shortdescription nomobile noexcerpt noprint searchaux" style="display:none">{esc(article["shortdesc"])}</div>',
             _infobox(article["infobox"], refs, files)]
    parts += [f"<p>{_inline(p, refs)}\n</p>" for p in article["lead"]]
    parts.append('<meta property="mw:PageProp/toc">')
    parts.append(_blocks(list(article["sections"]), page, refs, toc, counter, 1))
    sa_items = "".join(f'<li><a href="/wiki/{esc(slug(s))}" title="{esc(s)}">{esc(s)}</a></li>' for s in article["see_also"])
    counter[0] += 1
    toc.append((2, "See also"))
    parts.append(_heading(2, "See also", page, counter[0]) + f"\n<ul>{sa_items}</ul>")
    counter[0] += 1
    toc.append((2, "References"))
    notes = []
    for n, text in enumerate(article["references"], 1):
        uses = refs.count(n)
        if uses <= 1:
            back = f'<span class="mw-cite-backlink"><b><a href="#cite_ref-{n}-0">^</a></b></span>'
        else:
            letters = "".join(f'<sup><i><b><a href="#cite_ref-{n}-{i}">{chr(97 + i)}</a></b></i></sup> ' for i in range(uses))
            back = f'<span class="mw-cite-backlink">^ {letters}</span>'
        notes.append(f'<li id="cite_note-{n}">{back} <span class="reference-text"><cite class="citation cs1">{text}</cite></span>\n</li>')
    parts.append(_heading(2, "References", page, counter[0]) +
                 f'\n<div class="reflist"><div class="mw-references-wrap"><ol class="references">\n{"".join(notes)}</ol></div></div>')
    return _skin(title, page, "\n".join(parts), _toc(toc), article["lastmod"], article["categories"])


def _main_page() -> str:
    items = "".join(
        f'<li><a href="/wiki/{esc(slug(a["title"]))}" title="{esc(a["title"])}">{esc(a["title"])}</a> – {esc(a["shortdesc"])}</li>'
        for a in ARTICLES)
    blurb = _inline(PORT_ELLERY["lead"][0].replace("{{ref:1}}", ""))
    content = f"""<div id="mp-welcome" class="mp-welcome"><h2>Welcome to <a href="/wiki/Wikipedia" title="Wikipedia">Wikipedia</a>,</h2>
<div id="mp-free">the <a href="/wiki/Free_content" title="Free content">free</a> <a href="/wiki/Encyclopedia" title="Encyclopedia">encyclopedia</a> that <a href="/wiki/Help:Introduction_to_Wikipedia" title="Help:Introduction to Wikipedia">anyone can edit</a>.</div></div>
<div id="mp-upper"><div id="mp-left" class="MainPageBG mp-box">
<h2 class="mp-h2" id="mp-tfa-h2">From today's featured article</h2>
<div id="mp-tfa" class="mp-contains-float"><p>{blurb} (<b><a href="/wiki/Port_Ellery" title="Port Ellery">Full&#160;article...</a></b>)</p></div>
<h2 class="mp-h2" id="mp-dyk-h2">Did you know&#160;...</h2>
<div id="mp-dyk"><ul>
<li>... that the chemist <a href="/wiki/Ilse_Brandvold" title="Ilse Brandvold">Ilse Brandvold</a> escaped occupied Norway on a fishing boat in 1943?</li>
<li>... that the <a href="/wiki/Quill_(programming_language)" title="Quill (programming language)">Quill programming language</a> began as a teaching language for a compilers course?</li>
</ul></div></div>
<div id="mp-right" class="MainPageBG mp-box"><h2 class="mp-h2" id="mp-itn-h2">In the news</h2>
<div id="mp-itn"><ul>{items}</ul></div></div></div>"""
    return _skin("Wikipedia, the free encyclopedia", "Main_Page", content, "", "1 November 2026, at 00:00", [], namespace="Main Page")


CSS = """html, body { margin:0; padding:0; font-family:sans-serif; color:#202122; background:#fff; }
a { color:#3366cc; text-decoration:none; } a:hover { text-decoration:underline; }
.mw-jump-link { position:absolute; left:-9999px; }
.vector-header-container { border-bottom:1px solid #eaecf0; }
.vector-header { display:flex; align-items:center; justify-content:space-between; max-width:1596px; margin:0 auto; padding:8px 24px; box-sizing:border-box; }
.vector-header-start, .vector-header-end { display:flex; align-items:center; gap:16px; }
.vector-dropdown-label-text { position:absolute; left:-9999px; }
.vector-icon.mw-ui-icon-menu { display:inline-block; width:20px; height:14px; border-top:2px solid #202122; border-bottom:2px solid #202122; position:relative; }
.mw-logo-container { display:flex; flex-direction:column; }
.mw-logo-wordmark { font-family:'Linux Libertine','Georgia','Times',serif; font-size:22px; font-weight:normal; letter-spacing:0.5px; color:#000; }
.mw-logo-tagline { font-family:'Linux Libertine','Georgia','Times',serif; font-size:11px; color:#000; }
#searchform { display:flex; }
.cdx-text-input__input { width:360px; padding:6px 8px; border:1px solid #a2a9b1; border-radius:2px 0 0 2px; font-size:14px; }
.cdx-button { padding:6px 12px; border:1px solid #a2a9b1; background:#f8f9fa; font-weight:bold; border-radius:0 2px 2px 0; }
.vector-user-links ul { list-style:none; display:flex; gap:12px; margin:0; padding:0; font-size:14px; }
.mw-page-container { max-width:1596px; margin:0 auto; padding:0 24px; box-sizing:border-box; }
.mw-page-container-inner { display:grid; grid-template-columns:15.5rem minmax(0,1fr); column-gap:24px; }
.vector-column-start { grid-column:1; grid-row:1 / span 2; font-size:14px; }
.mw-content-container { grid-column:2; grid-row:1; }
.mw-footer-container { grid-column:2; grid-row:2; }
.vector-sitenotice-container { display:none; }
.vector-main-menu-container { display:none; }
.vector-menu-heading { color:#54595d; font-weight:bold; margin:12px 0 4px; }
.vector-menu-content-list { list-style:none; margin:0; padding:0; }
.vector-toc { position:sticky; top:0; padding-top:16px; }
.vector-pinnable-header-label { font-family:sans-serif; font-size:14px; font-weight:bold; margin:0 0 8px; border-bottom:1px solid #eaecf0; padding-bottom:6px; }
.vector-toc-contents, .vector-toc-list { list-style:none; margin:0; padding:0; }
.vector-toc-list { padding-left:12px; }
.vector-toc-list-item { margin:4px 0; }
.vector-toc-numb { display:none; }
.vector-toc-list-item-active > a { color:#202122; font-weight:bold; }
.vector-page-titlebar { border-bottom:1px solid #a2a9b1; margin-top:16px; }
.firstHeading { font-family:'Linux Libertine','Georgia','Times',serif; font-size:28.8px; font-weight:normal; margin:0 0 4px; line-height:1.375; }
.vector-page-toolbar-container { display:flex; justify-content:space-between; font-size:14px; border-bottom:1px solid #eaecf0; }
.vector-menu-tabs ul { display:flex; gap:16px; list-style:none; margin:0; padding:8px 0; }
.vector-menu-tabs .selected a { color:#202122; border-bottom:2px solid #202122; padding-bottom:6px; }
#siteSub { font-size:12.8px; color:#54595d; margin-top:8px; }
.mw-body-content { font-size:14px; line-height:1.6; }
.mw-parser-output p { margin:0.5em 0 1em; }
.mw-heading2 { border-bottom:1px solid #a2a9b1; margin:1em 0 0.25em; display:flex; align-items:baseline; gap:8px; }
.mw-heading2 h2 { font-family:'Linux Libertine','Georgia','Times',serif; font-size:1.5em; font-weight:normal; margin:0; }
.mw-heading3 { display:flex; align-items:baseline; gap:8px; margin:0.3em 0 0; }
.mw-heading3 h3 { font-size:1.2em; margin:0; }
.mw-editsection { font-size:12px; color:#54595d; }
.infobox { float:right; clear:right; width:22em; margin:0.5em 0 0.5em 1em; padding:0.2em; border:1px solid #a2a9b1; background:#f8f9fa; font-size:88%; line-height:1.5em; border-spacing:3px; }
.infobox-above { font-size:125%; font-weight:bold; text-align:center; padding:0.2em; }
.infobox-subheader, .infobox-image, .infobox-full-data { text-align:center; }
.infobox-caption { font-size:95%; padding-top:0.2em; }
.infobox-header { background:#ccf; text-align:center; padding:0.2em; }
.infobox-label { text-align:left; vertical-align:top; padding-right:0.6em; }
.infobox-data { vertical-align:top; }
.reference { font-size:75%; line-height:1; vertical-align:super; }
.references { font-size:90%; }
.mw-highlight pre { background:#f8f9fa; border:1px solid #eaecf0; padding:1em; font-size:13px; line-height:1.3; }
.catlinks { border:1px solid #a2a9b1; background:#f8f9fa; padding:5px; margin-top:1em; font-size:14px; clear:both; }
.catlinks ul { display:inline; margin:0; padding:0; list-style:none; }
.catlinks li { display:inline-block; border-left:1px solid #a2a9b1; padding:0 0.5em; }
.catlinks li:first-child { border-left:none; }
.printfooter { display:none; }
.mw-footer { border-top:1px solid #a2a9b1; margin-top:16px; padding:12px 0; font-size:12px; }
.mw-footer ul { list-style:none; padding:0; }
#footer-places li { display:inline; margin-right:12px; }
.mp-welcome { background:#f8f9fa; border:1px solid #ddd; padding:8px; text-align:center; margin:8px 0; }
.mp-welcome h2 { margin:0; font-weight:normal; font-family:'Linux Libertine','Georgia','Times',serif; }
#mp-upper { display:flex; gap:12px; }
.mp-box { flex:1; border:1px solid #cef2e0; padding:0 8px 8px; }
#mp-right { border-color:#cedff2; }
.mp-h2 { background:#cef2e0; font-size:120%; font-weight:bold; margin:0 -8px 8px; padding:3px 8px; font-family:sans-serif; }
#mp-right .mp-h2 { background:#cedff2; }
"""

def pages() -> dict[str, Content]:
    files: dict[str, Content] = {}
    for article in ARTICLES:
        files[f"wiki/{slug(article['title'])}.html"] = _article(article, files)
    main = _main_page()
    files["wiki/Main_Page.html"] = main
    files["index.html"] = Alias("wiki/Main_Page.html")
    files["static/css/vector-2022.css"] = CSS
    return files
