"""www.airbnb.com: lodging search results at /s/<Place>/homes (12 invented listings per
place) and a page per listing at /rooms/<id>, in Airbnb's markup: listing cards with
data-testid="card-container", "listing-card-title", "listing-card-name",
"listing-card-subtitle", "price-availability-row", schema.org ListItem metadata."""
from typing import Any

from dev.replica.content import Alias, Content
from dev.replica.content.common import esc, svg_picture

HOST = "www.airbnb.com"

# (id, kind, neighbourhood, name, bedrooms, beds, baths, guests, price per night USD,
#  rating or None (new), reviews, guest favorite, host, superhost)
PLACES: dict[str, dict[str, Any]] = {
    "Lisbon": {
        "country": "Portugal", "dates": "Dec 4 – 9", "hue": 30,
        "listings": [
            (51873004, "Apartment", "Alfama", "Sunlit loft with river view near the castle", 1, 1, 1, 2, 94, 4.93, 214, True, "Inês", True),
            (51873017, "Apartment", "Baixa", "Pombaline flat steps from Rua Augusta", 2, 3, 1, 5, 128, 4.81, 96, False, "Tiago", True),
            (51873029, "Room", "Bairro Alto", "Quiet double room above a bookshop", 1, 1, 1, 2, 52, 4.74, 158, False, "Marta", False),
            (51873036, "Loft", "Príncipe Real", "Designer loft with a private garden terrace", 1, 1, 1, 2, 176, 4.97, 63, True, "Rui", True),
            (51873044, "Condo", "Parque das Nações", "Modern condo with pool and Tagus views", 2, 2, 2, 4, 139, 4.88, 41, False, "Sofia", False),
            (51873058, "Apartment", "Graça", "Tiled apartment with a miradouro at the door", 1, 2, 1, 3, 81, 4.86, 302, True, "Joana", True),
            (51873061, "Guest suite", "Belém", "Garden suite a short walk from the monastery", 1, 1, 1, 2, 88, None, 0, False, "Pedro", False),
            (51873075, "Apartment", "Mouraria", "Bright flat on a fado street", 1, 1, 1, 2, 73, 4.69, 127, False, "Ana", False),
            (51873089, "Townhouse", "Campo de Ourique", "Family townhouse near the market", 3, 4, 2, 7, 231, 4.91, 38, True, "Miguel", True),
            (51873092, "Apartment", "Cais do Sodré", "Riverside studio by the Time Out Market", 0, 1, 1, 2, 99, 4.78, 185, False, "Carla", False),
            (51873106, "Home", "Estrela", "Balcony home overlooking the basilica", 2, 2, 1, 4, 142, 4.95, 77, True, "Helena", True),
            (51873113, "Room", "Arroios", "Private room in a plant-filled flat", 1, 1, 1, 1, 44, 4.83, 239, False, "Duarte", False),
        ],
    },
    "Kyoto": {
        "country": "Japan", "dates": "Jan 12 – 17", "hue": 340,
        "listings": [
            (72640011, "Townhouse", "Higashiyama", "Restored machiya with a moss garden", 2, 3, 1, 5, 212, 4.96, 188, True, "Haruka", True),
            (72640025, "Ryokan", "Gion", "Tatami room in a family-run inn near Yasaka Shrine", 1, 2, 1, 2, 165, 4.92, 341, True, "Kenji", True),
            (72640038, "Apartment", "Nakagyo", "Compact flat by Nishiki Market", 1, 1, 1, 2, 86, 4.79, 226, False, "Yui", False),
            (72640042, "Home", "Arashiyama", "Riverside house near the bamboo grove", 3, 4, 2, 6, 298, 4.94, 57, True, "Takeshi", True),
            (72640057, "Room", "Sakyo", "Quiet room near the Philosopher's Path", 1, 1, 1, 1, 48, 4.88, 412, False, "Aiko", True),
            (72640063, "Condo", "Shimogyo", "Modern condo five minutes from Kyoto Station", 1, 2, 1, 3, 102, 4.71, 133, False, "Daiki", False),
            (72640079, "Townhouse", "Kamigyo", "Weaver's townhouse in Nishijin", 2, 2, 1, 4, 187, None, 0, False, "Emi", False),
            (72640084, "Guesthouse", "Fushimi", "Sake-district guesthouse near Fushimi Inari", 1, 2, 1, 3, 74, 4.85, 96, False, "Ryo", False),
            (72640096, "Apartment", "Nakagyo", "Loft-style apartment on Sanjo Street", 1, 2, 1, 4, 119, 4.82, 71, False, "Mei", False),
            (72640101, "Home", "Kita", "Tea-room house near Kinkaku-ji", 2, 3, 1, 5, 176, 4.97, 44, True, "Sachiko", True),
            (72640118, "Room", "Shimogyo", "Capsule-style room with shared lounge", 1, 1, 1, 1, 33, 4.58, 507, False, "Kaito", False),
            (72640123, "Apartment", "Higashiyama", "Canal-side apartment in Shirakawa", 1, 1, 1, 2, 137, 4.9, 118, True, "Nao", True),
        ],
    },
}
# Real search URLs often spell the place out: /s/Lisbon--Portugal/homes is the same page.
ALIASES = {"Lisbon--Portugal": "Lisbon", "Kyoto--Japan": "Kyoto"}


