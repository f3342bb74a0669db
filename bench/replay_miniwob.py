"""MiniWoB++ task shapes for bench/replay.py: the instruction the episode page shows (seeded, so
seed A and seed B ask for different values) is sent as the task, the page as its `startUrl`, and
success is the episode's own reward (MiniWoB's check of what was done on the page, posted back
by bench/miniwob.py's hook), never our answer text.

Shapes that the recipes cannot replay are kept and reported as what they are (the row says
`agent` and why), not special-cased: choose-list's <select> has no label, so its accessible name
is its whole option list, which changes with the seed; click-dialog's "Close the dialog box by
clicking…" is not an act task to intent.asks_to_act, so its answer "Done" would have to be read
off the page, and the run leaves no recipe. Left out: enter-password (a page with a password
field is a sign-in to the agent: the end user has no login stored, the task fails
credential_missing), click-checkboxes (the number of boxes to tick varies with the seed, so a
recorded sequence of clicks is not the task's shape)."""
import dataclasses
import re
import time
import uuid

from playwright.sync_api import sync_playwright

from bench import miniwob
from services.browser.settings import BrowserSettings
from tests.scripted_llm import finish


@dataclasses.dataclass(frozen=True)
class Step:
    """One action of the scripted model: on the snapshot line `[eN] role "name"` (name filled
    with the task's value; the nth such line), type or select `text` (also filled)."""
    action: str
    role: str
    name: str = ""
    text: str = ""
    nth: int = 0


@dataclasses.dataclass(frozen=True)
class Shape:
    task: str  # the MiniWoB++ task (its page is miniwob/<task>.html)
    seeds: tuple[int, int]  # first run, replay: chosen so that the instruction's value differs
    value: str  # the regex whose group 1 is the instruction's value ("" when it has none)
    plan: tuple[Step, ...]


SUBMIT = Step("click", "button", "Submit")
SHAPES = [
    Shape("click-link", (1, 2), r'link "(.+)"\.$', (Step("click", "link", "{v}"),)),
    Shape("click-button", (1, 3), r'the "(.+)" button', (Step("click", "button", "{v}"),)),
    Shape("enter-text", (1, 2), r'Enter "(.+)" into', (Step("type", "textbox", text="{v}"), SUBMIT)),
    Shape("click-tab", (1, 2), r"Tab #(\d)", (Step("click", "tab", "Tab #{v}"),)),
    Shape("click-option", (1, 2), r"Select (\S+) and", (Step("click", "radio", "{v}"), SUBMIT)),
    Shape("focus-text", (1, 2), "", (Step("click", "textbox"),)),
    Shape("click-dialog", (1, 2), "", (Step("click", "button", "Close"),)),
    Shape("choose-list", (1, 2), r"Select (.+) from the list", (Step("select", "combobox", text="{v}"), SUBMIT)),
]
DONE = re.compile(r"^\d+\. (?:click|type into|select) e\d+ -> ok$", re.M)


class Episodes:
    """MiniWoB++ served on localhost (bench/miniwob.py's server and reward hook)."""

    def __init__(self) -> None:
        self.html = miniwob.miniwob_html()
        self.rewards: dict[str, dict] = {}
        self.server = miniwob.serve(self.html, self.rewards)
        self.site = f"http://localhost:{self.server.server_address[1]}"

    def url(self, task: str, seed: int) -> tuple[str, str]:
        """(the episode page's URL, its run id: the key its reward is posted under)."""
        run = uuid.uuid4().hex
        return f"{self.site}/miniwob/{task}.html?seed={seed}&run={run}", run

    def reward(self, run: str, within: float = 10.0) -> float:
        """The episode's raw reward (1 done right, -1 wrong); 0 when the episode never ended."""
        deadline = time.monotonic() + within  # the page's beacon may trail the task's end a little
        while run not in self.rewards and time.monotonic() < deadline:
            time.sleep(0.05)
        return float(self.rewards.get(run, {}).get("raw", 0.0))

    def instructions(self, shapes: list[Shape]) -> dict[tuple[str, int], str]:
        """What each shape's pages ask, per seed, read off the pages in Chromium (the generator
        is seeded, so the agent's browser is asked the same)."""
        out = {}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=BrowserSettings().chromium_path, args=["--no-sandbox"])
            page = browser.new_page()
            for shape in shapes:
                for seed in shape.seeds:
                    page.goto(self.url(shape.task, seed)[0].replace("run=", "run=peek-"))
                    page.wait_for_function("document.querySelector('#query').innerText.trim().length > 0")
                    out[(shape.task, seed)] = page.inner_text("#query").strip()
            browser.close()
        return out

    def close(self) -> None:
        self.server.shutdown()


def value_of(shape: Shape, instruction: str) -> str:
    return re.search(shape.value, instruction).group(1) if shape.value else ""


def ref(prompt: str, step: Step, value: str) -> str:
    name = step.name.replace("{v}", value)
    line = re.escape(f"] {step.role}") + (re.escape(f' "{name}"') if name else "") + r'(?:$|[: ])'
    return re.findall(r"^\[(e\d+)" + line, prompt, re.M)[step.nth]


def reply(shape: Shape, value: str):
    """The model's reply at each step: the next step of the plan after those already done
    (replayed steps count: the agent takes over after a divergence with them in its history)."""
    def answer(prompt: str) -> dict:
        history = prompt.split("Done so far:\n", 1)[1].split("\n\n", 1)[0] if "Done so far:\n" in prompt else ""
        done = len(DONE.findall(history))
        if done >= len(shape.plan):
            return finish("Done")
        step = shape.plan[done]
        out = {"action": step.action, "ref": ref(prompt, step, value)}
        return {**out, "text": step.text.replace("{v}", value)} if step.text else out
    return answer

