"""www.amazon.com: three invented product pages at /dp/<ASIN>, a search results page
(/s, any query) and a home page, in Amazon's markup (#productTitle,
#corePrice_feature_div .a-price .a-offscreen, #acrPopover, #acrCustomerReviewText,
#availability, #feature-bullets, #productDetails_techSpec_section_1, data-hook reviews)."""
from typing import Any

from dev.replica.content import Alias, Content
from dev.replica.content.common import esc, svg_picture

HOST = "www.amazon.com"

PRODUCTS: list[dict[str, Any]] = [
    {
        "asin": "B0D7K3LQ9X",
        "title": "Larkfield Electric Kettle, 1.7L Stainless Steel Cordless Tea Kettle with Auto Shut-Off and Boil-Dry Protection, BPA-Free, Brushed Silver",
        "short": "Larkfield 1.7L Stainless Steel Electric Kettle",
        "brand": "Larkfield",
        "price": "34.99", "list_price": "42.99",
        "rating": 4.5, "ratings": 18452,
        "stock": "In Stock", "low": False,
        "category": ["Home & Kitchen", "Kitchen & Dining", "Coffee, Tea & Espresso", "Electric Kettles"],
        "rank": "#3 in Electric Kettles",
        "bought": "10K+ bought in past month",
        "hue": 210,
        "bullets": [
            "FAST BOIL: A 1500-watt concealed heating element brings 1.7 liters of water to a boil in about 5 minutes.",
            "SAFE BY DESIGN: Auto shut-off switches the kettle off 30 seconds after boiling; boil-dry protection cuts power if it is switched on empty.",
            "FOOD-GRADE MATERIALS: Water only touches 304 stainless steel and a BPA-free lid seal, so there is no plastic taste.",
            "CORDLESS CONVENIENCE: The kettle lifts off a 360° swivel base, and the cord stores neatly underneath.",
            "EASY TO CLEAN: A wide lid opening and a removable mesh filter make descaling simple.",
        ],
        "details": [("Brand", "Larkfield"), ("Color", "Brushed Silver"), ("Capacity", "1.7 Liters"), ("Material", "Stainless Steel"),
                    ("Wattage", "1500 watts"), ("Item Weight", "2.6 Pounds"), ("Product Dimensions", "9.1\"D x 6.3\"W x 10\"H")],
        "reviews": [
            ("Dana R.", 5, "Boils fast and looks great on the counter", "October 3, 2026",
             "We replaced a plastic kettle with this one and the difference in taste is obvious. It boils a full kettle in under five minutes and the auto shut-off has worked every time."),
            ("Marcus", 4, "Solid kettle, lid is a little stiff", "September 18, 2026",
             "Heats quickly and feels sturdy. The lid button takes a firm press, which is my only complaint after two months of daily use."),
            ("Priya K.", 5, "Third one I've bought as a gift", "August 29, 2026",
             "Simple, reliable and easy to clean. The filter pops out for rinsing and the water window is easy to read."),
        ],
    },
    {
        "asin": "B0C9XW2M4R",
        "title": "Northpeak Ultralight Backpacking Tent for 2 Person, Waterproof 3 Season Dome Tent with Rainfly, 3.9 lbs, Easy Setup",
        "short": "Northpeak Ultralight 2-Person Backpacking Tent",
        "brand": "Northpeak",
        "price": "129.00", "list_price": None,
        "rating": 4.3, "ratings": 2317,
        "stock": "Only 3 left in stock - order soon.", "low": True,
        "category": ["Sports & Outdoors", "Outdoor Recreation", "Camping & Hiking", "Tents & Shelters", "Backpacking Tents"],
        "rank": "#12 in Backpacking Tents",
        "bought": "500+ bought in past month",
        "hue": 110,
        "bullets": [
            "ULTRALIGHT: The packed weight is 3.9 lbs, including poles, stakes and rainfly, and it packs down to 17 x 6 inches.",
            "WATERPROOF: The 20D ripstop nylon fly has a 3000 mm coating and factory-taped seams; the floor is rated to 5000 mm.",
            "ROOM FOR TWO: An 88 x 52 inch floor and 42 inches of peak height, with a door and vestibule on each side.",
            "QUICK SETUP: Color-coded clips and a single hubbed aluminum pole set let one person pitch it in about 4 minutes.",
            "VENTILATION: Two roof vents and a mesh inner tent reduce condensation on cool nights.",
        ],
        "details": [("Brand", "Northpeak"), ("Color", "Sage Green"), ("Occupancy", "2 Person"), ("Seasons", "3 Season"),
                    ("Item Weight", "3.9 Pounds"), ("Frame Material", "Aluminum"), ("Packed Size", "17 x 6 inches")],
        "reviews": [
            ("Trail Ghost", 5, "Kept me dry through a full night of rain", "October 11, 2026",
             "Used it on a four-day trip in the Cascades. Heavy rain the second night and everything inside stayed dry. Setup really is quick once you've done it once."),
            ("Becca M.", 4, "Great weight for the price", "September 2, 2026",
             "Lighter than anything else I found under $150. Stakes are flimsy, so I replaced them with my own."),
            ("J. Okoro", 3, "Tight for two tall people", "July 21, 2026",
             "Well made and light, but at 6'2\" my feet touched the end wall. Fine for one person with gear."),
        ],
    },
    {
        "asin": "B0F1TQ8ZJH",
        "title": "Corvina Noise Cancelling Wireless Earbuds, Bluetooth 5.4 with 42H Playtime, IPX5 Water Resistant, Wireless Charging Case, Midnight Black",
        "short": "Corvina Noise Cancelling Wireless Earbuds",
        "brand": "Corvina",
        "price": "59.99", "list_price": "79.99",
        "rating": 4.4, "ratings": 7905,
        "stock": "In Stock", "low": False,
        "category": ["Electronics", "Headphones, Earbuds & Accessories", "Headphones & Earbuds", "Earbud Headphones"],
        "rank": "#27 in Earbud & In-Ear Headphones",
        "bought": "2K+ bought in past month",
        "hue": 260,
        "bullets": [
            "ACTIVE NOISE CANCELLING: Hybrid ANC with six microphones reduces engine and street noise by up to 42 dB.",
            "42-HOUR PLAYTIME: 8 hours per charge and 34 more from the case; 10 minutes of charging gives 2 hours of playback.",
            "CLEAR CALLS: Beamforming microphones and wind-noise reduction keep your voice clear outdoors.",
            "IPX5 WATER RESISTANT: Sweat and rain resistant for workouts and commutes.",
            "WIRELESS CHARGING: The case charges on any Qi pad or with the included USB-C cable.",
        ],
        "details": [("Brand", "Corvina"), ("Color", "Midnight Black"), ("Connectivity Technology", "Bluetooth 5.4"),
                    ("Noise Control", "Active Noise Cancellation"), ("Battery Life", "42 Hours"), ("Water Resistance Level", "IPX5"),
                    ("Item Weight", "1.9 ounces")],
        "reviews": [
            ("Kenji", 5, "Better ANC than my old premium pair", "October 20, 2026",
             "I expected these to be a compromise at this price, but the noise cancelling on the train is excellent and the fit is comfortable for hours."),
            ("Sam W.", 4, "Great sound, app is basic", "October 1, 2026",
             "Sound is warm and detailed. The companion app only has a basic equalizer, but the defaults are good."),
            ("Lena", 4, "Case is a bit bulky", "September 9, 2026",
             "Battery life is as advertised. The case is thicker than I'd like for a jeans pocket."),
        ],
    },
]