def _beds(bedrooms: int, beds: int) -> str:
    first = "Studio" if bedrooms == 0 else f"{bedrooms} bedroom{'s' if bedrooms != 1 else ''}"
    return f"{first} · {beds} bed{'s' if beds != 1 else ''}"


def _rating_label(rating, reviews) -> tuple[str, str]:
    if rating is None:
        return "New", "New place to stay"
    return f"{rating:.2f} ({reviews})", f"{rating:.2f} out of 5 average rating,  {reviews} reviews"


def _header(place: str = "", dates: str = "") -> str:
    where = esc(place) or "Search destinations"
    when = esc(dates) if dates else "Add dates"
    return f"""<header class="c1kn6kxw atm_9s_1txwivl dir dir-ltr" data-testid="header"><div class="c1yx5ch9 dir dir-ltr">
<div class="l1ymb5as dir dir-ltr"><a href="/" aria-label="Airbnb homepage" class="c13cw3wj dir dir-ltr"><span class="logo-text">airbnb</span></a></div>
<div class="c1ad6kcl dir dir-ltr"><div data-testid="little-search" class="lsbs2wo dir dir-ltr" role="search">
<button type="button" data-index="0" class="l1ovpqvx b1dhfmbi dir dir-ltr"><div class="l1yo7ux5 dir dir-ltr">{where}</div></button><span class="s1kdlgy7 dir dir-ltr"></span>
<button type="button" data-index="1" class="l1ovpqvx b1dhfmbi dir dir-ltr"><div class="l1yo7ux5 dir dir-ltr">{when}</div></button><span class="s1kdlgy7 dir dir-ltr"></span>
<button type="button" data-index="2" class="l1ovpqvx b1dhfmbi dir dir-ltr"><div class="l1yo7ux5 dir dir-ltr">Add guests</div><div class="s1i3sfmw dir dir-ltr"><span class="search-icon" aria-label="Search">&#9906;</span></div></button>
</div></div>
<div class="c1sb7q8e dir dir-ltr"><nav aria-label="Profile"><a href="/host/homes" class="_1jkarl1m">Airbnb your home</a>
<button type="button" data-testid="cypress-headernav-profile" aria-label="Main navigation menu" class="c1grjlav dir dir-ltr">&#9776; &#9679;</button></nav></div>
</div></header>"""


def _page(title: str, body: str, place: str = "", dates: str = "") -> str:
    return f"""<!DOCTYPE html>
<html lang="en" dir="ltr" data-is-hyperloop="true" data-is-async-local-storage="true">
<head>
<meta charset="utf-8">
<title>{esc(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/static/packages/replica-airbnb.css">
<link rel="icon" href="/favicon.ico">
</head>
<body class="with-new-header">
<div id="react-application" data-application="true"><div dir="ltr"><div class="c1pdabkv dir dir-ltr">
{_header(place, dates)}
{body}
<footer class="f1ffbvlx dir dir-ltr" role="contentinfo"><div class="_1c0xhh8"><span>© 2026 Airbnb, Inc.</span> · <a href="/help/article/2855">Privacy</a> · <a href="/terms">Terms</a> · <a href="/sitemaps/v2">Sitemap</a></div></footer>
</div></div></div>
</body>
</html>
"""


