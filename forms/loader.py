"""Turning definition files into Services, or into problems that say exactly where.

Two passes: the JSON Schema in forms/schema/ checks the shape (every error, with its
JSON path), then the checks below look at meaning: ids that clash, expressions that
name unknown questions or compare the wrong kinds of value, calculations that depend
on themselves. Missing translations are warnings: the text falls back, visibly.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import fastjsonschema
import regex
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from forms import expressions as ex
from forms.definition import (
    Calculation,
    Choice,
    DefinitionError,
    DefinitionProblem,
    EligibilityRule,
    Limit,
    LocalText,
    Profile,
    Question,
    Record,
    Service,
    Table,
)
from forms.languages import LANGUAGE_CODES
from forms.text import TextError, placeholders

_T = TypeVar("_T")
SCHEMAS = Path(__file__).resolve().parent / "schema"
MAX_FILE_BYTES = 2 * 1024 * 1024

_VALUE_TYPE = {
    "single_choice": ex.STRING,
    "multiple_choice": ex.LIST,
    "yes_no": ex.BOOL,
    "consent": ex.BOOL,
    "records_consent": ex.BOOL,
    "number": ex.NUMBER,
    "date": ex.DATE,
    "short_text": ex.STRING,
    "phone": ex.STRING,
    "resident_number": ex.STRING,
}
_ONLY_FOR = {
    "min": ("number", "date"),
    "max": ("number", "date"),
    "unit": ("number",),
    "max_length": ("short_text",),
    "hint": ("short_text", "number"),
    "pattern": ("short_text",),
}


@cache
def _validator(name: str) -> Draft202012Validator:
    resources = []
    for path in SCHEMAS.glob("*.schema.json"):
        schema = json.loads(path.read_text(encoding="utf-8"))
        resources.append((schema["$id"], Resource.from_contents(schema)))
        resources.append((path.name, Resource.from_contents(schema)))
    registry: Registry = Registry().with_resources(resources)
    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    return Draft202012Validator(schema, registry=registry)


@cache
def _fast_validator(name: str) -> Callable[[Any], Any]:
    """The same schema compiled to Python by fastjsonschema (draft-07 keywords only).

    The schemas use nothing newer than draft-07, so bundling the common definitions in
    and declaring draft-07 validates the same documents, much faster.
    """
    common = json.loads((SCHEMAS / "common.schema.json").read_text(encoding="utf-8"))
    text = (
        (SCHEMAS / name)
        .read_text(encoding="utf-8")
        .replace("common.schema.json#/$defs/", "#/$defs/")
    )
    schema = json.loads(text)
    schema["$defs"] = {**common["$defs"], **schema.get("$defs", {})}
    schema["$schema"] = "http://json-schema.org/draft-07/schema#"
    schema.pop("$id", None)
    compiled: Callable[[Any], Any] = fastjsonschema.compile(schema)
    return compiled


def read_json(raw: bytes, file: str) -> Any:
    """Parse bytes as JSON, or raise DefinitionError saying why not."""

    def fail(message: str) -> DefinitionError:
        return DefinitionError([DefinitionProblem(file, "$", message)])

    if len(raw) > MAX_FILE_BYTES:
        raise fail(f"larger than {MAX_FILE_BYTES // 1024} KiB")
    try:
        return json.loads(raw.decode("utf-8"), parse_int=_small_int, parse_float=_small_float)
    except UnicodeDecodeError as exc:
        raise fail(f"not UTF-8 (byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise fail(f"not JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    except RecursionError:
        raise fail("nested too deeply") from None
    except ValueError as exc:  # a number out of bounds (ours, or Python's digit limit)
        raise fail(str(exc)[:80]) from None


MAX_NUMBER_CHARS = 40
"""No definition needs a longer number; Python refuses ints past 4,300 digits with a
bare ValueError, and converting long ones costs quadratic time."""


def _small_int(text: str) -> int:
    if len(text) > MAX_NUMBER_CHARS:
        raise ValueError(f"a number longer than {MAX_NUMBER_CHARS} characters")
    return int(text)


def _small_float(text: str) -> float:
    value = float(text) if len(text) <= MAX_NUMBER_CHARS else float("inf")
    if value in (float("inf"), float("-inf")):
        raise ValueError(f"a number too large (or longer than {MAX_NUMBER_CHARS} characters)")
    return value


_INDEXED = re.compile(
    r"^\$\.(questions|eligibility|calculations|records|categories|life_events)\[(\d+)\]"
)
_SINGULAR = {
    "questions": "question", "eligibility": "rule", "calculations": "calculation",
    "records": "record", "categories": "category", "life_events": "life event",
    "meanings": "meaning", "tables": "table",
}  # fmt: skip


def readable(document: Any, path: str) -> str:
    """`$.questions[9].constraint` as `question "pension" (questions[9]).constraint`: an
    author looks for the id, not for the tenth item of a list."""
    match = _INDEXED.match(path)
    if not match or not isinstance(document, dict):
        return path
    key, index = match.group(1), int(match.group(2))
    items = document.get(key)
    item = items[index] if isinstance(items, list) and index < len(items) else None
    name = item.get("id", item.get("shared")) if isinstance(item, dict) else None
    if not isinstance(name, str):
        return path
    return f'{_SINGULAR[key]} "{name}" ({key}[{index}]){path[match.end() :]}'


def check_shape(document: Any, schema: str, file: str) -> list[DefinitionProblem]:
    """Every place where `document` does not match the schema, most precise first."""
    try:
        _fast_validator(schema)(document)
        return []
    except fastjsonschema.JsonSchemaValueException as exc:
        fast_message = exc.message
    except RecursionError:
        return [DefinitionProblem(file, "$", "nested too deeply")]
    problems = []
    try:
        errors = sorted(_validator(schema).iter_errors(document), key=lambda e: e.json_path)
    except RecursionError:
        return [DefinitionProblem(file, "$", "nested too deeply")]
    if not errors:  # the two validators disagree: trust the stricter one, say so plainly
        return [DefinitionProblem(file, "$", fast_message.replace("data", "$", 1))]
    for error in errors:
        path = readable(document, error.json_path)
        problems.append(DefinitionProblem(file, path, _message(error)))
    return problems


def _message(error: Any) -> str:
    """jsonschema's message, without pasting a whole definition into it."""
    rule = error.validator_value
    if error.validator == "not" and isinstance(rule, dict) and "required" in rule:
        return f"this type of question does not take {', '.join(rule['required'])}"
    message = str(error.message)
    if len(message) > 200:
        return f"does not fit the format here ({error.validator} in {error.schema_path[-1]})"
    return message