def _money(amount: str) -> tuple[str, str]:
    whole, _, fraction = amount.partition(".")
    return f"{int(whole):,}", fraction or "00"


def _price_span(amount: str, classes: str, size: str = "xl") -> str:
    whole, fraction = _money(amount)
    return (f'<span class="a-price {classes}" data-a-size="{size}" data-a-color="base"><span class="a-offscreen">${whole}.{fraction}</span>'
            f'<span aria-hidden="true"><span class="a-price-symbol">$</span><span class="a-price-whole">{whole}<span class="a-price-decimal">.</span></span>'
            f'<span class="a-price-fraction">{fraction}</span></span></span>')


def _stars(rating: float, small: bool = False) -> str:
    half = round(rating * 2) / 2
    cls = f"a-star{'-small' if small else ''}-{int(half)}" + ("-5" if half % 1 else "")
    return f'<i class="a-icon a-icon-star{"-small" if small else ""} {cls}"><span class="a-icon-alt">{rating} out of 5 stars</span></i>'


def _nav(query: str = "") -> str:
    return f"""<header id="navbar-main" class="nav-opt-sprite nav-flex nav-locale-us nav-lang-en nav-ssl nav-unrec">
<div id="navbar" cel_widget_id="Navigation-desktop-navbar" role="navigation" class="nav-sprite-v1 celwidget nav-bluebeacon nav-packard-glow">
<div id="nav-belt">
<div class="nav-left"><div id="nav-logo"><a href="/ref=nav_logo" id="nav-logo-sprites" class="nav-logo-link nav-progressive-attribute" aria-label="Amazon"><span class="nav-sprite nav-logo-base">amazon</span><span class="nav-logo-locale">.com</span></a></div>
<div id="nav-global-location-popover-link" class="nav-a nav-a-2 a-popover-trigger a-declarative nav-progressive-attribute"><span class="nav-line-1 nav-progressive-content" id="glow-ingress-line1">Deliver to</span><span class="nav-line-2 nav-progressive-content" id="glow-ingress-line2">New York 10001</span></div></div>
<div class="nav-fill" id="nav-fill-search"><form id="nav-search-bar-form" accept-charset="utf-8" action="/s/ref=nb_sb_noss" class="nav-searchbar nav-progressive-attribute" method="GET" name="site-search" role="search">
<div class="nav-left"><div id="nav-search-dropdown-card"><select aria-describedby="searchDropdownDescription" class="nav-search-dropdown searchSelect" id="searchDropdownBox" name="url" title="Search in"><option selected value="search-alias=aps">All Departments</option><option value="search-alias=electronics">Electronics</option><option value="search-alias=garden">Home &amp; Kitchen</option><option value="search-alias=sporting">Sports &amp; Outdoors</option></select></div></div>
<div class="nav-fill"><div class="nav-search-field"><input type="text" id="twotabsearchtextbox" value="{esc(query)}" name="field-keywords" autocomplete="off" placeholder="Search Amazon" class="nav-input nav-progressive-attribute" dir="auto" tabindex="0" aria-label="Search Amazon" role="searchbox" spellcheck="false"></div></div>
<div class="nav-right"><div class="nav-search-submit nav-sprite"><input id="nav-search-submit-button" type="submit" class="nav-input nav-progressive-attribute" value="Go"></div></div>
</form></div>
<div class="nav-right"><div id="nav-tools" class="layoutToolbarPadding">
<a href="/gp/customer-preferences/select-language" id="icp-nav-flyout" class="nav-a nav-a-2 icp-link-style-2"><span class="icp-nav-link-inner"><span class="nav-line-2">EN</span></span></a>
<a href="/ap/signin" class="nav-a nav-a-2 nav-truncate" id="nav-link-accountList"><span class="nav-line-1-container"><span id="nav-link-accountList-nav-line-1" class="nav-line-1 nav-progressive-content">Hello, sign in</span></span><span class="nav-line-2">Account &amp; Lists</span></a>
<a href="/gp/css/order-history" class="nav-a nav-a-2 nav-single-row-link" id="nav-orders"><span class="nav-line-1">Returns</span><span class="nav-line-2">&amp; Orders</span></a>
<a href="/gp/cart/view.html" aria-label="0 items in cart" class="nav-a nav-a-2 nav-progressive-attribute" id="nav-cart"><span id="nav-cart-count" aria-hidden="true" class="nav-cart-count nav-cart-0">0</span><span class="nav-line-2">Cart</span></a>
</div></div>
</div>
<div id="nav-main" class="nav-sprite"><div class="nav-left"><a href="javascript: void(0)" id="nav-hamburger-menu" role="button" aria-label="Open All Categories Menu"><span class="hm-icon-label">All</span></a></div>
<div class="nav-fill"><div id="nav-xshop-container"><ul class="nav-ul" id="nav-xshop"><li class="nav-li"><a href="/deals" class="nav-a">Today's Deals</a></li><li class="nav-li"><a href="/gp/help/customer/display.html" class="nav-a">Customer Service</a></li><li class="nav-li"><a href="/gp/browse.html?node=16115931011" class="nav-a">Registry</a></li><li class="nav-li"><a href="/gift-cards" class="nav-a">Gift Cards</a></li><li class="nav-li"><a href="/b?node=12766669011" class="nav-a">Sell</a></li></ul></div></div></div>
</div></header>"""