def _card(row: tuple, place: str, position: int, dates: str) -> str:
    (lid, kind, hood, name, bedrooms, beds, baths, guests, price, rating, reviews, favorite, host, superhost) = row
    shown, spoken = _rating_label(rating, reviews)
    title = f"{kind} in {hood}"
    meta = f"{kind} in {place} · ★{rating:.2f} · {_beds(bedrooms, beds)} · {baths} bath" if rating else f"{kind} in {place} · ★New · {_beds(bedrooms, beds)} · {baths} bath"
    badge = ('<div class="t1qa5xaj atm_7l_1kw7nm4 dir dir-ltr"><div class="t1mwk1n0 atm_1s_glywfm dir dir-ltr" '
             'data-testid="guest-favorite-badge">Guest favorite</div></div>') if favorite else (
             '<div class="t1qa5xaj dir dir-ltr"><div class="t1mwk1n0 dir dir-ltr">Superhost</div></div>' if superhost else "")
    return f"""<div class="c4mnd7m atm_9s_11p5wf0 dir dir-ltr" style="--grid-item-position:{position};"><div itemprop="itemListElement" itemscope itemtype="http://schema.org/ListItem">
<meta itemprop="name" content="{esc(meta)}"><meta itemprop="position" content="{position}"><meta itemprop="url" content="www.airbnb.com/rooms/{lid}?adults=1&amp;children=0&amp;search_mode=regular_search">
<div data-testid="card-container" aria-labelledby="title_{lid}" role="group" class="c965t3n atm_9s_11p5wf0 atm_dz_1osqo2v dir dir-ltr">
<a target="listing_{lid}" aria-hidden="true" tabindex="-1" href="/rooms/{lid}?adults=1&amp;search_mode=regular_search" rel="noopener noreferrer nofollow" aria-labelledby="title_{lid}" class="l1ovpqvx atm_1he2i46_1k8pnbi_10saat9 bn2bl2p dir dir-ltr"></a>
<div class="cy5jw6o atm_5j_223wjw dir dir-ltr"><div class="c14dgvke atm_9s_1txwivl dir dir-ltr"><div class="c1l1h97y dir dir-ltr">
<div class="rfexzly dir dir-ltr" role="presentation"><picture><img class="itu7ddv i1mla2as i1cqnm0r dir dir-ltr" src="/im/pictures/{lid}.svg" alt="" aria-hidden="true" elementtiming="LCP-target" loading="lazy"></picture></div>
{badge}
<button type="button" aria-label="Add to wishlist: {esc(title)}" class="wishlist-button" data-testid="listing-card-save-button">&#9825;</button>
</div></div>
<div class="g1qv1ctd atm_u80d3j_1li1fea c1v0rf5q dir dir-ltr">
<div data-testid="listing-card-title" id="title_{lid}" class="t1jojoys atm_g3_1kw7nm4 atm_ks15vq_6rme2d dir dir-ltr">{esc(title)}</div>
<div data-testid="listing-card-subtitle" class="fb4nyux atm_da_cbdd7d s1cjsi4j dir dir-ltr"><span data-testid="listing-card-name" class="t6mzqp7 atm_g3_1kw7nm4 dir dir-ltr">{esc(name)}</span></div>
<div data-testid="listing-card-subtitle" class="fb4nyux s1cjsi4j atm_da_cbdd7d dir dir-ltr"><span class="dir dir-ltr">{_beds(bedrooms, beds)}</span></div>
<div data-testid="listing-card-subtitle" class="fb4nyux s1cjsi4j atm_da_cbdd7d dir dir-ltr"><span class="dir dir-ltr">{esc(dates)}</span></div>
<div data-testid="price-availability-row" class="pquyp1l atm_da_cbdd7d pi11895 dir dir-ltr"><div class="_tt122m"><div class="_1jo4hgw" aria-hidden="true"><span class="_11jcbg2"><span class="_1y74zjx">${price}</span>&nbsp;<span class="_1qgfaxb">night</span></span></div>
<span class="a8jt5op atm_3f_idpfg4 atm_7h_hxbz6r atm_7i_ysn8ba dir dir-ltr">${price} per night</span></div></div>
<div class="t1a9j9y7 atm_da_1ko3t4y dir dir-ltr"><span aria-hidden="true" class="r4a59j5 atm_h_1h6ojuz dir dir-ltr"><span class="star">★</span> <span class="ru0q88m dir dir-ltr">{shown}</span></span>
<span class="a8jt5op atm_3f_idpfg4 atm_7h_hxbz6r atm_7i_ysn8ba dir dir-ltr">{spoken}</span></div>
</div></div></div></div></div>"""


