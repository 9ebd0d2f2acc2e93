"""The ``kg`` command line through click's CliRunner: exit codes, stdout data, one-line stderr messages."""
from __future__ import annotations

import csv
import gc
import io
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner

from kg.cli import main

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "data" / "reports"
FIXTURE = ROOT / "tests" / "fixtures" / "golden" / "mini_case.txt"
CONTRACT_KEYS = {"start", "end", "text", "id", "label", "type", "negated", "subject", "section"}
SUBJECTS = {"patient", "literature", "family", "other"}


@dataclass(frozen=True)
class Run:
    exit_code: int
    stdout: str
    stderr: str
    stdout_bytes: bytes


def kg(*args: str) -> Run:
    """Invoke ``kg`` in-process; the click Result is dropped so that a command that ended in sys.exit releases its
    store handle (its frame is kept alive by the SystemExit traceback otherwise)."""
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    run = Run(result.exit_code, result.stdout, result.stderr, result.stdout_bytes)
    del result
    gc.collect()
    return run


def assert_clean_error(result, *needles: str):
    assert result.exit_code == 1, (result.exit_code, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    for n in needles:
        assert n in lines[0], (n, lines[0])


@pytest.fixture(scope="module")
def seed_dir(tmp_path_factory) -> Path:
    """A store built by ``kg build data/reports`` (module scope: the CLI tests below only read it)."""
    store = tmp_path_factory.mktemp("cli") / "store"
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(ROOT)
        result = kg("build", "data/reports", "--store", store)
    assert result.exit_code == 0, result.stderr
    assert "built 2 report(s)" in result.stderr and "0 failed" in result.stderr
    assert result.stdout == ""
    return store


def _select(store: Path, sparql: str) -> list[dict]:
    result = kg("query", sparql, "--store", store, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return [{k: v["value"] for k, v in b.items()} for b in json.loads(result.stdout)["results"]["bindings"]]


# ------------------------------------------------------------------------------------------------ build
def test_build_seeds_lands_both_reports(seed_dir):
    got = _select(seed_dir, "SELECT ?f WHERE { ?r a ckg:CaseReport ; ckg:sourceFile ?f } ORDER BY ?f")
    assert [r["f"] for r in got] == ["data/reports/000_5d4d30acd5d24a24.txt", "data/reports/003_39e4350859975b31.txt"]


@pytest.fixture
def mixed(tmp_path, monkeypatch) -> Path:
    """A folder of one good report and bad files of each kind; the working directory is tmp_path."""
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(FIXTURE, folder / "good.txt")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.md").write_bytes(b"  \n\n\t\n")
    (folder / "binary.txt").write_bytes(b"Case report\x00\x01\x02\x00 of a patient\n" * 20)
    (folder / "latin1.txt").write_bytes("A 60-year-old café owner with Raynaud phenomenon.\n".encode("latin-1"))
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04 not a report")
    return folder


def test_build_skips_bad_files_reports_each_and_fails(mixed, tmp_path):
    result = kg("build", "in", "notes.docx", "missing.txt", "--store", tmp_path / "store")
    assert result.exit_code != 0
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    expected = {"in/empty.txt": "empty", "in/blank.md": "empty", "in/binary.txt": "binary",
                "in/latin1.txt": "UTF-8", "notes.docx": "unsupported", "missing.txt": "no such file"}
    for path, reason in expected.items():
        assert any(f"error: {path}: " in e and reason in e for e in errors), (path, errors)
    assert len(errors) == len(expected)
    assert "good.txt" not in "\n".join(errors)
    assert "built 1 report(s)" in result.stderr and "6 failed" in result.stderr
    got = _select(tmp_path / "store", "SELECT ?f WHERE { ?r a ckg:CaseReport ; ckg:sourceFile ?f }")
    assert got == [{"f": "in/good.txt"}]


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads a chmod 000 file anyway")
def test_build_reports_an_unreadable_file(mixed, tmp_path):
    locked = mixed / "locked.txt"
    shutil.copy(FIXTURE, locked)
    locked.chmod(0)
    try:
        result = kg("build", "in", "--store", tmp_path / "store")
    finally:
        locked.chmod(0o644)
    assert result.exit_code != 0
    assert any(line.startswith("error: in/locked.txt: cannot be read") for line in result.stderr.splitlines())


def test_build_reports_a_read_error_and_keeps_the_others(mixed, tmp_path, monkeypatch):
    """The unreadable-file path without relying on permissions (works as root): reading raises PermissionError."""
    shutil.copy(FIXTURE, mixed / "locked.txt")
    real = Path.read_bytes

    def read_bytes(self):
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    result = kg("build", "in/good.txt", "in/locked.txt", "--store", tmp_path / "store")
    assert result.exit_code != 0
    assert "error: in/locked.txt: cannot be read (Permission denied)" in result.stderr.splitlines()
    assert _select(tmp_path / "store", "SELECT ?r WHERE { ?r a ckg:CaseReport }") != []


def test_build_of_a_folder_without_reports_fails(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty-folder").mkdir()
    result = kg("build", "empty-folder", "--store", tmp_path / "store")
    assert result.exit_code != 0
    assert "built 0 report(s)" in result.stderr


def test_build_with_workers_gives_the_same_store(seed_dir, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    result = kg("build", "data/reports", "--store", tmp_path / "store", "--jobs", "2", "--quiet")
    assert result.exit_code == 0, result.stderr
    assert not [line for line in result.stderr.splitlines() if line.startswith("[")], "--quiet: no progress lines"
    a, b = (kg("export", "--store", s, "--format", "nquads").stdout_bytes for s in (seed_dir, tmp_path / "store"))
    assert a == b and a


# ------------------------------------------------------------------------------------------------ export
def test_export_turtle_to_stdout_parses(seed_dir):
    result = kg("export", "--store", seed_dir)
    assert result.exit_code == 0, result.stderr
    g = rdflib.Graph().parse(data=result.stdout_bytes.decode("utf-8"), format="turtle")
    assert len(g) > 1000
    assert result.stderr == ""


@pytest.mark.parametrize("fmt,parser", [("turtle", "turtle"), ("ntriples", "nt"), ("nquads", "nquads"),
                                        ("trig", "trig"), ("jsonld", "json-ld")])
def test_export_each_format_to_a_file(seed_dir, tmp_path, fmt, parser):
    out = tmp_path / "sub" / f"kg.{fmt}"
    result = kg("export", "--store", seed_dir, "--format", fmt, "-o", out)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert f"wrote {out}" in result.stderr
    data = out.read_bytes()
    if fmt == "jsonld":
        assert isinstance(json.loads(data), list)
    ds = rdflib.Dataset().parse(data=data.decode("utf-8"), format=parser)
    assert sum(len(g) for g in ds.graphs()) > 1000
    stdout = kg("export", "--store", seed_dir, "--format", fmt, "-o", "-").stdout_bytes
    assert stdout == data


def test_export_of_a_missing_store_is_a_clear_error(tmp_path):
    assert_clean_error(kg("export", "--store", tmp_path / "nowhere"), "no store here")
    assert not (tmp_path / "nowhere").exists()


# ------------------------------------------------------------------------------------------------ query
def test_query_by_name_by_path_and_by_text_agree(seed_dir):
    by_name = kg("query", "demographics", "--store", seed_dir, "--format", "csv")
    by_path = kg("query", ROOT / "queries" / "demographics.rq", "--store", seed_dir, "--format", "csv")
    by_text = kg("query", (ROOT / "queries" / "demographics.rq").read_text(encoding="utf-8"),
                 "--store", seed_dir, "--format", "csv")
    assert by_name.exit_code == by_path.exit_code == by_text.exit_code == 0
    assert by_name.stdout == by_path.stdout == by_text.stdout
    table = list(csv.DictReader(io.StringIO(by_name.stdout)))
    assert [float(r["ageYears"]) for r in table] == [66, 44]
    assert table[1]["sex"] == "https://w3id.org/casekg/vocab#Female" and table[0]["sex"] == ""


def test_query_formats(seed_dir):
    q = "SELECT ?r ?t WHERE { ?r a ckg:CaseReport ; dcterms:title ?t } ORDER BY ?r"
    as_json = json.loads(kg("query", q, "--store", seed_dir, "--format", "json").stdout)
    assert as_json["head"]["vars"] == ["r", "t"]
    bindings = as_json["results"]["bindings"]
    assert len(bindings) == 2
    assert bindings[0]["r"] == {"type": "uri", "value": "https://w3id.org/casekg/id/report/000_5d4d30acd5d24a24"}
    assert bindings[0]["t"]["type"] == "literal"
    title = bindings[0]["t"]["value"]

    rows = list(csv.reader(io.StringIO(kg("query", q, "--store", seed_dir, "--format", "csv").stdout)))
    assert rows[0] == ["r", "t"] and rows[1][1] == title and len(rows) == 3
    rows = list(csv.reader(io.StringIO(kg("query", q, "--store", seed_dir, "--format", "tsv").stdout), delimiter="\t"))
    assert rows[0] == ["r", "t"] and rows[1][1] == title and len(rows) == 3

    table = kg("query", q, "--store", seed_dir).stdout.splitlines()
    assert table[0].split() == ["r", "t"]
    assert table[2].startswith("ckgr:report/000_5d4d30acd5d24a24")
    assert table[-1] == "(2 rows)"


def test_ask_query_as_json(seed_dir):
    result = kg("query", "ASK { ?p ckg:sex ckg:Female }", "--store", seed_dir, "--format", "json")
    assert json.loads(result.stdout) == {"head": {}, "boolean": True}


@pytest.mark.parametrize("bad", ["SELECT ?x WHERE { ?x ", "SELECT ?x WHERE { ?x nope:p ?y }", "DELETE WHERE { ?s ?p ?o }"])
def test_malformed_query_is_a_one_line_error(seed_dir, bad):
    assert_clean_error(kg("query", bad, "--store", seed_dir))


def test_unknown_query_name_or_file_is_a_one_line_error(seed_dir, tmp_path):
    assert_clean_error(kg("query", "no_such_query", "--store", seed_dir), "no_such_query")
    assert_clean_error(kg("query", tmp_path / "missing.rq", "--store", seed_dir), "missing.rq")


def test_query_on_a_missing_store_is_a_clear_error(tmp_path):
    assert_clean_error(kg("query", "demographics", "--store", tmp_path / "nowhere"), "no store here")


# ------------------------------------------------------------------------------------------------ stats
def test_stats_table_and_json(seed_dir):
    as_json = json.loads(kg("stats", "--store", seed_dir, "--format", "json").stdout)
    assert as_json["reports"] == 2 and as_json["patients"] == 2
    assert as_json["articles"] == 27
    assert as_json["concepts"]["CRESTFeature"] >= 5
    table = kg("stats", "--store", seed_dir)
    assert table.exit_code == 0
    lines = table.stdout.splitlines()
    assert lines[0].split() == ["reports", "2"]
    assert any(line.split() == ["patients", "2"] for line in lines)


def test_stats_on_a_missing_store_is_a_clear_error(tmp_path):
    assert_clean_error(kg("stats", "--store", tmp_path / "nowhere"), "no store here")


# ------------------------------------------------------------------------------------------------ annotate
def _check_mentions(rows: list[dict], text: str) -> None:
    assert rows
    for r in rows:
        assert CONTRACT_KEYS <= set(r), r
        assert isinstance(r["start"], int) and isinstance(r["end"], int) and isinstance(r["negated"], bool)
        assert r["text"] == text[r["start"]:r["end"]], r
        assert r["subject"] in SUBJECTS


def test_annotate_one_file_writes_json_lines(tmp_path):
    result = kg("annotate", FIXTURE)
    assert result.exit_code == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    _check_mentions(rows, FIXTURE.read_text(encoding="utf-8"))
    fever = [r for r in rows if r["id"] == "HP:0001945"]
    assert fever and all(r["negated"] and r["subject"] == "patient" for r in fever)
    warfarin = [r for r in rows if r["id"] == "DRUGBANK:DB00682"]
    assert warfarin and all(r["subject"] == "literature" for r in warfarin)
    assert any(r["type"] == "Drug" and r["text"] == "diltiazem" and r["subject"] == "patient" for r in rows)


def test_annotate_lab_findings_option(tmp_path):
    path = tmp_path / "labs.txt"
    path.write_text("Case presentation\nA 44-year-old man was admitted. Serum creatinine was 2.8 mg/dl.\n",
                    encoding="utf-8")
    plain = [json.loads(line) for line in kg("annotate", path).stdout.splitlines()]
    result = kg("annotate", "--lab-findings", path)
    assert result.exit_code == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    _check_mentions(rows, path.read_text(encoding="utf-8"))
    assert "HP:0003259" not in {r["id"] for r in plain}
    assert [(r["type"], r["text"]) for r in rows if r["id"] == "HP:0003259"] == [
        ("Finding", "Serum creatinine was 2.8 mg/dl")]


def test_annotate_persian_seed_offsets_are_python_string_indices():
    path = SEEDS / "003_39e4350859975b31.txt"
    result = kg("annotate", path)
    assert result.exit_code == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    _check_mentions(rows, path.read_text(encoding="utf-8"))
    assert any(r["id"] == "HP:0011838" for r in rows)


def test_annotate_folder_writes_one_file_per_input(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for p in [FIXTURE, *SEEDS.glob("*.txt")]:
        shutil.copy(p, folder / p.name)
    out = tmp_path / "out"
    result = kg("annotate", folder, "-o", out)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    written = sorted(p.name for p in out.iterdir())
    assert written == sorted(f"{p.stem}.jsonl" for p in folder.iterdir())
    for p in folder.iterdir():
        rows = [json.loads(line) for line in (out / f"{p.stem}.jsonl").read_text(encoding="utf-8").splitlines()]
        _check_mentions(rows, p.read_text(encoding="utf-8"))


def test_annotate_reports_a_bad_file_and_writes_the_others(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(FIXTURE, folder / "good.txt")
    (folder / "empty.txt").write_bytes(b"")
    result = kg("annotate", folder, "-o", tmp_path / "out")
    assert result.exit_code != 0
    assert "empty.txt: empty file" in result.stderr
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["good.jsonl"]


def test_annotate_output_is_named_by_the_file_stem(tmp_path):
    """CONTRACT: one DIR/<file stem>.jsonl per input, also for a stem that is not a safe report id."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(FIXTURE, folder / "Case One.txt")
    result = kg("annotate", folder, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["Case One.jsonl"]
