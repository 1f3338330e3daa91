#!/usr/bin/env python3
"""Check the editor JSON Schema of Apex workflows against example files.

Usage:
    check-editor-schema.py SCHEMA [--valid FILE_OR_DIR...] [--invalid FILE_OR_DIR...]

1. SCHEMA must be a valid JSON Schema (checked against the draft 2020-12 metaschema).
2. Every file given under --valid, and every *.yaml / *.yml file below a folder given
   there, must conform to SCHEMA.
3. Every such file under --invalid that contains a line `# editor-schema: reject` must
   NOT conform. Files without that marker are skipped: their problems are ones only
   `apex validate` can judge (step references, expressions, ...).

YAML is read as YAML 1.2 (ruamel.yaml, safe and pure), the way Apex reads it: `on`,
`yes` and `no` stay strings, and timestamps stay strings.

Prints one line per file (`ok`, `FAIL` with the first error's location and message,
or `skip`), then a summary such as `12 passed, 0 failed` (the schema itself counts as
one). Exit status: 0 all passed, 1 any failure, 2 usage error (bad arguments, a path
that does not exist, a schema that cannot be read as JSON).

Needs: pip install jsonschema ruamel.yaml
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

try:
    import jsonschema
    from jsonschema.exceptions import best_match
    from ruamel.yaml import YAML
    from ruamel.yaml.constructor import SafeConstructor
    from ruamel.yaml.error import YAMLError
except ImportError as exc:  # pragma: no cover - depends on the environment
    print(f"error: {exc.name} is not installed; run: pip install jsonschema ruamel.yaml", file=sys.stderr)
    sys.exit(2)

REJECT_MARKER = "# editor-schema: reject"
YAML_SUFFIXES = (".yaml", ".yml")
TEST_SUFFIXES = (".test.yaml", ".test.yml")


class _ApexConstructor(SafeConstructor):
    """YAML 1.2 core schema, except that timestamps stay strings (as in Apex)."""


_ApexConstructor.add_constructor("tag:yaml.org,2002:timestamp", SafeConstructor.construct_yaml_str)


def _yaml_loader(typ: str) -> YAML:
    yaml = YAML(typ=typ, pure=True)
    if typ == "safe":
        yaml.Constructor = _ApexConstructor
    return yaml


class _UsageError(Exception):
    pass


def _json_like(value):
    """Mapping keys become strings, as they do when Apex turns YAML into JSON."""
    if isinstance(value, dict):
        return {str(k) if not isinstance(k, str) else k: _json_like(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_like(v) for v in value]
    return value


def _collect(paths: list[str]) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            # Test files (`*.test.yaml`) are not workflows: `apex validate` checks them as test files.
            files.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.name.endswith(YAML_SUFFIXES)
                                and not p.name.endswith(TEST_SUFFIXES)))
        elif path.is_file():
            files.append(path)
        else:
            raise _UsageError(f"no such file or folder: {raw}")
    return files


def _pointer(path) -> str:
    return "/" + "/".join(str(p) for p in path) if path else "/"


def _position(text: str, path) -> str:
    """`line:col` (1-based) of the node at `path`, found with the round-trip loader."""
    try:
        node = _yaml_loader("rt").load(text)
    except YAMLError:
        return ""
    line = col = None
    for key in path:
        try:
            if isinstance(node, dict):
                line, col = node.lc.value(key)
            elif isinstance(node, list):
                line, col = node.lc.item(key)
            else:
                break
            node = node[key]
        except (AttributeError, KeyError, IndexError, TypeError):
            break
    if line is None:
        return ""
    return f"{line + 1}:{col + 1}"


def _describe(error, text: str) -> str:
    path = list(error.absolute_path)
    where = _position(text, path)
    location = f"{where} " if where else ""
    return f"{location}{_pointer(path)}: {error.message}"


def _check_file(validator, path: Path, expect_valid: bool) -> tuple[str, str]:
    """Returns (status, detail) with status one of ok, FAIL, skip."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        if expect_valid:
            return "FAIL", f"cannot read: {exc}"
        return "skip", "not UTF-8 text (only apex validate judges it)"
    except OSError as exc:
        return "FAIL", f"cannot read: {exc}"
    if not expect_valid and not any(line.strip() == REJECT_MARKER for line in text.splitlines()):
        return "skip", "no `# editor-schema: reject` marker (only apex validate judges it)"
    try:
        document = _json_like(_yaml_loader("safe").load(text))
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{mark.line + 1}:{mark.column + 1} " if mark is not None else ""
        problem = getattr(exc, "problem", None) or (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        return "FAIL", f"cannot parse YAML: {where}{problem}"
    error = best_match(validator.iter_errors(document))
    if expect_valid:
        return ("ok", "") if error is None else ("FAIL", _describe(error, text))
    if error is None:
        return "FAIL", "expected the schema to reject it, but it conforms"
    return "ok", "rejected: " + _describe(error, text)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="check-editor-schema.py",
        description="Check the Apex editor JSON Schema against valid and invalid workflow files.",
    )
    parser.add_argument("schema", metavar="SCHEMA", help="the JSON Schema file")
    parser.add_argument("--valid", nargs="+", default=[], metavar="FILE_OR_DIR", help="files that must conform")
    parser.add_argument("--invalid", nargs="+", default=[], metavar="FILE_OR_DIR",
                        help=f"files that must not conform (those with a `{REJECT_MARKER}` line)")
    args = parser.parse_args(argv)  # exits with status 2 on usage errors
    if not args.valid and not args.invalid:
        parser.error("give at least one --valid or --invalid path")

    try:
        schema = json.loads(Path(args.schema).read_text(encoding="utf-8"))
        valid_files = _collect(args.valid)
        invalid_files = _collect(args.invalid)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, _UsageError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    passed = failed = 0

    def report(status: str, name: str, detail: str) -> None:
        nonlocal passed, failed
        if status == "ok":
            passed += 1
        elif status == "FAIL":
            failed += 1
        print(f"{status:<4} {name}" + (f": {detail}" if detail else ""))

    meta = jsonschema.Draft202012Validator(jsonschema.Draft202012Validator.META_SCHEMA)
    meta_error = best_match(meta.iter_errors(schema))
    if meta_error is not None:
        report("FAIL", args.schema, f"not a valid 2020-12 schema: {_pointer(list(meta_error.absolute_path))}: {meta_error.message}")
        print(f"{passed} passed, {failed} failed")
        return 1
    report("ok", args.schema, "valid against the 2020-12 metaschema")

    validator = jsonschema.Draft202012Validator(schema)
    for path in valid_files:
        status, detail = _check_file(validator, path, expect_valid=True)
        report(status, str(path), detail)
    for path in invalid_files:
        status, detail = _check_file(validator, path, expect_valid=False)
        report(status, str(path), detail)

    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