def _search(place: str, data: dict) -> str:
    listings = data["listings"]
    cards = "".join(_card(row, place, i, data["dates"]) for i, row in enumerate(listings, 1))
    body = f"""<main id="site-content" class="m1ge9ljf dir dir-ltr">
<div class="f1f5ks0n dir dir-ltr" data-testid="category-bar"><div class="c1nbs2f8 dir dir-ltr"><button type="button" class="filter-pill">Price</button><button type="button" class="filter-pill">Type of place</button><button type="button" class="filter-pill" data-testid="category-bar-filter-button">Filters</button></div></div>
<div class="s1g4t66r dir dir-ltr"><div class="gsgwcjk atm_1d13e1y_fm6vke dir dir-ltr">
<div class="t1iyp5m dir dir-ltr" data-testid="stays-page-heading"><h1 tabindex="-1" class="hpipapi atm_7l_1kw7nm4 dir dir-ltr" elementtiming="LCP-target">{len(listings)} places in {esc(place)}</h1>
<span class="s11dqpjh dir dir-ltr">Prices include all fees</span></div>
<div class="gsgwcjk g8ge8f1 g14v8520 dir dir-ltr" data-xray-jira-component="Guest: Search" itemscope itemtype="http://schema.org/ItemList">
<meta itemprop="numberOfItems" content="{len(listings)}">
{cards}
</div>
<nav aria-label="Search results pagination" class="p1j2gy66 dir dir-ltr"><div class="p1ucr4ql dir dir-ltr"><span aria-current="page" class="l1ovpqvx c1ackr0h dir dir-ltr">1</span></div></nav>
</div>
<div class="m1k0l7cn dir dir-ltr" data-testid="map/GoogleMap" aria-label="Map"><div class="map-placeholder">Map of {esc(place)}</div></div>
</div>
</main>"""
    return _page(f"{place} Vacation Rentals & Rentals - {data['country']} | Airbnb", body, place, data["dates"])


AMENITIES = ["Wifi", "Kitchen", "Washer", "Air conditioning", "Dedicated workspace", "Hair dryer", "Heating", "Smoke alarm"]