class _Checker:
    """Collects problems about meaning while building the objects."""

    def __init__(self, file: str, document: Any = None) -> None:
        self.file = file
        self.document = document
        self.problems: list[DefinitionProblem] = []
        self.later: dict[str, int] = {}
        """Question ids of this file not asked yet at the point being checked."""
        self.own: set[str] = set()
        """The service's own question ids (not profile values)."""
        self.tables: set[str] = set()
        """The table ids of shared.json, for choices' limits."""

    def error(self, path: str, message: str) -> None:
        self.problems.append(DefinitionProblem(self.file, readable(self.document, path), message))

    def warn(self, path: str, message: str) -> None:
        where = readable(self.document, path)
        self.problems.append(DefinitionProblem(self.file, where, message, warning=True))

    def placeholders(self, text: str, path: str, names: Mapping[str, ex.Variable]) -> None:
        """{name} must be a profile value; {n, plural, ...} must parse, on a number."""
        try:
            found = placeholders(text)
        except TextError as exc:
            self.error(path, f"{exc}: write {{n, plural, one {{# person}} other {{# people}}}}")
            return
        for name, forms in found:
            if name not in names:
                self.error(path, f"{{{name}}} is not a profile value")
            elif forms is not None and names[name].type != ex.NUMBER:
                self.error(path, f"{{{name}, plural, ...}}: {name} is not a number")

    def unknown_name(self, exc: ex.ExpressionError, rule: bool) -> str:
        """Why a name is unknown here, and what to do, when the file does know it."""
        if rule and exc.name in self.own:
            return (
                f"eligibility rules may use only profile values (shared.json and its "
                f"calculations), and {exc.name!r} is a question of this service: "
                f"make it a shared question or leave it out of the rule"
            )
        if exc.name in self.later:
            return (
                f"{exc.name!r} is asked later (questions[{self.later[exc.name]}]): an "
                f"expression may use only profile values and questions asked before it; "
                f"move {exc.name!r} earlier or this question later"
            )
        return exc.message

    def text(self, raw: Mapping[str, str] | None, path: str, translated: bool = True) -> LocalText:
        if not raw:
            return {}
        missing = [lang for lang in LANGUAGE_CODES if lang not in raw]
        if translated and missing:
            self.warn(path, f"no text in {', '.join(missing)}: English or Korean is shown instead")
        return dict(raw)

    def expression(
        self, raw: Any, names: Mapping[str, ex.Variable], path: str, want: str | None
    ) -> Any:
        try:
            found = ex.check(raw, names, path)
        except ex.ExpressionError as exc:
            self.error(exc.path, self.unknown_name(exc, path.startswith("$.eligibility")))
            return None
        if want and found not in (want, ex.ANY):
            self.error(path, f"must give {want}, but gives {found}")
            return None
        return raw

    def question(self, raw: dict[str, Any], path: str, shared: bool) -> Question:
        qtype = raw["type"]
        for key, types in _ONLY_FOR.items():
            if key in raw and qtype not in types:
                self.error(f"{path}.{key}", f"only {' and '.join(types)} questions take {key}")
        if "min" in raw and "max" in raw and raw["min"] > raw["max"]:
            self.error(f"{path}.min", f"min ({raw['min']}) is larger than max ({raw['max']})")
        pattern = raw.get("pattern")
        if pattern is not None:
            try:
                regex.compile(pattern)
            except (regex.error, OverflowError, RecursionError) as exc:
                self.error(f"{path}.pattern", f"not a valid pattern: {exc}")
                pattern = None
        seen: set[str] = set()
        choices = []
        for i, c in enumerate(raw.get("choices", ())):
            if c["value"] in seen:
                self.error(f"{path}.choices[{i}].value", f"duplicate choice {c['value']!r}")
            seen.add(c["value"])
            here = f"{path}.choices[{i}]"
            limits = {}
            for key in ("up_to", "over"):
                if key in c:
                    if c[key]["table"] not in self.tables:
                        self.error(
                            f"{here}.{key}.table", f"no table {c[key]['table']!r} in shared.json"
                        )
                    limits[key] = Limit(c[key]["table"], c[key].get("times", 1.0))
            choices.append(
                Choice(
                    c["value"],
                    self.text(c["label"], f"{here}.label"),
                    c.get("speech", {}),
                    **limits,
                )
            )
        return Question(
            id=raw["id"],
            type=qtype,
            label=self.text(raw["label"], f"{path}.label"),
            help=self.text(raw.get("help"), f"{path}.help"),
            example=self.text(raw.get("example"), f"{path}.example"),
            speech=dict(raw.get("speech", {})),
            required=raw.get("required", True),
            allow_unknown=raw.get("allow_unknown", False),
            personal=raw.get("personal", False),
            relevant=raw.get("relevant"),
            constraint=raw.get("constraint"),
            constraint_message=self.text(
                raw.get("constraint_message"), f"{path}.constraint_message"
            ),
            choices=tuple(choices),
            minimum=raw.get("min"),
            maximum=raw.get("max"),
            unit=self.text(raw.get("unit"), f"{path}.unit"),
            max_length=raw.get("max_length", 100),
            hint=raw.get("hint", "text"),
            pattern=pattern,
            shared=shared,
            shares=raw.get("shares", ""),
        )