def _page(title: str, body: str, page_class: str, query: str = "") -> str:
    return f"""<!doctype html><html lang="en-us" class="a-no-js" data-19ax5a9jf="dingo"><head>
<meta charset="utf-8">
<title>{esc(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/images/I/replica-amazon.css">
</head>
<body class="a-m-us a-aui_72554-c a-aui_a11y_6_837773-c {page_class}">
<div id="a-page">
{_nav(query)}
{body}
<div id="navFooter" class="navLeftFooter nav-sprite-v1" role="contentinfo">
<a href="javascript:void(0)" id="navBackToTop" aria-label="Back to top"><div class="navFooterBackToTop"><span class="navFooterBackToTopText">Back to top</span></div></a>
<div class="navFooterLine navFooterLinkLine navFooterPadItemLine"><ul><li><a href="/gp/help/customer/display.html?nodeId=508088" class="nav_a">Conditions of Use</a></li><li><a href="/gp/help/customer/display.html?nodeId=468496" class="nav_a">Privacy Notice</a></li><li><a href="/privacyprefs" class="nav_a">Your Ads Privacy Choices</a></li></ul><span>© 1996-2026, Amazon.com, Inc. or its affiliates</span></div>
</div>
</div>
</body></html>
"""


def _product(p: dict) -> str:
    asin = p["asin"]
    whole, fraction = _money(p["price"])
    breadcrumbs = "".join(
        f'<li><span class="a-list-item"><a class="a-link-normal a-color-tertiary" href="/b/ref=dp_bc_{i + 1}?node={100 + i}">{esc(c)}</a></span></li>'
        + ('<li class="a-breadcrumb-divider"><span class="a-list-item a-color-tertiary">›</span></li>' if i + 1 < len(p["category"]) else "")
        for i, c in enumerate(p["category"]))
    savings = ""
    basis = ""
    if p["list_price"]:
        pct = round(100 - 100 * float(p["price"]) / float(p["list_price"]))
        savings = f'<span class="a-size-large a-color-price savingPriceOverride aok-align-center reinventPriceSavingsPercentageMargin savingsPercentage">-{pct}%</span>'
        lw, lf = _money(p["list_price"])
        basis = (f'<div class="a-section a-spacing-small aok-align-center"><span class="a-size-small aok-offscreen">List Price: ${lw}.{lf}</span>'
                 f'<span class="a-size-small a-color-secondary aok-align-center basisPrice">List Price: '
                 f'<span class="a-price a-text-price" data-a-size="s" data-a-strike="true" data-a-color="secondary"><span class="a-offscreen">${lw}.{lf}</span>'
                 f'<span aria-hidden="true">${lw}.{lf}</span></span></span></div>')
    avail_cls = "a-size-base a-color-price a-text-bold" if p["low"] else "a-size-medium a-color-success"
    availability = f'<div id="availability" class="a-section a-spacing-base"><span class="{avail_cls}">{esc(p["stock"])}</span></div>'
    bullets = "".join(f'<li class="a-spacing-mini"><span class="a-list-item">{esc(b)}</span></li>' for b in p["bullets"])
    details = "".join(f'<tr><th class="a-color-secondary a-size-base prodDetSectionEntry">{esc(k)}</th>'
                      f'<td class="a-size-base prodDetAttrValue">{esc(v)}</td></tr>' for k, v in p["details"])
    reviews = "".join(f"""<div id="R{asin[-4:]}{i}" data-hook="review" class="a-section review aok-relative"><div class="a-section celwidget">
<div class="a-row a-spacing-mini"><a href="/gp/profile/amzn1.account.{i}{asin}" class="a-profile"><div class="a-profile-content"><span class="a-profile-name">{esc(name)}</span></div></a></div>
<div class="a-row"><a class="a-link-normal" title="{stars}.0 out of 5 stars" href="/gp/customer-reviews/R{asin[-4:]}{i}"><i data-hook="review-star-rating" class="a-icon a-icon-star a-star-{stars} review-rating"><span class="a-icon-alt">{stars}.0 out of 5 stars</span></i></a><span class="a-letter-space"></span><a data-hook="review-title" class="a-size-base a-link-normal review-title a-color-base review-title-content a-text-bold" href="/gp/customer-reviews/R{asin[-4:]}{i}"><span>{esc(title)}</span></a></div>
<span data-hook="review-date" class="a-size-base a-color-secondary review-date">Reviewed in the United States on {date}</span>
<div class="a-row a-spacing-mini review-data review-format-strip"><span data-hook="avp-badge-linkless" class="a-size-mini a-color-state a-text-bold">Verified Purchase</span></div>
<div class="a-row a-spacing-small review-data"><span data-hook="review-body" class="a-size-base review-text"><div data-a-expander-name="review_text_read_more" class="a-expander-collapsed-height a-row a-expander-container a-expander-partial-collapse-container"><div class="a-expander-content reviewText review-text-content a-expander-partial-collapse-content"><span>{esc(body)}</span></div></div></span></div>
</div></div>""" for i, (name, stars, title, date, body) in enumerate(p["reviews"], 1))
    rating = p["rating"]
    count = f'{p["ratings"]:,}'
    histogram = _histogram(rating)
    body = f"""<div id="dp" class="home_improvement en_US">
<div id="dp-container" class="a-container" role="main">
<div id="wayfinding-breadcrumbs_feature_div" class="celwidget"><div class="a-subheader a-breadcrumb feature" id="wayfinding-breadcrumbs_container"><ul class="a-unordered-list a-horizontal a-size-small">{breadcrumbs}</ul></div></div>
<div id="ppd">
<div id="leftCol" class="a-column a-span4"><div id="imageBlock_feature_div" class="celwidget"><div id="imgTagWrapperId" class="imgTagWrapper"><img alt="{esc(p['title'])}" src="/images/I/{asin}.svg" data-old-hires="/images/I/{asin}.svg" id="landingImage" style="max-width:400px;max-height:400px"></div></div></div>
<div id="centerCol" class="centerColAlign">
<div id="title_feature_div" class="celwidget" data-feature-name="title"><div id="titleSection" class="a-section a-spacing-none"><h1 id="title" class="a-size-large a-spacing-none"><span id="productTitle" class="a-size-large product-title-word-break">        {esc(p['title'])}       </span></h1></div></div>
<div id="bylineInfo_feature_div" class="celwidget" data-feature-name="bylineInfo"><div class="a-section a-spacing-none"><a id="bylineInfo" class="a-link-normal" href="/stores/{p['brand']}/page/{asin}">Visit the {esc(p['brand'])} Store</a></div></div>
<div id="averageCustomerReviews_feature_div" class="celwidget" data-feature-name="averageCustomerReviews"><div id="averageCustomerReviews" data-asin="{asin}" data-ref="dpx_acr_pop_">
<span class="a-declarative" data-action="acrStarsLink-click-metrics"><span id="acrPopover" class="reviewCountTextLinkedHistogram noUnderline" title="{rating} out of 5 stars"><span class="a-declarative"><a href="javascript:void(0)" role="button" class="a-popover-trigger a-declarative"><span aria-hidden="true" class="a-size-base a-color-base">{rating}</span> {_stars(rating)}<i class="a-icon a-icon-popover"></i></a></span></span></span>
<span class="a-letter-space"></span><span class="a-declarative"><a id="acrCustomerReviewLink" class="a-link-normal" href="#customerReviews"><span id="acrCustomerReviewText" aria-label="{count} Reviews" class="a-size-base">{count} ratings</span></a></span>
</div></div>
<div id="socialProofingAsinFaceout_feature_div" class="celwidget"><div class="a-section social-proofing-faceout"><span id="social-proofing-faceout-title-tk_bought" class="a-size-small social-proofing-faceout-title-text"><span class="a-text-bold">{esc(p['bought'])}</span></span></div></div>
<hr class="a-divider-normal">
<div id="apex_desktop" class="celwidget" data-feature-name="apex_desktop">
<div id="corePriceDisplay_desktop_feature_div" class="celwidget" data-feature-name="corePriceDisplay_desktop"><div class="a-section a-spacing-none aok-align-center aok-relative"><span class="aok-offscreen">${whole}.{fraction}</span>{savings}<span aria-hidden="true" class="a-size-large a-color-price"> </span>{_price_span(p['price'], "aok-align-center reinventPricePriceToPayMargin priceToPay")}</div>{basis}</div>
<div id="corePrice_feature_div" class="celwidget" data-feature-name="corePrice" data-csa-c-asin="{asin}"><div class="a-section a-spacing-micro">{_price_span(p['price'], "a-text-price a-size-medium apexPriceToPay", "b")}</div></div>
</div>
<hr class="a-divider-normal">
<div id="productOverview_feature_div" class="celwidget"><table class="a-normal a-spacing-micro"><tbody>{"".join(f'<tr class="a-spacing-small"><td class="a-span3"><span class="a-size-base a-text-bold">{esc(k)}</span></td><td class="a-span9"><span class="a-size-base po-break-word">{esc(v)}</span></td></tr>' for k, v in p["details"][:5])}</tbody></table></div>
<hr class="a-divider-normal">
<div id="featurebullets_feature_div" class="celwidget" data-feature-name="featurebullets"><div id="feature-bullets" class="a-section a-spacing-medium a-spacing-top-small"><h1 class="a-size-base-plus a-text-bold">About this item</h1><ul class="a-unordered-list a-vertical a-spacing-mini">{bullets}</ul></div></div>
</div>
<div id="rightCol" class="rightColumn"><div id="desktop_buybox" class="celwidget"><div id="buybox" data-csa-c-type="widget"><div class="a-box-group"><div class="a-box"><div class="a-box-inner">
<div id="corePrice_desktop" class="a-section">{_price_span(p['price'], "aok-align-center", "l")}</div>
<div id="mir-layout-DELIVERY_BLOCK" class="a-section"><div id="mir-layout-DELIVERY_BLOCK-slot-PRIMARY_DELIVERY_MESSAGE_LARGE"><span data-csa-c-type="element" data-csa-c-content-id="DEXUnifiedCXPDM" data-csa-c-delivery-price="FREE" class="a-text-bold">FREE delivery <span class="a-text-bold">Friday, November 27</span></span>. Order within <span id="ftCountdown" class="ftCountdownClass" style="color: #067D62">5 hrs 12 mins</span></div></div>
<div id="contextualIngressPt"><span class="a-size-small">Deliver to New York 10001</span></div>
{availability}
<div id="selectQuantity" class="a-section a-spacing-none a-padding-none"><label for="quantity" class="a-native-dropdown">Quantity:</label><select name="quantity" autocomplete="off" id="quantity" tabindex="0" class="a-native-dropdown a-declarative">{"".join(f'<option value="{n}"{" selected" if n == 1 else ""}>{n}</option>' for n in range(1, 4 if p["low"] else 11))}</select></div>
<form method="post" id="addToCart" action="/cart/add-to-cart/ref=dp_start-bbf_1_glance" class="a-content" autocomplete="off"><input type="hidden" name="ASIN" value="{asin}">
<span id="submit.add-to-cart" class="a-button a-spacing-small a-button-primary a-button-icon"><span class="a-button-inner"><input id="add-to-cart-button" name="submit.add-to-cart" title="Add to Shopping Cart" class="a-button-input" type="submit" value="Add to Cart" aria-labelledby="submit.add-to-cart-announce"><span id="submit.add-to-cart-announce" class="a-button-text" aria-hidden="true">Add to Cart</span></span></span>
<span id="submit.buy-now" class="a-button a-button-oneclick a-button-icon onml-buy-now-button"><span class="a-button-inner"><input id="buy-now-button" name="submit.buy-now" title="Buy Now" class="a-button-input" type="submit" value="Buy Now" aria-labelledby="submit.buy-now-announce"><span id="submit.buy-now-announce" class="a-button-text" aria-hidden="true">Buy Now</span></span></span>
</form>
<div id="tabular-buybox" class="a-section"><div class="tabular-buybox-container"><div class="tabular-buybox-text" tabular-attribute-name="Ships from"><span class="a-size-small tabular-buybox-text-message">Ships from</span> <span class="a-size-small">Amazon.com</span></div><div class="tabular-buybox-text" tabular-attribute-name="Sold by"><span class="a-size-small tabular-buybox-text-message">Sold by</span> <span class="a-size-small">Amazon.com</span></div><div class="tabular-buybox-text" tabular-attribute-name="Returns"><span class="a-size-small">Returnable until Jan 31, 2027</span></div></div></div>
</div></div></div></div></div></div>
</div>
<div id="productDetails_feature_div" class="celwidget"><h2>Product information</h2><div id="prodDetails" class="a-section"><div class="a-column a-span6"><h1 class="a-size-medium a-spacing-small secHeader">Technical Details</h1>
<table id="productDetails_techSpec_section_1" class="a-keyvalue prodDetTable" role="presentation"><tbody>{details}</tbody></table></div>
<div class="a-column a-span6 a-span-last"><h1 class="a-size-medium a-spacing-small secHeader">Additional Information</h1>
<table id="productDetails_detailBullets_sections1" class="a-keyvalue prodDetTable" role="presentation"><tbody>
<tr><th class="a-color-secondary a-size-base prodDetSectionEntry">ASIN</th><td class="a-size-base prodDetAttrValue">{asin}</td></tr>
<tr><th class="a-color-secondary a-size-base prodDetSectionEntry">Customer Reviews</th><td>{_stars(rating, small=True)} <span class="a-size-base">{rating} out of 5 stars</span> <span class="a-size-small">{count} ratings</span></td></tr>
<tr><th class="a-color-secondary a-size-base prodDetSectionEntry">Best Sellers Rank</th><td><span><span>{esc(p['rank'])}</span></span></td></tr>
<tr><th class="a-color-secondary a-size-base prodDetSectionEntry">Date First Available</th><td class="a-size-base prodDetAttrValue">March 4, 2025</td></tr>
</tbody></table></div></div></div>
<div id="reviewsMedley" class="a-row celwidget"><div class="a-column a-span4"><span class="a-declarative"><h2 id="customerReviews">Customer reviews</h2></span>
<div class="a-row"><div class="a-column a-span12 a-spacing-none"><div class="a-fixed-left-grid AverageCustomerReviews"><span data-hook="rating-out-of-text" class="a-size-medium a-color-base">{rating} out of 5</span></div></div></div>
<div class="a-row a-spacing-medium averageStarRatingNumerical"><span data-hook="total-review-count" class="a-size-base a-color-secondary">{count} global ratings</span></div>
{histogram}</div>
<div class="a-column a-span8"><h3 data-hook="dp-local-reviews-header" class="a-spacing-medium a-spacing-top-large">Top reviews from the United States</h3>
<div id="cm-cr-dp-review-list" class="a-section review-views celwidget">{reviews}</div></div></div>
</div></div>"""
    return _page(f"Amazon.com: {p['title']} : {p['category'][0]}", body, "dp")


