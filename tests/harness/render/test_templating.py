"""The HTML reports' one Jinja environment: built once, autoescaping, the same filters for all."""

from __future__ import annotations

import ast
import json
from pathlib import Path

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
