"""What recipes read off a page: the targets the last snapshot named (role, accessible name,
nearby text: never refs), where an answer's values are shown, and the text at such a place."""
import dataclasses
import re

from playwright.async_api import Error as PlaywrightError

# The elements the last snapshot gave a ref (all, those of one role, or the one with that ref):
# their role and name as the model saw them, and with `near` the text around each (its nearest
# ancestor with more text than its own, its own text taken out; costly on a long page, so only
# when asked).
TARGETS_JS = """([role, withNear, ref]) => Array.from(document.querySelectorAll('[data-sbref]'), (el) => {
  const squash = (s) => (s || '').replace(/\\s+/g, ' ').trim();
  if (role && el.getAttribute('data-sbrole') !== role) return null;
  if (ref && el.getAttribute('data-sbref') !== ref) return null;
  const own = withNear ? squash(el.innerText) : '';
  let up = withNear ? el.parentElement : null, near = '';
  while (up && up !== document.body) {
    const t = squash(up.innerText);
    if (t.length > own.length) { near = squash(t.replace(own, ' ')).slice(0, 80); break; }
    up = up.parentElement;
  }
  return {ref: el.getAttribute('data-sbref'), role: el.getAttribute('data-sbrole') || '',
          name: el.getAttribute('data-sbname') || '', near};
}).filter((t) => t)"""

# For each value, the innermost element whose text shows it: a CSS path to it (from the nearest
# ancestor with an id) and its text. Also, for an answer no element shows whole, the longest
# short text of an element that the answer quotes.
LOCATE_JS = """([values, answer]) => {
  const squash = (s) => (s || '').replace(/\\s+/g, ' ').trim();
  const all = Array.from(document.body ? document.body.querySelectorAll('*') : []);
  const visible = all.filter((el) => !['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE'].includes(el.tagName) &&
    (!el.checkVisibility || el.checkVisibility()));
  const segment = (el) => {
    if (el.id && /^[A-Za-z][\\w-]*$/.test(el.id)) return '#' + el.id;
    const classes = Array.from(el.classList).filter((c) => /^[A-Za-z][A-Za-z_-]*$/.test(c)).slice(0, 3);
    let s = el.tagName.toLowerCase() + classes.map((c) => '.' + c).join('');
    const same = el.parentElement ? Array.from(el.parentElement.children).filter((c) => c.tagName === el.tagName) : [];
    if (same.length > 1) s += `:nth-of-type(${same.indexOf(el) + 1})`;
    return s;
  };
  const path = (el) => {
    const parts = [];
    for (let at = el; at && at !== document.body; at = at.parentElement) {
      const s = segment(at);
      parts.unshift(s);
      if (s.startsWith('#')) break;
    }
    return parts.join(' > ');
  };
  const place = (value) => {
    const holders = visible.filter((el) => squash(el.innerText).includes(value));
    const inner = holders.filter((el) => !holders.some((o) => o !== el && el.contains(o)));
    return inner.length ? {path: path(inner[0]), text: squash(inner[0].innerText)} : null;
  };
  const quoted = answer ? visible.filter((el) => !el.children.length)
    .map((el) => squash(el.innerText)).filter((t) => t.length >= 1 && t.length <= 200 && answer.includes(t))
    .sort((a, b) => b.length - a.length)[0] : null;
  return {places: values.map(place), quoted: quoted || null, quotedPlace: quoted ? place(quoted) : null};
}"""

READ_JS = """(path) => {
  const found = document.querySelectorAll(path);
  return found.length === 1 ? found[0].innerText.replace(/\\s+/g, ' ').trim() : null;
}"""


@dataclasses.dataclass
class Target:
    ref: str
    role: str
    name: str
    near: str


def fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


async def targets(page, role: str = "", near: bool = False, ref: str = "") -> list[Target]:
    try:
        return [Target(**t) for t in await page.evaluate(TARGETS_JS, [role, near, ref])]
    except PlaywrightError:
        return []


async def locate(page, values: list[str], answer: str) -> dict | None:
    try:
        return await page.evaluate(LOCATE_JS, [values, answer])
    except PlaywrightError:
        return None


async def read(page, path: str) -> str | None:
    """The text of the one element at `path`; None when there is none or more than one."""
    try:
        return await page.evaluate(READ_JS, path)
    except PlaywrightError:
        return None
