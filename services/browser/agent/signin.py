"""Sign-in pages. With the end user's saved login for the site, the agent signs in itself
(the model is not asked, and never sees the values); on a page it cannot fill, the model is
told to type the {{username}} / {{password}} placeholders. Without a saved login the site is
remembered: a task that ends there, or without an answer, fails `credential_missing`."""
import urllib.parse

from playwright.async_api import Error as PlaywrightError

from services.browser.agent.logins import Logins
from services.browser.events import TaskReporter
from services.common.failures import ErrorCode, TaskFailure

USER, PASSWORD = '[data-sbsignin="user"]', '[data-sbsignin="password"]'

# Marks the fields of the page's one visible sign-in form: its password field and the
# text field just before it; returns where the form sends (the default button's formaction,
# else its action). Null when there is not exactly one such form.
FIND_FORM_JS = """() => {
  document.querySelectorAll('[data-sbsignin]').forEach((el) => el.removeAttribute('data-sbsignin'));
  const shown = (el) => !el.disabled && (!el.checkVisibility || el.checkVisibility());
  const passwords = [...document.querySelectorAll('form input[type=password]')].filter(shown);
  if (passwords.length !== 1) return null;
  const password = passwords[0];
  const before = [...password.form.querySelectorAll('input')].filter((el) => shown(el) &&
    ['text', 'email', 'tel', ''].includes((el.getAttribute('type') || '').toLowerCase()) &&
    (el.compareDocumentPosition(password) & Node.DOCUMENT_POSITION_FOLLOWING));
  password.setAttribute('data-sbsignin', 'password');
  if (before.length) before[before.length - 1].setAttribute('data-sbsignin', 'user');
  const button = password.form.querySelector(
    'button:not([type]), button[type=submit], input[type=submit], input[type=image]');
  const action = button && button.hasAttribute('formaction') ? button.formAction : password.form.action;
  return { user: before.length > 0, action };
}"""


def host_of(url: str) -> str:
    return urllib.parse.urlsplit(url).hostname or url



class SignIn:
    def __init__(self, logins: Logins, report: TaskReporter):
        self.logins = logins
        self.report = report
        self.walls: list[str] = []  # sites that asked for a login the end user has not stored
        self.tried: set[str] = set()  # sites the agent signed in to itself (once each)
        self.on_wall = False  # the page in view is a sign-in page of such a site

    async def handle(self, page, url: str, asks_login: bool) -> bool:
        """Called with each fresh view; True when it signed in (the page changed)."""
        self.on_wall = False
        if not asks_login:
            return False
        host = host_of(url)
        login = self.logins.for_host(host)
        if login is None or not login.password:
            self.on_wall = True
            if host not in self.walls:
                self.walls.append(host)
            return False
        if host in self.tried:
            return False
        self.tried.add(host)
        try:
            form = await page.evaluate(FIND_FORM_JS)
            if not form or not login.covers(host_of(form["action"])):
                return False  # no form, or one that sends the password elsewhere: never submitted
            if form["user"] and login.username:
                await page.locator(USER).fill(login.username, timeout=5000)
            await page.locator(PASSWORD).fill(login.password, timeout=5000)
            async with page.expect_navigation(wait_until="domcontentloaded", timeout=15_000):
                await page.locator(PASSWORD).press("Enter", timeout=5000)
            refused = await page.evaluate("() => !!document.querySelector('input[type=password]')")
        except PlaywrightError:
            return False  # the form did not take it: the model gets the placeholders instead
        if refused:
            await self.report.step("execution", f"The saved login for {login.domain} was not accepted", False)
        else:
            await self.report.step("execution", f"Signed in to {login.domain} with the end user's saved login")
        return True

    def hint(self, url: str) -> str:
        """What the model is told on a sign-in page."""
        host = host_of(url)
        login = self.logins.for_host(host)
        if login is not None and login.password:
            return (f"This page asks you to sign in. The end user's saved login for {login.domain}: type "
                    "{{username}} into the username field and {{password}} into the password field "
                    "(typing the second presses Enter).")
        return (f"This page asks you to sign in, and the end user has no saved login for {host}. If the answer "
                'cannot be reached without signing in, reply {"action":"finish","answer":""}.')

    def missed(self, host: str) -> None:
        """The model typed a placeholder on a site with no saved login."""
        if host not in self.walls:
            self.walls.append(host)

    def check(self, answered: bool) -> None:
        """An answer given on a sign-in page the end user has no login for, or no answer after
        meeting one: the task needed a credential that is missing."""
        if self.on_wall or (self.walls and not answered):
            names = ", ".join(self.walls)
            raise TaskFailure(ErrorCode.ERROR_CODE_CREDENTIAL_MISSING,
                              f"{names} asked for a login and the end user has no credential "
                              f"stored for {'it' if len(self.walls) == 1 else 'them'}")
