"""Turning definition files into Services, or into problems that say exactly where.

Two passes: the JSON Schema in forms/schema/ checks the shape (every error, with its
JSON path), then the checks below look at meaning: ids that clash, expressions that
name unknown questions or compare the wrong kinds of value, calculations that depend
on themselves. Missing translations are warnings: the text falls back, visibly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

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
from forms.shape import MAX_FILE_BYTES, check_shape, read_json, readable
from forms.text import TextError, placeholders

__all__ = ["MAX_FILE_BYTES", "check_shape", "parse_profile", "parse_service", "read_json"]

_T = TypeVar("_T")

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
            import regex  # only for catalogs with patterns: ~8 ms at start otherwise

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
        short_title=c.text(document.get("short_title"), "$.short_title"),
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
