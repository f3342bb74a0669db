"""Which values of a task a recorded run used (services/browser/recording.py): only those become
parameters, and the recipe still starts at the page the task opened."""
from services.browser.agent.actions import Action
from services.browser.recipe_page import Target
from services.browser.recording import Trail, parameters
from services.common import recipes
from stablebrowse.scheduler.v1 import scheduler_pb2


def clicked(role: str, name: str) -> Trail:
    trail = Trail()
    trail.add(Action("click", ref="e2"), Target(ref="e2", role=role, name=name, near=""))
    return trail


def test_a_word_of_the_task_found_in_the_url_only_in_another_case_is_no_parameter():
    spec = scheduler_pb2.TaskSpec(task="Focus into the textbox.", start_url="http://localhost:8000/miniwob/focus-text.html")
    assert parameters(spec, clicked("textbox", "")) == []


def test_a_recipe_whose_parameter_is_in_the_url_in_another_case_starts_at_the_next_tasks_page():
    page = "http://localhost:8000/miniwob/click-tab.html"
    spec = scheduler_pb2.TaskSpec(task="Click on Tab #1.", start_url=page)
    template, names = recipes.lift(spec.task, parameters(spec, clicked("tab", "Tab #1")))  # "Tab": a clicked name
    start = recipes.templated(recipes.page_address(page), names, exact=True)
    bound = recipes.bind(template, "Click on Tab #3.")
    assert start == page and bound == {"p1": "Tab", "p2": "3"}
    assert recipes.starts_at(start, bound, page + "?seed=2")


def test_a_value_in_the_start_urls_path_in_the_same_case_is_a_parameter():
    spec = scheduler_pb2.TaskSpec(task="What is the first listing in Lisbon on Airbnb?",
                                  start_url="https://www.airbnb.com/s/Lisbon/homes")
    assert parameters(spec, Trail()) == ["Lisbon"]
