"""Helpers shared by the site generators: a fixed 'now' so pages never change between builds."""
import datetime
import html

NOW = datetime.datetime(2026, 11, 23, 13, 0, 0, tzinfo=datetime.UTC)


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def ago(minutes: int) -> datetime.datetime:
    return NOW - datetime.timedelta(minutes=minutes)


def svg_picture(width: int, height: int, hue: int, label: str = "", shape: str = "house") -> str:
    """A small stand-in photo: a sky-to-ground gradient with a simple silhouette."""
    shapes = {
        "house": f'<path d="M{width*0.3:.0f} {height*0.75:.0f}V{height*0.48:.0f}L{width*0.5:.0f} {height*0.3:.0f}L{width*0.7:.0f} {height*0.48:.0f}V{height*0.75:.0f}Z" fill="hsl({hue},25%,92%)"/>'
                 f'<rect x="{width*0.46:.0f}" y="{height*0.58:.0f}" width="{width*0.08:.0f}" height="{height*0.17:.0f}" fill="hsl({hue},35%,35%)"/>',
        "box": f'<rect x="{width*0.28:.0f}" y="{height*0.25:.0f}" width="{width*0.44:.0f}" height="{height*0.5:.0f}" rx="{width*0.04:.0f}" fill="hsl({hue},15%,80%)" stroke="hsl({hue},20%,45%)" stroke-width="3"/>',
        "skyline": "".join(
            f'<rect x="{width*(0.08+i*0.12):.0f}" y="{height*(0.35+((i*37)%5)*0.06):.0f}" width="{width*0.1:.0f}" height="{height:.0f}" fill="hsl({hue},20%,{30+i*4}%)"/>'
            for i in range(7)),
    }
    text = (f'<text x="50%" y="{height-12}" text-anchor="middle" font-family="sans-serif" font-size="{max(10, height//14)}" '
            f'fill="#fff" opacity="0.85">{esc(label)}</text>') if label else ""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
            f'<defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="hsl({hue},60%,78%)"/>'
            f'<stop offset="1" stop-color="hsl({(hue+40)%360},45%,42%)"/></linearGradient></defs>'
            f'<rect width="100%" height="100%" fill="url(#g)"/>{shapes[shape]}{text}</svg>\n')