def _room(row: tuple, place: str, data: dict) -> str:
    (lid, kind, hood, name, bedrooms, beds, baths, guests, price, rating, reviews, favorite, host, superhost) = row
    shown, spoken = _rating_label(rating, reviews)
    nights = 5
    fee = round(price * nights * 0.14)
    amenities = "".join(f'<div class="_19xnuo97"><div class="iikjzje">{esc(a)}</div></div>' for a in AMENITIES[: 5 + (lid % 4)])
    host_line = f"Hosted by {esc(host)}" + (" · Superhost" if superhost else "")
    rating_block = (f'<div data-testid="pdp-reviews-highlight-banner-host-rating" class="r1lutz1s"><span aria-hidden="true">★ {shown.split(" ")[0]}</span>'
                    f' · <a href="/rooms/{lid}/reviews" class="l1ovpqvx">{reviews} reviews</a><span class="a8jt5op">{spoken}</span></div>')
    if favorite:
        rating_block = '<div data-testid="guest-favorite-banner" class="g1bcu3fj">Guest favorite · One of the most loved homes on Airbnb, according to guests</div>' + rating_block
    body = f"""<main id="site-content" class="m1ge9ljf dir dir-ltr"><div class="_16grqhk">
<div data-section-id="TITLE_DEFAULT" class="plmw1e5"><div class="_b8stb0"><span class="_1n81at5"><h1 tabindex="-1" class="hpipapi dir dir-ltr" elementtiming="LCP-target">{esc(name)}</h1></span></div></div>
<div data-section-id="HERO_DEFAULT" class="hero"><img src="/im/pictures/{lid}.svg" alt="{esc(name)}" class="itu7ddv" width="720" height="420"></div>
<div class="pdp-columns"><div class="pdp-main">
<div data-section-id="OVERVIEW_DEFAULT_V2" class="_1e9g34tc"><section><div class="toieuka"><h2 class="hpipapi dir dir-ltr" elementtiming="LCP-target">{esc(kind)} in {esc(hood)}, {esc(place)}, {esc(data['country'])}</h2></div>
<ol class="lgx66tx atm_gi_idpfg4 dir dir-ltr"><li class="l7n4lsf">{guests} guest{'s' if guests != 1 else ''}</li><li class="l7n4lsf"><span aria-hidden="true"> · </span>{_beds(bedrooms, beds).replace(' · ', '</li><li class="l7n4lsf"><span aria-hidden="true"> · </span>')}</li><li class="l7n4lsf"><span aria-hidden="true"> · </span>{baths} bath</li></ol>
{rating_block}</section></div>
<div data-section-id="HOST_OVERVIEW_DEFAULT" class="_1e9g34tc"><div class="t1pxe1a4 dir dir-ltr">{host_line}</div><div class="s1l7gi0l">{'Superhost · ' if superhost else ''}{3 + lid % 7} years hosting</div></div>
<div data-section-id="DESCRIPTION_DEFAULT" class="_1e9g34tc"><div data-testid="pdp-description-text" class="d1isfkwk"><span class="l1h825yc"><span>Welcome to our {esc(kind.lower())} in {esc(hood)}. {esc(name)}: a calm base for exploring {esc(place)}, with {_beds(bedrooms, beds).lower()} and room for {guests}. Cafés, public transport and the neighbourhood's main sights are within a short walk.</span></span></div></div>
<div data-section-id="AMENITIES_DEFAULT" class="_1e9g34tc"><section><h2 class="hpipapi">What this place offers</h2><div class="amenities">{amenities}</div></section></div>
<div data-section-id="LOCATION_DEFAULT" class="_1e9g34tc"><section><h2 class="hpipapi">Where you’ll be</h2><div class="s1b4clln">{esc(hood)}, {esc(place)}, {esc(data['country'])}</div></section></div>
</div>
<div class="pdp-side"><div data-section-id="BOOK_IT_SIDEBAR" class="_1s21a6e2"><div data-testid="book-it-default" class="c1yo0219">
<div class="_1jo4hgw"><span class="_11jcbg2"><span class="_1y74zjx">${price}</span>&nbsp;<span class="_1qgfaxb">night</span></span><span class="a8jt5op">${price} per night</span></div>
<div data-testid="change-dates-checkIn" class="_1lds9wb">{esc(data['dates'])}</div>
<button type="button" data-testid="homes-pdp-cta-btn" class="reserve-button">Reserve</button>
<div class="_1k4xcdh">You won't be charged yet</div>
<div class="_tr4owt" data-testid="price-breakdown"><div class="_14omvfj"><span>${price} x {nights} nights</span><span>${price * nights:,}</span></div><div class="_14omvfj"><span>Airbnb service fee</span><span>${fee:,}</span></div>
<div class="_1avmy66"><span>Total before taxes</span><span>${price * nights + fee:,}</span></div></div>
</div></div></div>
</div></div></main>"""
    return _page(f"{name} - {kind}s for Rent in {place}, {data['country']} - Airbnb", body, place, data["dates"])


def _home() -> str:
    links = "".join(f'<li><a href="/s/{esc(p)}/homes" class="l1ovpqvx">{esc(p)}, {esc(d["country"])}</a></li>' for p, d in PLACES.items())
    body = f'<main id="site-content" class="m1ge9ljf dir dir-ltr"><div class="home-inspiration"><h1 class="hpipapi">Inspiration for future getaways</h1><ul class="destinations">{links}</ul></div></main>'
    return _page("Airbnb | Vacation rentals, cabins, beach houses, & more", body)