def _histogram(rating: float) -> str:
    # Shares per star that average to the rating: most mass on 5 and 4, a tail on 1.
    five = max(0, min(90, round((rating - 3.0) * 45)))
    four = max(5, min(40, round(100 - five - (5 - rating) * 22)))
    one = max(2, round((5 - rating) * 8))
    two = max(1, round((5 - rating) * 4))
    three = max(1, 100 - five - four - two - one)
    rows = "".join(
        f'<li><span class="a-list-item"><a aria-disabled="false" class="a-link-normal" href="/product-reviews?filterByStar={w}_star" aria-label="{pct} percent of reviews have {n} stars">'
        f'<div class="a-section a-spacing-none a-text-left aok-nowrap">{n} star</div><div class="a-section a-spacing-none a-text-right aok-nowrap"><span class="_cr-ratings-histogram_style_histogram-column-space__RKUAd">{pct}%</span></div></a></span></li>'
        for n, w, pct in [(5, "five", five), (4, "four", four), (3, "three", three), (2, "two", two), (1, "one", one)])
    return f'<ul id="histogramTable" class="a-unordered-list a-nostyle a-vertical a-spacing-none histogram">{rows}</ul>'


def _result(p: dict, index: int) -> str:
    asin = p["asin"]
    return f"""<div role="listitem" data-asin="{asin}" data-index="{index}" data-uuid="{asin.lower()}-{index}" data-component-type="s-search-result" class="sg-col-4-of-24 sg-col-4-of-12 s-result-item s-asin sg-col-4-of-16 sg-col s-widget-spacing-small sg-col-4-of-20" data-cel-widget="search_result_{index}">
<div class="sg-col-inner"><div cel_widget_id="MAIN-SEARCH_RESULTS-{index}" class="s-widget-container s-spacing-small s-widget-container-height-small celwidget"><div data-component-type="s-impression-logger" class="rush-component"><div class="puis-card-container s-card-container s-overflow-hidden aok-relative puis-include-content-margin puis s-latency-cf-section puis-card-border">
<div class="a-section a-spacing-base"><div class="s-product-image-container aok-relative s-text-center s-image-overlay-grey puis-image-overlay-grey"><span data-component-type="s-product-image" class="rush-component"><a class="a-link-normal s-no-outline" href="/dp/{asin}"><div class="a-section aok-relative s-image-square-aspect"><img class="s-image" src="/images/I/{asin}.svg" alt="{esc(p['title'])}" width="200" height="200"></div></a></span></div>
<div class="a-section a-spacing-small puis-padding-left-small puis-padding-right-small">
<div data-cy="title-recipe" class="a-section a-spacing-none a-spacing-top-small s-title-instructions-style"><a class="a-link-normal s-line-clamp-4 s-link-style a-text-normal" href="/dp/{asin}"><h2 aria-label="{esc(p['title'])}" class="a-size-base-plus a-spacing-none a-color-base a-text-normal"><span>{esc(p['title'])}</span></h2></a></div>
<div data-cy="reviews-block" class="a-section a-spacing-none a-spacing-top-micro"><div class="a-row a-size-small"><span class="a-declarative"><a aria-label="{p['rating']} out of 5 stars, rating details" href="javascript:void(0)" role="button" class="a-popover-trigger a-declarative">{_stars(p['rating'], small=True)}</a></span><a aria-label="{p['ratings']:,} ratings" class="a-link-normal s-underline-text s-underline-link-text s-link-style" href="/dp/{asin}#customerReviews"><span class="a-size-base s-underline-text">{p['ratings']:,}</span></a></div>
<div class="a-row a-size-base"><span class="a-size-base a-color-secondary">{esc(p['bought'])}</span></div></div>
<div data-cy="price-recipe" class="a-section a-spacing-none a-spacing-top-small s-price-instructions-style"><div class="a-row a-size-base a-color-base"><a class="a-link-normal s-no-hover s-underline-text s-underline-link-text s-link-style a-text-normal" href="/dp/{asin}">{_price_span(p['price'], "", "xl")}</a></div></div>
<div data-cy="delivery-recipe" class="a-section a-spacing-none a-spacing-top-micro"><div class="a-row a-color-base udm-primary-delivery-message"><span class="a-color-base">FREE delivery <span class="a-color-base a-text-bold">Fri, Nov 27</span></span></div></div>
</div></div></div></div></div></div></div>"""