def variable(question: Question) -> ex.Variable | None:
    """How expressions see a question's answer (None: it has no answer)."""
    kind = _VALUE_TYPE.get(question.type)
    if kind is None:
        return None
    return ex.Variable(kind, frozenset(c.value for c in question.choices))


def _calculations(
    c: _Checker, raw: Iterable[dict[str, Any]], names: dict[str, ex.Variable], path: str
) -> tuple[Calculation, ...]:
    """Check calculations in dependency order; a cycle is an error, not a hang."""
    pending = {calc["id"]: (i, calc) for i, calc in enumerate(raw)}
    for calc_id in pending:
        if calc_id in names:
            c.error(f"{path}[{pending[calc_id][0]}].id", f"{calc_id!r} is already a question id")
    done: list[Calculation] = []
    while pending:
        ready = [
            (cid, i, calc)
            for cid, (i, calc) in pending.items()
            if not (ex.names_used(calc["expression"]) & (pending.keys() - {cid}))
            and cid not in ex.names_used(calc["expression"])
        ]
        if not ready:
            cycle = ", ".join(sorted(pending))
            for i, _ in pending.values():
                c.error(f"{path}[{i}].expression", f"calculations depend on each other: {cycle}")
            break
        for cid, i, calc in ready:
            del pending[cid]
            checked = c.expression(calc["expression"], names, f"{path}[{i}].expression", None)
            kind = ex.ANY if checked is None else ex.check(checked, names)
            names[cid] = ex.Variable(kind)
            done.append(Calculation(cid, calc["expression"], calc.get("in_payload", False)))
    return tuple(done)


