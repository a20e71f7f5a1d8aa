"""The HTML reports' one Jinja environment: built once, autoescaping, the same filters for all."""

from __future__ import annotations

import ast
import html
import json
import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

import interop.harness
from interop.harness.render import templating
from interop.harness.results import Counterexample, Location

PACKAGE = Path(interop.harness.__file__).resolve().parent


def test_one_environment_per_process_with_autoescaping() -> None:
    env = templating.environment()
    assert templating.environment() is env
    assert env.autoescape is True
    assert env.from_string("{{ x }}").render(x='<img src=x onerror="a()">') == (
        "&lt;img src=x onerror=&#34;a()&#34;&gt;"
    )


def test_every_template_has_the_same_filters_and_globals() -> None:
    env = templating.environment()
    rendered = env.from_string(
        "{{ v | pretty }}|{{ 0.424 | percent }}|{{ none | percent }}|{{ key | anchor }}|"
        "{{ location(loc) }}|{{ where(example) }}|{{ symbols['incompatible'] }}"
    ).render(
        v={"a": [1]},
        key=("ats", "Unity 2"),
        loc=Location(file="c.yaml", pointer="/paths", line=3),
        example=Counterexample(where="body", value=1, status="201"),
    )
    assert rendered == (
        "{\n  &#34;a&#34;: [\n    1\n  ]\n}|42%|\u2013|f-ats-unity_2|c.yaml:3|in body, status 201|✗"
    )
    for name in ("report.html.j2", "dashboard.html.j2"):
        assert env.get_template(name) is env.get_template(name)


def _calls(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            func = node.func
            names.add(func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", ""))
    return names


def test_no_other_module_builds_a_jinja_environment() -> None:
    builders = [
        path.relative_to(PACKAGE).as_posix()
        for path in sorted(PACKAGE.rglob("*.py"))
        if "Environment" in _calls(path)
    ]
    assert builders == ["render/templating.py"]


def test_script_json_cannot_close_its_block_and_stays_the_same_json() -> None:
    value = {"message": "</script><script>alert(1)</script> & <!-- \u2028"}
    text = json.dumps(value, ensure_ascii=False)
    safe = templating.script_json(text)
    assert "<" not in safe and ">" not in safe and "&" not in safe and "\u2028" not in safe
    assert json.loads(str(safe)) == value


# -- code spans and marked counterexamples (issue 15) -------------------------------------------
_TAGS = re.compile(r"</?code>|</?mark>")


@given(st.text(alphabet=st.sampled_from("ab`<>&\"' \n"), max_size=40))
def test_backticked_spans_become_code_and_nothing_else_is_markup(text: str) -> None:
    out = str(templating.inline_code(text))
    assert "<" not in _TAGS.sub("", out)  # every other "<" was escaped first
    assert html.unescape(_TAGS.sub("", out)) == re.sub(r"`([^`\n]+)`", r"\1", text)
    assert out.count("<code>") == len(re.findall(r"`([^`\n]+)`", text))


def test_a_backticked_payload_is_shown_as_code() -> None:
    out = str(templating.inline_code("send `<script>alert(1)</script>` & `x`"))
    assert out == "send <code>&lt;script&gt;alert(1)&lt;/script&gt;</code> &amp; <code>x</code>"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='a<&"', max_size=4),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(alphabet="ab<", max_size=3), inner, max_size=3)
    ),
    max_leaves=10,
)


def _paths(value: object, here: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    found = [here]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*here, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*here, index))
    return found


@given(json_values, st.data())
def test_a_marked_counterexample_is_the_same_json_with_one_member_marked(
    value: object, data: st.DataObject
) -> None:
    path = data.draw(st.sampled_from(_paths(value)))
    out = str(templating.highlighted_json(value, path))
    assert html.unescape(_TAGS.sub("", out)) == json.dumps(value, indent=2, ensure_ascii=False)
    assert out.count("<mark>") == (1 if path else 0)
    if path:
        marked = html.unescape(out.split("<mark>")[1].split("</mark>")[0])
        key = path[-1]
        expected = json.dumps(_at(value, path), indent=2, ensure_ascii=False)
        if isinstance(key, str):
            expected = f"{json.dumps(key, ensure_ascii=False)}: {expected}"
        assert marked.replace("\n", "").replace(" ", "") == expected.replace("\n", "").replace(
            " ", ""
        )


def _at(value: object, path: tuple[str | int, ...]) -> object:
    for part in path:
        value = value[part]  # type: ignore[index]
    return value


def test_a_path_that_does_not_fit_marks_nothing() -> None:
    out = str(templating.highlighted_json({"a": [1]}, ("a", 5)))
    assert "<mark>" not in out and json.loads(out) == {"a": [1]}