def _search() -> str:
    results = "".join(_result(p, i) for i, p in enumerate(PRODUCTS, 2))
    body = f"""<div id="search" class="a-section">
<span data-component-type="s-result-info-bar" class="rush-component"><div class="a-section a-spacing-small a-spacing-top-small"><h1 class="a-size-base s-desktop-toolbar a-text-normal"><div class="sg-col-inner"><div class="a-section a-spacing-small a-spacing-top-small"><span>1-{len(PRODUCTS)} of {len(PRODUCTS)} results</span></div></div></h1></div></span>
<div class="s-main-slot s-result-list s-search-results sg-row" role="list">
<div data-component-type="s-result-info" class="s-result-item s-widget s-widget-spacing-large"><h2 class="a-size-medium-plus a-spacing-none a-color-base a-text-bold">Results</h2><div class="a-section a-spacing-none s-result-info-subtext">Check each product page for other buying options.</div></div>
{results}
</div></div>"""
    return _page("Amazon.com : Results", body, "search")


def _home() -> str:
    cards = "".join(f"""<div class="a-cardui gw-card" data-asin="{p['asin']}"><div class="a-cardui-header"><h2 class="a-color-base headline truncate-1line">{esc(p['category'][-1])}</h2></div>
<div class="a-cardui-body"><a class="a-link-normal" href="/dp/{p['asin']}"><img src="/images/I/{p['asin']}.svg" alt="{esc(p['short'])}" width="240" height="240"><span class="a-size-base a-color-base">{esc(p['short'])}</span></a></div>
<div class="a-cardui-footer"><a class="a-link-normal see-more truncate-1line" href="/dp/{p['asin']}">Shop now</a></div></div>""" for p in PRODUCTS)
    body = f'<div id="pageContent" class="gw-layout"><div id="desktop-banner" class="gw-hero"><h1>Holiday deals are here</h1></div><div id="gw-layout" class="gw-card-layout">{cards}</div></div>'
    return _page("Amazon.com. Spend less. Smile more.", body, "gateway")


