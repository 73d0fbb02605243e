#!/usr/bin/env python3
"""Score open-source PHI filters ("peers") on Gallery's labelled screening corpus.

Corpus (one sentence a line; blank lines and lines starting with '#' are skipped).
Identifier files mark each identifier as [[category:exact text]]; clean files hold
sentences without identifiers. By default, under tests/screening/:
  tune      identifiers.txt + clean.txt, identifiers_b.txt + clean_b.txt,
            identifiers_c.txt + clean_c.txt (pooled)
  holdout   holdout_identifiers.txt + holdout_clean.txt
  all       every pair above pooled (reported whenever there are two sets or more)
--set NAME=IDENTIFIERS,CLEAN (repeatable) replaces the defaults; pairs given under
the same NAME are pooled into one set.

Scoring (the project's definition):
  recall    fraction of identifier sentences in which every labelled identifier is
            covered; an identifier is covered when every alphanumeric character of
            its text lies inside some span the peer reported (character offsets in
            the plain sentence, i.e. with the markup removed). Per category: the
            fraction of labelled identifiers of that category that are covered.
  fp rate   fraction of clean sentences in which the peer reports any span at all.
  us/msg    mean wall time of one peer call per sentence (identifier and clean
            sentences of the set), after a warm-up, in microseconds.

The peers' own entity types are ignored: coverage does not depend on category.
No peer is allowed to reach the network: sockets to anything but loopback are
refused, and tldextract (used by presidio's e-mail recogniser) is pointed at its
bundled public-suffix snapshot instead of fetching the list.

Usage: peer_screen.py [--root DIR] [--json OUT] [--peers ID,ID] [--warmup N]
                      [--set NAME=IDENTIFIERS,CLEAN ...]
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.metadata
import json
import logging
import os
import platform
import re
import socket
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

Span = Tuple[int, int]
Detect = Callable[[str], List[Span]]

MARKUP = re.compile(r"\[\[([A-Za-z_]+):(.*?)\]\]")
REPO_ROOT = Path(__file__).resolve().parents[2]
CORPUS_DIR = "tests/screening"
# (set, identifier file, clean file), relative to ROOT/CORPUS_DIR. Pairs that share a
# set name are pooled. "all" (every pair) is added by the script, so it is reserved.
DEFAULT_SETS: List[Tuple[str, str, str]] = [
    ("tune", "identifiers.txt", "clean.txt"),
    ("tune", "identifiers_b.txt", "clean_b.txt"),
    ("tune", "identifiers_c.txt", "clean_c.txt"),
    ("holdout", "holdout_identifiers.txt", "holdout_clean.txt"),
]
ALL_SET = "all"

# --------------------------------------------------------------------------
# Network guard: a peer that tries to download something at run time fails
# here exactly as it would on a machine without internet, instead of hanging.

NETWORK_ATTEMPTS: List[str] = []


def _block_network() -> None:
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def allowed(sock: socket.socket, address) -> bool:
        if sock.family == getattr(socket, "AF_UNIX", None):
            return True
        host = address[0] if isinstance(address, tuple) else str(address)
        return host in ("127.0.0.1", "::1", "localhost") or str(host).startswith("127.")

    def guarded(real):
        def wrapper(self, address):
            if not allowed(self, address):
                NETWORK_ATTEMPTS.append(repr(address))
                raise OSError(f"peer_screen: network access blocked ({address!r})")
            return real(self, address)

        return wrapper

    socket.socket.connect = guarded(real_connect)  # type: ignore[method-assign]
    socket.socket.connect_ex = guarded(real_connect_ex)  # type: ignore[method-assign]


# --------------------------------------------------------------------------
# Corpus


@dataclass
class Label:
    category: str
    start: int
    end: int
    text: str


@dataclass
class Sentence:
    plain: str
    labels: List[Label] = field(default_factory=list)
    lineno: int = 0
    source: str = ""  # file name, for the JSON (a set may pool several files)


def corpus_lines(path: Path) -> List[Tuple[int, str]]:
    out = []
    with path.open(encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            line = raw.rstrip("\r\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            out.append((n, line))
    return out


def parse_marked(line: str) -> Tuple[str, List[Label]]:
    """Replace every [[cat:X]] by X; return the plain sentence and the labels."""
    plain: List[str] = []
    labels: List[Label] = []
    pos = 0
    length = 0
    for m in MARKUP.finditer(line):
        before = line[pos : m.start()]
        plain.append(before)
        length += len(before)
        text = m.group(2)
        labels.append(Label(m.group(1).lower(), length, length + len(text), text))
        plain.append(text)
        length += len(text)
        pos = m.end()
    plain.append(line[pos:])
    return "".join(plain), labels


def load_identifiers(path: Path) -> Tuple[List[Sentence], int]:
    """Labelled sentences, and the number of non-comment lines without any label."""
    sentences, unlabelled = [], 0
    for n, line in corpus_lines(path):
        plain, labels = parse_marked(line)
        if not labels:
            unlabelled += 1
            continue
        sentences.append(Sentence(plain, labels, n, path.name))
    return sentences, unlabelled


def load_clean(path: Path) -> List[Sentence]:
    return [Sentence(line, [], n, path.name) for n, line in corpus_lines(path)]


@dataclass
class CorpusSet:
    """One scored set: the pooled sentences of one or more (identifiers, clean) pairs."""

    name: str
    identifiers: List[Sentence] = field(default_factory=list)
    clean: List[Sentence] = field(default_factory=list)
    unlabelled: int = 0
    files: List[Dict[str, Optional[str]]] = field(default_factory=list)

    @property
    def labels(self) -> int:
        return sum(len(s.labels) for s in self.identifiers)


def parse_set_spec(spec: str) -> Tuple[str, str, str]:
    """NAME=IDENTIFIERS,CLEAN (either path may be empty) -> (name, ids, clean)."""
    name, eq, paths = spec.partition("=")
    ids, comma, clean = paths.partition(",")
    name = name.strip()
    if not eq or not comma or not name or not (ids.strip() or clean.strip()):
        raise argparse.ArgumentTypeError(f"expected NAME=IDENTIFIERS,CLEAN, got {spec!r}")
    if name == ALL_SET:
        raise argparse.ArgumentTypeError(f"set name {ALL_SET!r} is reserved for the pooled set")
    return name, ids.strip(), clean.strip()


def load_sets(specs: Sequence[Tuple[str, Optional[Path], Optional[Path]]],
              notes: List[str]) -> Dict[str, CorpusSet]:
    """Load and pool the (set, identifiers, clean) pairs; missing files become notes."""
    sets: Dict[str, CorpusSet] = {}
    for name, ids_path, clean_path in specs:
        st = sets.setdefault(name, CorpusSet(name))
        files: Dict[str, Optional[str]] = {"identifiers": None, "clean": None}
        for kind, path in (("identifiers", ids_path), ("clean", clean_path)):
            if path is None:
                continue
            if not path.is_file():
                notes.append(f"{name}: {path} not found")
                continue
            files[kind] = str(path)
            if kind == "clean":
                st.clean += load_clean(path)
                continue
            ident, unlabelled = load_identifiers(path)
            st.identifiers += ident
            st.unlabelled += unlabelled
            if unlabelled:
                notes.append(f"{name}: {unlabelled} line(s) in {path.name} carry no "
                             "[[category:text]] label and are not counted as identifier sentences")
        if any(files.values()):
            st.files.append(files)
    return {n: st for n, st in sets.items() if st.files}


# --------------------------------------------------------------------------
# Scoring


def covered_mask(length: int, spans: Sequence[Span]) -> List[bool]:
    mask = [False] * length
    for s, e in spans:
        for i in range(max(0, s), min(length, e)):
            mask[i] = True
    return mask


def label_covered(sentence: str, label: Label, mask: List[bool]) -> bool:
    return all(mask[i] for i in range(label.start, label.end) if sentence[i].isalnum())


def clean_spans(spans: Sequence[Span]) -> List[Span]:
    """Keep non-empty spans only, as (start, end) ints."""
    return [(int(s), int(e)) for s, e in spans if int(e) > int(s)]


# --------------------------------------------------------------------------
# Peers


class Unavailable(Exception):
    pass


@dataclass
class Peer:
    id: str
    name: str
    package: str
    config: str
    build: Callable[[], Detect]
    version: str = ""
    detect: Optional[Detect] = None
    error: Optional[str] = None


PEERS: List[Peer] = []  # in registration (= definition) order


def peer(peer_id: str, dist: str) -> Callable[[Callable[[], Detect]], Callable[[], Detect]]:
    """Register the decorated builder as peer `peer_id`, measured from distribution `dist`
    (also the peer's name). The builder's docstring is the configuration shown in reports."""

    def register(build: Callable[[], Detect]) -> Callable[[], Detect]:
        PEERS.append(Peer(peer_id, dist, dist, " ".join((build.__doc__ or "").split()), build))
        return build

    return register


def dist_version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def _import(module: str, hint: str = ""):
    try:
        return __import__(module, fromlist=["_"])
    except ImportError as e:
        raise Unavailable(f"import {module} failed: {e}" + (f" ({hint})" if hint else "")) from e


PROBE = "Patient John Smith, born 12/03/1980, phone 020 7946 0958, john.smith@example.com."


def summarise(e: BaseException, limit: int = 240) -> str:
    """One line: exception type and the start of its message, banners removed."""
    msg = " ".join(re.sub(r"\*{3,}", " ", str(e)).split())
    if len(msg) > limit:
        msg = msg[:limit].rstrip() + " …"
    return f"{type(e).__name__}: {msg}"


def _probe(detect: Detect) -> Detect:
    """Run one call so that a peer missing run-time data fails at setup, not mid-run."""
    try:
        detect(PROBE)
    except Unavailable:
        raise
    except Exception as e:  # noqa: BLE001 - any failure makes the peer unavailable
        raise Unavailable(summarise(e)) from e
    return detect


def _scrubber_detect(scrubber) -> Detect:
    def detect(text: str) -> List[Span]:
        return [(f.beg, f.end) for f in scrubber.iter_filth(text)]

    return detect


@peer("scrubadub", "scrubadub")
def build_scrubadub_default() -> Detect:
    """default detectors, default locale en_US"""
    scrubadub = _import("scrubadub")
    return _probe(_scrubber_detect(scrubadub.Scrubber()))


@peer("scrubadub-en_GB-dob", "scrubadub")
def build_scrubadub_en_gb_dob() -> Detect:
    """default detectors for locale en_GB (adds UK phone, postcode, NI number, ...)
    + date_of_birth"""
    scrubadub = _import("scrubadub")
    scrubber = scrubadub.Scrubber(locale="en_GB")
    scrubber.add_detector("date_of_birth")
    return _probe(_scrubber_detect(scrubber))


@peer("scrubadub-textblob-name", "scrubadub")
def build_scrubadub_textblob_name() -> Detect:
    """default detectors + text_blob_name"""
    scrubadub = _import("scrubadub")
    scrubber = scrubadub.Scrubber()
    scrubber.add_detector("text_blob_name")
    try:
        return _probe(_scrubber_detect(scrubber))
    except Unavailable as e:
        if "MissingCorpus" in str(e) or "Resource" in str(e):
            raise Unavailable(
                "TextBlob needs NLTK corpora (punkt_tab, averaged_perceptron_tagger, ...); "
                "`python -m textblob.download_corpora` fetches them from GitHub and they are "
                f"not on PyPI or Debian. {summarise(e.__cause__ or e, 120)}") from e
        raise


@peer("scrubadub-address", "scrubadub_address")
def build_scrubadub_address() -> Detect:
    """en_GB defaults + address"""
    scrubadub = _import("scrubadub")
    _import(
        "scrubadub_address",
        "needs pyap and pypostal; pypostal needs the libpostal C library, which is on "
        "neither PyPI nor Debian and downloads ~2 GB of model data from GitHub at setup",
    )
    scrubber = scrubadub.Scrubber(locale="en_GB")
    scrubber.add_detector("address")
    return _probe(_scrubber_detect(scrubber))


def _presidio_offline() -> None:
    # presidio's EmailRecognizer calls tldextract.extract(), which fetches the public
    # suffix list from GitHub on first use; use the snapshot shipped in the wheel.
    tldextract = _import("tldextract")
    tldextract.extract = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)


def _presidio(extra: Sequence[str]) -> Detect:
    _presidio_offline()
    spacy = _import("spacy")
    pa = _import("presidio_analyzer")
    nlp_engine_mod = _import("presidio_analyzer.nlp_engine")
    recognizers = _import("presidio_analyzer.predefined_recognizers")

    class BlankSpacyNlpEngine(nlp_engine_mod.SpacyNlpEngine):
        """spaCy's blank English pipeline: tokenizer only, no model, no NER."""

        def __init__(self):
            super().__init__(models=[{"lang_code": "en", "model_name": "blank:en"}])

        def load(self) -> None:
            self.nlp = {"en": spacy.blank("en")}

    engine = BlankSpacyNlpEngine()
    engine.load()
    registry = pa.RecognizerRegistry(supported_languages=["en"])
    registry.load_predefined_recognizers(languages=["en"], nlp_engine=engine)
    # Pattern/regex recognisers only: drop the NER-backed one (it would find nothing
    # with a blank pipeline anyway).
    for name in ("SpacyRecognizer",):
        try:
            registry.remove_recognizer(name)
        except Exception:  # noqa: BLE001 - absent in some versions
            pass
    for cls_name in extra:
        cls = getattr(recognizers, cls_name, None)
        if cls is None:
            raise Unavailable(f"presidio_analyzer has no {cls_name}")
        registry.add_recognizer(cls())
    analyzer = pa.AnalyzerEngine(nlp_engine=engine, registry=registry, supported_languages=["en"])

    def detect(text: str) -> List[Span]:
        return [(r.start, r.end) for r in analyzer.analyze(text=text, language="en")]

    return _probe(detect)


@peer("presidio", "presidio-analyzer")
def build_presidio_default() -> Detect:
    """predefined pattern recognisers for en, blank spaCy pipeline (no model, no NER),
    score threshold 0 (presidio default)"""
    return _presidio([])


@peer("presidio-uk", "presidio-analyzer")
def build_presidio_uk() -> Detect:
    """as presidio + UkPostcodeRecognizer, UkNinoRecognizer"""
    return _presidio(["UkPostcodeRecognizer", "UkNinoRecognizer"])


@peer("philter-lite", "philter-lite")
def build_philter_lite() -> Detect:
    """bundled philter_delta.toml"""
    philter_lite = _import("philter_lite")
    config = Path(philter_lite.__file__).parent / "configs" / "philter_delta.toml"
    filters = philter_lite.load_filters(str(config))
    keep_char = re.compile(r"[^a-zA-Z0-9*]")  # philter_lite's PUNCTUATION_MATCHER

    def detect(text: str) -> List[Span]:
        # philter is a whitelist: transform_text_asterisk() masks every letter or
        # digit not inside the include map. Report those masked runs as spans.
        include_map, _exclude, _tracker = philter_lite.detect_phi(text, filters)
        spans: List[Span] = []
        i, run = 0, None
        while i < len(text):
            if include_map.does_exist(i):
                if run is not None:
                    spans.append((run, i))
                    run = None
                _s, stop = include_map.get_coords(i)
                i = max(stop, i + 1)
                continue
            if keep_char.match(text[i]):
                if run is not None:
                    spans.append((run, i))
                    run = None
            elif run is None:
                run = i
            i += 1
        if run is not None:
            spans.append((run, len(text)))
        return spans

    try:
        return _probe(detect)
    except Unavailable as e:
        if "averaged_perceptron_tagger" in str(e) or "Resource" in str(e):
            raise Unavailable(
                "needs NLTK data 'averaged_perceptron_tagger_eng' for nltk.pos_tag on every "
                "call; it is only obtainable with nltk.download() from GitHub (not on PyPI "
                f"or Debian). {summarise(e.__cause__ or e, 120)}"
            ) from e
        raise



# --------------------------------------------------------------------------
# Running


def run_peer(detect: Detect, sentences: Sequence[Sentence]) -> Tuple[List[List[Span]], float]:
    """Spans for each sentence and the total wall time of the calls in seconds."""
    out: List[List[Span]] = []
    total = 0.0
    clock = time.perf_counter
    for s in sentences:
        t0 = clock()
        spans = detect(s.plain)
        total += clock() - t0
        out.append(clean_spans(spans))
    return out, total


def score(ident: Sequence[Sentence], ident_spans, clean: Sequence[Sentence], clean_spans_, seconds: float):
    per_cat: Dict[str, Dict[str, int]] = {}
    hits = 0
    missed = []
    for s, spans in zip(ident, ident_spans):
        mask = covered_mask(len(s.plain), spans)
        all_covered = True
        for lab in s.labels:
            c = per_cat.setdefault(lab.category, {"covered": 0, "total": 0})
            c["total"] += 1
            if label_covered(s.plain, lab, mask):
                c["covered"] += 1
            else:
                all_covered = False
                missed.append({"file": s.source, "line": s.lineno,
                               "category": lab.category, "text": lab.text,
                               "sentence": s.plain,
                               "spans": [[a, b, s.plain[a:b]] for a, b in spans]})
        hits += all_covered
    fps = []
    for s, spans in zip(clean, clean_spans_):
        if spans:
            fps.append({"file": s.source, "line": s.lineno, "sentence": s.plain,
                        "spans": [[a, b, s.plain[a:b]] for a, b in spans]})
    n_calls = len(ident) + len(clean)
    return {
        "recall": hits / len(ident) if ident else None,
        "recall_hits": hits,
        "identifier_sentences": len(ident),
        "fp_rate": len(fps) / len(clean) if clean else None,
        "fp_sentences": len(fps),
        "clean_sentences": len(clean),
        "us_per_message": seconds / n_calls * 1e6 if n_calls else None,
        "calls": n_calls,
        "per_category": {k: dict(v, recall=v["covered"] / v["total"]) for k, v in sorted(per_cat.items())},
        "missed": missed,
        "false_positives": fps,
    }


def fmt_ratio(value, num, den) -> str:
    return "—" if value is None else f"{value:.3f} ({num}/{den})"


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="default sets (paths relative to --root):\n" + "\n".join(
            f"  --set {n}={CORPUS_DIR}/{i},{CORPUS_DIR}/{c}" for n, i, c in DEFAULT_SETS))
    ap.add_argument("--root", type=Path, default=REPO_ROOT, help="repo root for the default corpus paths")
    ap.add_argument("--set", dest="sets", metavar="NAME=IDENTIFIERS,CLEAN", action="append",
                    type=parse_set_spec, default=[],
                    help="a corpus pair to score as set NAME (repeatable; pairs with the same "
                    "NAME are pooled; either path may be left empty). Given at least once, "
                    "replaces the default sets (see below). Relative paths are taken from "
                    f"the current directory. The name {ALL_SET!r} is reserved: it pools every "
                    "set and is reported whenever there are two sets or more")
    ap.add_argument("--json", type=Path, default=None, help="write full results as JSON here")
    ap.add_argument("--peers", default="", help="comma-separated peer ids (default: all): "
                    + ", ".join(p.id for p in PEERS))
    ap.add_argument("--warmup", type=int, default=50, help="untimed calls per peer before timing")
    args = ap.parse_args(argv)

    _block_network()

    if args.sets:
        specs = [(n, Path(i) if i else None, Path(c) if c else None) for n, i, c in args.sets]
    else:
        base = args.root / CORPUS_DIR
        specs = [(n, base / i, base / c) for n, i, c in DEFAULT_SETS]
    notes: List[str] = []
    sets = load_sets(specs, notes)
    if not sets:
        print("no corpus files found; see --help", file=sys.stderr)
        return 2

    wanted = {p.strip() for p in args.peers.split(",") if p.strip()}
    peers = [p for p in PEERS if not wanted or p.id in wanted]
    unknown = wanted - {p.id for p in PEERS}
    if unknown:
        print(f"unknown peer id(s): {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2

    warm_pool = [s for st in sets.values() for s in st.identifiers + st.clean]
    # Peers print diagnostics (NLTK's missing-resource banners, ...) on stdout; keep
    # stdout for the report.
    with contextlib.redirect_stdout(sys.stderr):
        results = run_all(peers, sets, warm_pool, args.warmup)
    return report(results, sets, notes, args)


def run_all(peers, sets, warm_pool, warmup: int) -> list:
    results = []
    for peer in peers:
        peer.version = dist_version(peer.package)
        entry = {"id": peer.id, "name": peer.name, "package": peer.package,
                 "version": peer.version, "config": peer.config}
        try:
            peer.detect = peer.build()
        except Unavailable as e:
            peer.error = str(e)
        except Exception as e:  # noqa: BLE001 - report, never crash
            peer.error = summarise(e)
        if peer.error:
            entry.update(available=False, reason=peer.error)
            results.append(entry)
            print(f"[{peer.id}] unavailable: {peer.error}", file=sys.stderr)
            continue
        print(f"[{peer.id}] running ({peer.version})", file=sys.stderr)
        try:
            for i in range(min(warmup, len(warm_pool)) if warm_pool else 0):
                peer.detect(warm_pool[i % len(warm_pool)].plain)
            per_set = {}
            pooled: Tuple[list, list, list, list] = ([], [], [], [])
            seconds = 0.0
            for set_name, st in sets.items():
                i_spans, i_t = run_peer(peer.detect, st.identifiers)
                c_spans, c_t = run_peer(peer.detect, st.clean)
                per_set[set_name] = score(st.identifiers, i_spans, st.clean, c_spans, i_t + c_t)
                for acc, part in zip(pooled, (st.identifiers, i_spans, st.clean, c_spans)):
                    acc.extend(part)
                seconds += i_t + c_t
            if len(sets) > 1:
                # "all" re-scores the calls already made; no peer call runs twice.
                per_set[ALL_SET] = score(*pooled, seconds)
            entry.update(available=True, results=per_set)
        except Exception as e:  # noqa: BLE001 - a peer crashing mid-run is reported, not fatal
            entry.update(available=False,
                         reason=f"failed while running: {summarise(e)}")
            print(f"[{peer.id}] {entry['reason']}", file=sys.stderr)
        results.append(entry)
    return results


def report(results, sets, notes, args) -> int:
    lines = ["| peer | version | set | recall | false-positive rate | µs per message |",
             "| --- | --- | --- | --- | --- | --- |"]
    for r in results:
        if not r["available"]:
            lines.append(f"| {r['id']} | {r['version']} | — | unavailable | — | — |")
            continue
        for set_name, m in r["results"].items():
            us = "—" if m["us_per_message"] is None else f"{m['us_per_message']:.0f}"
            lines.append(
                f"| {r['id']} | {r['version']} | {set_name} | "
                f"{fmt_ratio(m['recall'], m['recall_hits'], m['identifier_sentences'])} | "
                f"{fmt_ratio(m['fp_rate'], m['fp_sentences'], m['clean_sentences'])} | {us} |")
    out = ["## Peer PHI filters on the screening corpus", "", *lines, ""]

    ok = [r for r in results if r["available"]]
    if ok:
        set_for_cats = ALL_SET if ALL_SET in ok[0]["results"] else next(iter(ok[0]["results"]))
        cats = sorted({c for r in ok for c in r["results"][set_for_cats]["per_category"]})
        if cats:
            out += [f"### Recall per category (set: {set_for_cats}; identifiers covered / labelled)", "",
                    "| peer | " + " | ".join(cats) + " |",
                    "| --- |" + " --- |" * len(cats)]
            for r in ok:
                pc = r["results"][set_for_cats]["per_category"]
                cells = [f"{pc[c]['recall']:.2f} ({pc[c]['covered']}/{pc[c]['total']})" if c in pc else "—"
                         for c in cats]
                out.append(f"| {r['id']} | " + " | ".join(cells) + " |")
            out.append("")
    out.append("### Peer configurations")
    out.append("")
    for r in results:
        status = "" if r["available"] else f" — **unavailable**: {r['reason']}"
        out.append(f"- `{r['id']}` ({r['package']} {r['version']}): {r['config']}{status}")
    out.append("")
    for st in sets.values():
        names = ", ".join(" + ".join(Path(f).name for f in pair.values() if f) for pair in st.files)
        out.append(f"- corpus `{st.name}` ({names}): {len(st.identifiers)} identifier sentences "
                   f"({st.labels} labels), {len(st.clean)} clean sentences")
    if len(sets) > 1:
        out.append(f"- corpus `{ALL_SET}`: every set above pooled: "
                   f"{sum(len(st.identifiers) for st in sets.values())} identifier sentences "
                   f"({sum(st.labels for st in sets.values())} labels), "
                   f"{sum(len(st.clean) for st in sets.values())} clean sentences")
    for n in notes:
        out.append(f"- note: {n}")
    if NETWORK_ATTEMPTS:
        out.append(f"- blocked network attempts: {len(NETWORK_ATTEMPTS)} (e.g. {NETWORK_ATTEMPTS[0]})")
    print("\n".join(out))

    if args.json:
        doc = {
            "tool": "scripts/peer-screen/peer_screen.py",
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpu_count": os.cpu_count(),
            "warmup_calls": args.warmup,
            "corpus": {n: {"files": st.files,
                           "identifier_sentences": len(st.identifiers),
                           "labels": st.labels,
                           "unlabelled_identifier_lines": st.unlabelled,
                           "clean_sentences": len(st.clean)} for n, st in sets.items()},
            "notes": notes,
            "blocked_network_attempts": NETWORK_ATTEMPTS,
            "peers": results,
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"\nJSON written to {args.json}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
