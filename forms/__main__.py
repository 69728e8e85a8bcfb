"""Tools for catalog administrators.

    python -m forms validate PATH...              a catalog folder, a package, or service files
    python -m forms sign FOLDER --key KEY.pem --out CATALOG.ieumcat
    python -m forms keygen --out NAME             NAME.pem (keep secret) and NAME.pub (to pin)
    python -m forms eligibility --catalog PATH --profile PROFILE.json [--lang en]
    python -m forms merge FOLDER_A FOLDER_B --out FOLDER [--version V]

Every problem is printed with its file and JSON path, all at once; the exit code is 0
when nothing is wrong, 1 when something is (warnings alone do not fail).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import NoReturn

from forms.answers import Answer, check_answer
from forms.catalog import Catalog, load_catalog_folder
from forms.definition import DefinitionError, DefinitionProblem
from forms.eligibility import check_eligibility, missing, profile_values, reason, rule_text
from forms.languages import LANGUAGE_CODES
from forms.loader import parse_service, read_json
from forms.merge import MergeError, merge
from forms.package import (
    PackageError,
    SigningKey,
    build_package,
    load_package,
    load_private_key,
    new_signing_key,
    private_key_pem,
)
from forms.text import pick


def _open_catalog(path: Path, key: Path | None) -> Catalog:
    if path.is_dir():
        return load_catalog_folder(path)
    if key is None:
        raise PackageError("a package needs --key PUBLIC.pub to be verified")
    return load_package(path.read_bytes(), SigningKey.from_text(key.read_text()), str(path))


def _validate(args: argparse.Namespace) -> int:
    problems: list[DefinitionProblem] = []
    for path in args.paths:
        if path.is_dir() or path.suffix == ".ieumcat":
            try:
                problems += _open_catalog(path, args.key).problems
            except (PackageError, OSError) as exc:
                problems.append(DefinitionProblem(str(path), "$", str(exc)))
            continue
        # A single service file, checked against the profile of the catalog beside it.
        folder = path.resolve().parent.parent
        if not (folder / "shared.json").is_file():
            problems.append(
                DefinitionProblem(
                    str(path),
                    "$",
                    f"shared.json not found in {folder}: a service file is checked against "
                    f"its catalog (catalog.json and shared.json beside services/); put it "
                    f"in one, or validate the catalog folder",
                )
            )
            continue
        try:
            catalog = load_catalog_folder(folder)
            _, warnings = parse_service(
                read_json(path.read_bytes(), str(path)), catalog.profile, str(path)
            )
            problems += warnings
        except DefinitionError as exc:
            problems += exc.problems
        except OSError as exc:
            problems.append(DefinitionProblem(str(path), "$", f"cannot read: {exc.strerror}"))
    for problem in problems:
        print(problem)
    errors = sum(not p.warning for p in problems)
    print(f"{errors} error(s), {len(problems) - errors} warning(s)", file=sys.stderr)
    return 1 if errors else 0


def _sign(args: argparse.Namespace) -> int:
    catalog = load_catalog_folder(args.folder)
    if catalog.errors:
        for problem in catalog.errors:
            print(problem)
        print("not signed: fix the errors first", file=sys.stderr)
        return 1
    data = build_package(args.folder, load_private_key(args.key))
    args.out.write_bytes(data)
    print(
        f"{args.out}: catalog {catalog.version}, "
        f"{len(catalog.services)} services, {len(data)} bytes"
    )
    return 0


def _keygen(args: argparse.Namespace) -> int:
    pem, pub = Path(f"{args.out}.pem"), Path(f"{args.out}.pub")
    for existing in (pem, pub):
        if existing.exists():
            print(
                f"refused: {existing} already exists, and keygen never overwrites a key "
                f"(packages signed with it would no longer verify): choose another --out",
                file=sys.stderr,
            )
            return 1
    private, public = new_signing_key()
    fd = os.open(pem, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(private_key_pem(private))
    pub.write_text(public + "\n")
    print(f"{pem} (secret) and {args.out}.pub (pin this on devices)")
    return 0


def _profile_answers(path: Path, catalog: Catalog) -> dict[str, Answer]:
    """The --profile file: a JSON object of shared question ids to answers, each checked
    as the kiosk would; a wrong key or answer is an error, not a silent "maybe"."""
    try:
        answers = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: not JSON: {exc}") from None
    if not isinstance(answers, dict):
        raise UsageError(f'{path}: must be a JSON object, like {{"birth_year": 1950}}')
    known = [q.id for q in catalog.profile.questions]
    checked: dict[str, Answer] = {}
    for key, raw in answers.items():
        question = catalog.profile.question(key)
        if question is None:
            raise UsageError(f"{path}: {key!r} is not a shared question; known: {', '.join(known)}")
        verdict = check_answer(question, raw)
        if raw is not None and not verdict.accepted:
            raise UsageError(f"{path}: {key}: {raw!r} is not an answer ({verdict.reason})")
        checked[key] = verdict.value
    return checked


def _eligibility(args: argparse.Namespace) -> int:
    catalog = _open_catalog(args.catalog, args.key)
    answers = _profile_answers(args.profile, catalog)
    today = args.today or dt.date.today()
    values = profile_values(catalog.profile, answers, today)
    for finding in check_eligibility(catalog.services.values(), catalog.profile, answers, today):
        print(
            f"{finding.status:<13} {finding.service.id}: "
            f"{pick(finding.service.title, args.lang).text}"
        )
        for result in finding.results:
            mark = {True: "+", False: "-", None: "?"}[result.met]
            said = reason(rule_text(result), args.lang, catalog.profile, values)
            if result.met is None:
                said = f"{said} (unknown: {', '.join(missing(result, catalog.profile, values))})"
            print(f"    {mark} {said.strip()}")
    return 0


def _merge(args: argparse.Namespace) -> int:
    try:
        count = merge(args.first, args.second, args.out, args.version)
    except MergeError as exc:
        for problem in exc.problems:
            print(problem)
        print(f"not merged: {len(exc.problems)} problem(s)", file=sys.stderr)
        return 1
    print(f"{args.out}: {count} services")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = OneLineParser(
        prog="python -m forms",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    validate = sub.add_parser("validate", help="check definitions; every problem with its path")
    validate.add_argument("paths", nargs="+", type=Path)
    validate.add_argument("--key", type=Path, help="public key (.pub) to verify packages with")
    sign = sub.add_parser("sign", help="validate a catalog folder and sign it into a package")
    sign.add_argument("folder", type=Path)
    sign.add_argument("--key", type=Path, required=True, help="Ed25519 private key (.pem)")
    sign.add_argument("--out", type=Path, required=True)
    keygen = sub.add_parser("keygen", help="make a catalog signing key pair")
    keygen.add_argument("--out", required=True, help="file name without extension")
    check = sub.add_parser("eligibility", help="evaluate eligibility for a profile (JSON)")
    check.add_argument("--catalog", type=Path, required=True, help="catalog folder or package")
    check.add_argument("--key", type=Path, help="public key (.pub) for a package")
    check.add_argument("--profile", type=Path, required=True)
    check.add_argument("--lang", choices=LANGUAGE_CODES, default="en")
    check.add_argument("--today", type=_day, help="YYYY-MM-DD (default: today)")
    join = sub.add_parser("merge", help="two catalog folders into a new one, or the conflicts")
    join.add_argument("first", type=Path)
    join.add_argument("second", type=Path)
    join.add_argument("--out", type=Path, required=True, help="a new folder")
    join.add_argument("--version", help="the merged catalog's version (default: the newer)")
    args = parser.parse_args(argv)
    handler = {
        "validate": _validate,
        "sign": _sign,
        "keygen": _keygen,
        "eligibility": _eligibility,
        "merge": _merge,
    }
    try:
        return handler[args.command](args)
    except PackageError as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 1
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return 1


class OneLineParser(argparse.ArgumentParser):
    """Usage mistakes in one line (exit 2), not the whole usage block."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


class UsageError(Exception):
    """Bad input from the command line, said in one line."""


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-12-04") from None


if __name__ == "__main__":
    sys.exit(main())