CSS = """body { margin:0; font-family:"Amazon Ember", Arial, sans-serif; font-size:14px; color:#0f1111; background:#fff; }
a { color:#2162a1; text-decoration:none; }
#navbar { background:#131921; color:#fff; }
#nav-belt { display:flex; align-items:center; gap:12px; padding:6px 12px; height:48px; }
#nav-belt .nav-left, #nav-tools { display:flex; align-items:center; gap:16px; }
#nav-logo-sprites { color:#fff; font-size:24px; font-weight:bold; letter-spacing:-0.5px; }
.nav-logo-locale { color:#fff; font-size:13px; }
.nav-line-1 { display:block; font-size:12px; color:#ccc; } .nav-line-2 { display:block; font-size:14px; font-weight:bold; color:#fff; }
.nav-a { color:#fff; }
#nav-fill-search { flex:1; }
#nav-search-bar-form { display:flex; height:40px; border-radius:4px; overflow:hidden; }
#nav-search-bar-form .nav-fill { flex:1; }
#searchDropdownBox { height:40px; background:#e6e6e6; border:0; }
#twotabsearchtextbox { width:100%; height:40px; border:0; padding:0 10px; font-size:15px; box-sizing:border-box; }
#nav-search-submit-button { height:40px; width:45px; background:#febd69; border:0; }
#nav-main { background:#232f3e; display:flex; padding:6px 12px; gap:16px; }
#nav-main a { color:#fff; } #nav-xshop { display:flex; gap:16px; list-style:none; margin:0; padding:0; }
#nav-cart-count { color:#f08804; font-weight:bold; }
#dp-container { padding:12px 24px; }
.a-breadcrumb ul { display:flex; gap:6px; list-style:none; padding:0; margin:0 0 12px; font-size:12px; }
#ppd { display:grid; grid-template-columns:400px 1fr 260px; gap:24px; }
#productTitle { font-size:24px; font-weight:400; line-height:32px; }
.a-icon-star, .a-icon-star-small { display:inline-block; color:#de7921; font-style:normal; }
.a-icon-star::before { content:"★★★★☆"; letter-spacing:1px; } .a-icon-star-small::before { content:"★★★★☆"; font-size:12px; }
.a-icon-star.a-star-5::before { content:"★★★★★"; } .a-icon-star.a-star-3::before, .a-icon-star.a-star-3-5::before { content:"★★★☆☆"; }
.a-icon-alt, .a-offscreen, .aok-offscreen { position:absolute; left:-9999px; width:1px; height:1px; overflow:hidden; }
.a-price { display:inline-block; } .a-price-symbol { font-size:13px; vertical-align:top; } .a-price-whole { font-size:28px; } .a-price-fraction { font-size:13px; vertical-align:top; }
.a-text-price .a-price-whole, .a-text-price span[aria-hidden] { font-size:14px; color:#565959; }
.a-text-price[data-a-strike="true"] span[aria-hidden] { text-decoration:line-through; }
.savingsPercentage { color:#cc0c39; font-size:24px; margin-right:6px; font-weight:300; }
#corePrice_feature_div { display:none; }
.basisPrice { color:#565959; font-size:12px; }
.a-color-success { color:#007600; } .a-color-price { color:#b12704; } .a-text-bold { font-weight:700; }
.a-size-medium { font-size:18px; }
hr.a-divider-normal { border:0; border-top:1px solid #ddd; margin:12px 0; }
#feature-bullets ul { padding-left:18px; }
#buybox .a-box { border:1px solid #d5d9d9; border-radius:8px; padding:16px; }
#buybox .a-button { display:block; margin:8px 0; } .a-button-text { display:none; }
#feature-bullets h1 { font-size:16px; } .secHeader { font-size:18px; }
#add-to-cart-button, #buy-now-button { width:100%; padding:8px; border-radius:20px; border:0; cursor:pointer; }
#add-to-cart-button { background:#ffd814; } #buy-now-button { background:#ffa41c; }
.tabular-buybox-text { font-size:12px; color:#565959; }
.prodDetTable { border-collapse:collapse; } .prodDetTable th, .prodDetTable td { border-top:1px solid #e7e7e7; padding:7px 14px; text-align:left; }
.prodDetTable th { background:#f3f3f3; font-weight:normal; }
#prodDetails { display:flex; gap:24px; }
#reviewsMedley { display:flex; gap:32px; margin-top:24px; border-top:1px solid #ddd; padding-top:16px; }
#histogramTable { list-style:none; padding:0; } #histogramTable .a-link-normal { display:flex; gap:12px; }
.review { margin-bottom:18px; } .review-date { display:block; font-size:13px; color:#565959; }
#navFooter { background:#232f3e; color:#ddd; padding:16px; margin-top:32px; font-size:12px; text-align:center; }
#navFooter a { color:#ddd; } #navFooter ul { display:flex; justify-content:center; gap:16px; list-style:none; padding:0; }
.navFooterBackToTop { background:#37475a; padding:12px; color:#fff; margin:-16px -16px 16px; }
.s-main-slot { display:grid; grid-template-columns:repeat(4, 1fr); gap:16px; padding:16px 24px; }
.s-main-slot [data-component-type="s-result-info"] { grid-column:1 / -1; }
.s-card-container { border:1px solid #e7e7e7; border-radius:6px; padding:8px; }
.s-image { width:100%; height:auto; }
.gw-card-layout { display:flex; gap:16px; padding:16px 24px; } .gw-card { background:#fff; border:1px solid #ddd; padding:16px; width:300px; }
.gw-hero { background:linear-gradient(#a8d0e6, #e3e6e6); padding:40px 24px; }
"""


def pages() -> dict[str, Content]:
    files: dict[str, Content] = {
        "index.html": _home(),
        "s.html": _search(),  # any query: the search box's real action is /s/ref=nb_sb_noss
        "s/ref=nb_sb_noss.html": Alias("s.html"),
        "images/I/replica-amazon.css": CSS,
    }
    for p in PRODUCTS:
        files[f"dp/{p['asin']}.html"] = _product(p)
        files[f"images/I/{p['asin']}.svg"] = svg_picture(400, 400, p["hue"], p["brand"], shape="box")
    return files
