"""What kind of field the model is about to type into, where its page is, and where its form
sends: a placeholder is filled only into the field it names, on the login's own site. And
which fields of its form a button would submit empty."""
import dataclasses

from playwright.async_api import Error as PlaywrightError

# kind: "password" for <input type=password>; "username" for a text/email input that says it
# holds a username or email (autocomplete, or its name, id, aria-label or <label>); else "other".
# action: where pressing Enter in it submits (the default button's formaction, else the
# form's action), "" outside a form.
FIELD_JS = """(el) => {
  const tag = el.tagName.toLowerCase();
  const type = (el.getAttribute('type') || 'text').toLowerCase();
  let kind = 'other';
  if (tag === 'input' && type === 'password') {
    kind = 'password';
  } else if (tag === 'input' && (type === 'text' || type === 'email')) {
    const auto = (el.getAttribute('autocomplete') || '').toLowerCase();
    const labels = [...(el.labels || [])].map((l) => l.textContent).join(' ');
    const words = [el.name, el.id, el.getAttribute('aria-label') || '', labels].join(' ');
    if (/\\b(username|email)\\b/.test(auto) || /user|e-?mail|login/i.test(words)) kind = 'username';
  }
  let action = '';
  if (el.form) {
    const button = el.form.querySelector(
      'button:not([type]), button[type=submit], input[type=submit], input[type=image]');
    action = button && button.hasAttribute('formaction') ? button.formAction : el.form.action;
  }
  return { kind, host: location.hostname, action };
}"""


@dataclasses.dataclass
class Field:
    kind: str
    host: str
    action: str = ""


async def describe(locator, timeout_ms: int = 5000) -> Field:
    found = await locator.evaluate(FIELD_JS, timeout=timeout_ms)
    return Field(found["kind"], found["host"], found["action"])


# The text fields `el` (a button or a field) is filled in with: its form's, else those of the
# nearest of its next three ancestors that has another (a form without <form>); in view (with
# a ref), usable. None beyond that: a page's far-off search box is no part of it.
GROUP_JS = """(el) => {
  const FIELD = 'input:not([type]), input[type=text], input[type=password], input[type=email], input[type=search], ' +
    'input[type=tel], input[type=url], input[type=number], textarea';
  const usable = (f) => f.dataset.sbref && !f.disabled && !f.readOnly;
  const fields = (scope) => [...scope.querySelectorAll(FIELD)].filter(usable);
  const form = el.form || el.closest('form');
  if (form) return fields(form);
  let scope = el.parentElement;
  for (let up = 0; scope && up < 3; up++, scope = scope.parentElement) {
    if (fields(scope).some((f) => f !== el)) return fields(scope);
  }
  return [];
}"""
# What a click on `button` would submit: [the refs of its form's empty fields in page order, any filled].
LEFT_EMPTY_JS = f"""(button) => {{
  const fields = ({GROUP_JS})(button);
  return [fields.filter((f) => !f.value).map((f) => f.dataset.sbref), fields.some((f) => f.value)];
}}"""
# Enter in a field submits its form: only once no other field of it is empty.
COMPLETES_JS = f"(field) => !({GROUP_JS})(field).some((f) => f !== field && !f.value)"


async def left_empty(button, begun: bool = False, timeout_ms: int = 2000) -> list[str]:
    """The refs of the fields `button` (a locator) would submit empty: in a form with a field
    filled, or any form when `begun` (the task asks for text to be given)."""
    try:
        empty, filled = await button.evaluate(LEFT_EMPTY_JS, timeout=timeout_ms)
    except PlaywrightError:
        return []  # not on the page: the click itself reports that
    return empty if filled or begun else []


async def completes(field, timeout_ms: int = 2000) -> bool:
    """No other field of `field`'s form (a locator) is empty: Enter in it may submit the form."""
    return await field.evaluate(COMPLETES_JS, timeout=timeout_ms)