CSS = """body { margin:0; font-family:"Airbnb Cereal VF", Circular, -apple-system, "Helvetica Neue", sans-serif; color:#222; font-size:14px; }
a { color:#222; }
header[data-testid="header"] { border-bottom:1px solid #ebebeb; }
.c1yx5ch9 { display:flex; align-items:center; justify-content:space-between; padding:14px 40px; }
.logo-text { color:#ff385c; font-weight:800; font-size:26px; letter-spacing:-1px; text-decoration:none; }
.c13cw3wj { text-decoration:none; }
[data-testid="little-search"] { display:flex; align-items:center; border:1px solid #ddd; border-radius:40px; box-shadow:0 1px 2px rgba(0,0,0,.08); padding:4px 4px 4px 16px; }
[data-testid="little-search"] button { background:none; border:0; padding:6px 14px; font-size:14px; font-weight:600; display:flex; align-items:center; gap:10px; }
.s1kdlgy7 { width:1px; height:24px; background:#ddd; }
.s1i3sfmw { background:#ff385c; color:#fff; border-radius:50%; width:32px; height:32px; display:flex; align-items:center; justify-content:center; }
.c1sb7q8e nav { display:flex; align-items:center; gap:16px; } ._1jkarl1m { text-decoration:none; font-weight:600; }
.c1grjlav { border:1px solid #ddd; border-radius:21px; background:#fff; padding:6px 12px; }
[data-testid="category-bar"] { padding:12px 40px; border-bottom:1px solid #ebebeb; }
.filter-pill { border:1px solid #ddd; background:#fff; border-radius:30px; padding:8px 16px; margin-right:8px; }
.s1g4t66r { display:grid; grid-template-columns:minmax(0, 3fr) minmax(0, 2fr); }
.gsgwcjk { padding:16px 24px 16px 40px; }
[data-testid="stays-page-heading"] h1 { font-size:14px; font-weight:600; margin:8px 0 2px; } .s11dqpjh { color:#717171; font-size:12px; }
[itemtype="http://schema.org/ItemList"] { display:grid; grid-template-columns:repeat(3, minmax(0,1fr)); gap:24px; padding:16px 0; }
[data-testid="card-container"] { position:relative; }
[data-testid="card-container"] > a { position:absolute; inset:0; z-index:1; }
.c1l1h97y { position:relative; }
.itu7ddv { width:100%; aspect-ratio:20/19; object-fit:cover; border-radius:12px; display:block; }
.t1qa5xaj { position:absolute; top:12px; left:12px; } .t1mwk1n0 { background:#fff; border-radius:14px; padding:4px 10px; font-size:12px; font-weight:600; }
.wishlist-button { position:absolute; top:10px; right:10px; background:none; border:0; color:#fff; font-size:22px; z-index:2; }
.g1qv1ctd { margin-top:10px; line-height:19px; }
[data-testid="listing-card-title"] { font-weight:600; font-size:15px; }
[data-testid="listing-card-subtitle"] { color:#717171; font-size:15px; }
[data-testid="price-availability-row"] { margin-top:4px; } ._1y74zjx { font-weight:600; }
.a8jt5op { position:absolute; width:1px; height:1px; overflow:hidden; clip:rect(0 0 0 0); }
.t1a9j9y7 { font-size:14px; }
[data-testid="map/GoogleMap"] { background:#e5e3df; position:sticky; top:0; height:100vh; }
.map-placeholder { padding:24px; color:#717171; }
.p1j2gy66 { text-align:center; padding:16px; } .c1ackr0h { background:#222; color:#fff; border-radius:50%; padding:6px 12px; }
.f1ffbvlx { border-top:1px solid #ddd; background:#f7f7f7; padding:24px 40px; color:#222; }
._16grqhk { max-width:1120px; margin:0 auto; padding:24px 40px; }
._16grqhk h1 { font-size:26px; font-weight:600; } .hero img { width:100%; height:420px; border-radius:12px; }
.pdp-columns { display:grid; grid-template-columns:minmax(0, 2fr) minmax(0, 1fr); gap:48px; }
._1e9g34tc { border-bottom:1px solid #ddd; padding:24px 0; } ._1e9g34tc h2 { font-size:22px; font-weight:600; margin:0 0 8px; }
.lgx66tx { list-style:none; display:flex; padding:0; margin:0; } .amenities { display:grid; grid-template-columns:1fr 1fr; gap:12px; }
[data-testid="book-it-default"] { border:1px solid #ddd; border-radius:12px; padding:24px; box-shadow:0 6px 16px rgba(0,0,0,.12); margin-top:24px; }
.reserve-button { width:100%; background:#e61e4d; color:#fff; border:0; border-radius:8px; padding:14px; font-size:16px; font-weight:600; margin:16px 0 8px; }
._14omvfj, ._1avmy66 { display:flex; justify-content:space-between; margin:8px 0; } ._1avmy66 { font-weight:600; border-top:1px solid #ddd; padding-top:12px; }
.home-inspiration { padding:40px; } .destinations { list-style:none; padding:0; display:flex; gap:24px; font-size:18px; }
"""


def pages() -> dict[str, Content]:
    files: dict[str, Content] = {"index.html": _home(), "static/packages/replica-airbnb.css": CSS}
    for place, data in PLACES.items():
        files[f"s/{place}/homes.html"] = _search(place, data)
        for row in data["listings"]:
            files[f"rooms/{row[0]}.html"] = _room(row, place, data)
            files[f"im/pictures/{row[0]}.svg"] = svg_picture(480, 456, (data["hue"] + row[0] % 97 * 3) % 360)
    for alias, place in ALIASES.items():
        files[f"s/{alias}/homes.html"] = Alias(f"s/{place}/homes.html")
    return files
