"""What kind of field the model is about to type into, where its page is, and where its form
sends: a placeholder is filled only into the field it names, on the login's own site."""
import dataclasses

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