def parse_profile(
    document: Any, file: str = "shared.json"
) -> tuple[Profile, list[DefinitionProblem]]:
    """The shared questions; DefinitionError if unusable, else (profile, warnings)."""
    problems = check_shape(document, "shared.schema.json", file)
    if problems:
        raise DefinitionError(problems)
    c = _Checker(file, document)
    questions: list[Question] = []
    names: dict[str, ex.Variable] = {}
    c.tables = {t["id"] for t in document.get("tables", ())}
    c.later = {raw["id"]: i for i, raw in enumerate(document["questions"])}
    for i, raw in enumerate(document["questions"]):
        path = f"$.questions[{i}]"
        c.later.pop(raw["id"], None)
        question = c.question(raw, path, shared=True)
        if question.id in names or any(q.id == question.id for q in questions):
            c.error(f"{path}.id", f"duplicate question id {question.id!r}")
        if "relevant" in raw:
            c.error(f"{path}.relevant", "shared questions are always asked: no relevance")
        if "shares" in raw:
            c.error(f"{path}.shares", "shared questions are asked once already: no shares")
        var = variable(question)
        if "constraint" in raw:
            c.expression(
                raw["constraint"],
                {**names, **({question.id: var} if var else {})},
                f"{path}.constraint",
                ex.BOOL,
            )
        questions.append(question)
        if var:
            names[question.id] = var
    tables: list[Table] = []
    for i, raw in enumerate(document.get("tables", ())):
        by = next((q for q in questions if q.id == raw["by"]), None)
        if by is None or by.type != "number":
            c.error(f"$.tables[{i}].by", f"{raw['by']!r} is not a number question of shared.json")
        if raw["id"] in names or any(t.id == raw["id"] for t in tables):
            c.error(f"$.tables[{i}].id", f"{raw['id']!r} is already a question or table id")
        tables.append(Table(raw["id"], raw["by"], tuple(raw["values"])))
        names[raw["id"]] = ex.Variable(ex.TABLE)
    calcs = _calculations(c, document.get("calculations", ()), names, "$.calculations")
    return _finish(c, Profile(tuple(questions), calcs, tuple(tables)))


def profile_names(profile: Profile) -> dict[str, ex.Variable]:
    names: dict[str, ex.Variable] = {}
    for q in profile.questions:
        var = variable(q)
        if var:
            names[q.id] = var
    for table in profile.tables:
        names[table.id] = ex.Variable(ex.TABLE)
    for calc in profile.calculations:
        names[calc.id] = ex.Variable(ex.check(calc.expression, names))
    return names


