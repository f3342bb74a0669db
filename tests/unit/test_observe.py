from services.browser.agent.observe import Observation, ref_selector, windowed


def test_windows_cut_at_line_boundaries_and_clamp():
    text = "\n".join(f"line {i:03d}" for i in range(100))  # 9 chars per line
    first, index, count = windowed(text, 0, size=100)
    assert (index, count) == (0, 10) and first.splitlines()[0] == "line 000"
    last, index, _ = windowed(text, 99, size=100)
    assert index == 9 and last.splitlines()[-1] == "line 099"
    assert windowed("short", 3)[1:] == (0, 1)


def test_render_says_when_there_is_more():
    assert "part 2 of 3; scroll for more" in Observation("u", "t", "c", 1, 3).render()
    assert "part" not in Observation("u", "t", "c", 0, 1).render()


def test_ref_selector_accepts_what_models_write():
    assert ref_selector("e12") == ref_selector("[e12]") == ref_selector(" e12 ") == '[data-sbref="e12"]'