def parse_service(
    document: Any, profile: Profile, file: str = "<service>"
) -> tuple[Service, list[DefinitionProblem]]:
    """A Service, and its warnings; DefinitionError with every problem if it is unusable."""
    problems = check_shape(document, "service.schema.json", file)
    if problems:
        raise DefinitionError(problems)
    c = _Checker(file, document)
    c.tables = {t.id for t in profile.tables}
    shared_names = profile_names(profile)
    names = dict(shared_names)
    questions: list[Question] = []
    seen: set[str] = set()
    c.later = {raw["id"]: i for i, raw in enumerate(document["questions"]) if "id" in raw}
    c.own = set(c.later)
    for i, raw in enumerate(document["questions"]):
        path = f"$.questions[{i}]"
        c.later.pop(raw.get("id", ""), None)
        if "shared" in raw:
            found = profile.question(raw["shared"])
            if found is None:
                c.error(f"{path}.shared", f"no shared question {raw['shared']!r}")
                continue
            question = found
        else:
            question = c.question(raw, path, shared=False)
            if profile.question(question.id) or question.id in shared_names:
                c.error(
                    f"{path}.id", f'{question.id!r} is a shared question: use {{"shared": ...}}'
                )
            own_names = dict(names)
            var = variable(question)
            for key in ("relevant", "constraint"):
                if "shares" in raw and key in raw:
                    c.error(
                        f"{path}.{key}",
                        "a question that shares its meaning is answered once for several "
                        f"services, so it cannot have a {key} of one service: remove one",
                    )
            if "relevant" in raw:
                c.expression(raw["relevant"], own_names, f"{path}.relevant", ex.BOOL)
            if "constraint" in raw:
                if var:
                    own_names[question.id] = var
                c.expression(raw["constraint"], own_names, f"{path}.constraint", ex.BOOL)
        if question.id in seen:
            c.error(f"{path}.id", f"duplicate question id {question.id!r}")
        seen.add(question.id)
        var = variable(question)
        if var:
            names[question.id] = var
        questions.append(question)
    calcs = _calculations(c, document.get("calculations", ()), names, "$.calculations")
    rules = []
    for i, raw in enumerate(document.get("eligibility", ())):
        path = f"$.eligibility[{i}]"
        c.expression(raw["rule"], shared_names, f"{path}.rule", ex.BOOL)
        unknowable = [
            n
            for n in sorted(ex.names_used(raw["rule"]))
            if (q := profile.question(n)) is not None and (q.allow_unknown or not q.required)
        ]
        if unknowable and "maybe" not in raw:
            c.warn(
                f"{path}.maybe",
                f'{", ".join(unknowable)} may be answered "I don\'t know": write a maybe '
                f"text saying what would decide it",
            )
        for key in ("met", "unmet", "maybe"):
            for lang, text in raw.get(key, {}).items():
                c.placeholders(text, f"{path}.{key}.{lang}", shared_names)
        rules.append(
            EligibilityRule(
                raw["id"],
                raw["rule"],
                c.text(raw["met"], f"{path}.met"),
                c.text(raw["unmet"], f"{path}.unmet"),
                c.text(raw.get("maybe"), f"{path}.maybe"),
                raw.get("firm", False),
            )
        )
    service = Service(
        id=document["id"],
        version=document["version"],
        category=document["category"],
        title=c.text(document["title"], "$.title"),
        summary=c.text(document["summary"], "$.summary"),
        help=c.text(document.get("help"), "$.help"),
        questions=tuple(questions),
        illustrative=document.get("illustrative", False),
        life_events=tuple(document.get("life_events", ())),
        keywords={k: tuple(v) for k, v in document.get("keywords", {}).items()},
        eligibility=tuple(rules),
        records=tuple(
            Record(r["id"], c.text(r["label"], f"$.records[{i}].label"))
            for i, r in enumerate(document.get("records", ()))
        ),
        calculations=calcs,
    )
    if any(q.type == "records_consent" for q in questions) and not service.records:
        c.error("$.records", "a records_consent question needs the records it asks about")
    return _finish(c, service)


def _finish(c: _Checker, result: _T) -> tuple[_T, list[DefinitionProblem]]:
    """The result with its warnings, or DefinitionError if any problem is an error."""
    errors = [p for p in c.problems if not p.warning]
    if errors:
        raise DefinitionError(c.problems)
    return result, c.problems
