"""What `newsgraph build` shows while it runs and says at the end.

One progress line for the whole build: each stage (read, extract, resolve, graph, validate,
write) takes the same line over, with its count, rate and ETA where it has a count, so
nothing sits silent for a minute after extraction (issue 18).  Warnings never break the line:
they are collected per article (an `Extraction` carries its own) or per input file, and
summarised at the end, each naming its article; what was skipped is summarised with why.

`-q`: no progress line, warnings only counted (skipped inputs are still named, one line
each).  `-v`: each warning and skip as it happens too (above the line), and every one in
the summary, not the first 20.
"""
from __future__ import annotations

import logging
import sys
import threading
from collections import Counter
from typing import Any

import click

SHOWN = 20  # articles listed in the warning summary without -v
UNCOUNTED = "{desc} ... {elapsed}"  # a stage without a count: its name and its clock


class _Collect(logging.Handler):
    """newsgraph's log warnings while a build runs: kept for the summary, not printed over the bar."""

    def __init__(self, report: BuildReport) -> None:
        super().__init__(logging.WARNING)
        self.report = report

    def emit(self, record: logging.LogRecord) -> None:
        article = getattr(record, "ng_article", None)
        if not (self.report.by_article and article):  # else it comes with its article's Extraction
            self.report.warn(article, record.getMessage())


class BuildReport:
    """The build's progress line, its warnings and its skipped inputs."""

    STAGES = ("reading", "extracting", "resolving", "building graph", "validating", "writing")

    def __init__(self, *, quiet: bool = False, verbose: int = 0, by_article: bool = True) -> None:
        """`by_article`: the build hands `article_done` its Extractions, which carry their
        articles' warnings (a store build hands ids: its warnings are taken from the log)."""
        self.quiet, self.verbose, self.by_article = quiet, verbose, by_article
        self.bar: Any = None
        self.warnings: dict[str, list[str]] = {}
        self.skipped: list[Exception] = []
        self._logger = logging.getLogger("newsgraph")
        self._handler = _Collect(self)
        self._propagate = self._logger.propagate
        self._done = threading.Event()

    def _tick(self) -> None:
        """Redraw the line every second: a stage without a count (validating) still shows its clock."""
        while not self._done.wait(1.0):
            bar = self.bar
            if bar is not None:
                try:
                    bar.refresh()
                except Exception:  # noqa: BLE001 - closed between the check and the call
                    pass

    def __enter__(self) -> BuildReport:
        if not self.quiet:
            threading.Thread(target=self._tick, daemon=True).start()
        self._logger.addHandler(self._handler)
        self._logger.propagate = self.verbose >= 2  # -vv: the log as it comes, too
        self.stage("reading", None, "file")
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self.close()
        self._logger.removeHandler(self._handler)
        self._logger.propagate = self._propagate

    # -------------------------------------------------------------- the line

    def stage(self, name: str, total: int | None = None, unit: str = "step") -> None:
        """Start stage `name` on the same line (its count from 0 to `total`)."""
        if self.quiet:
            return
        from tqdm import tqdm

        number = self.STAGES.index(name) + 1 if name in self.STAGES else 0
        desc = f"[{number}/{len(self.STAGES)}] {name}" if number else name
        if self.bar is None:
            self.bar = tqdm(total=total, unit=unit, desc=desc, file=sys.stderr, dynamic_ncols=True,
                            bar_format=None if total else UNCOUNTED)
            return
        self.bar.refresh()  # the last count of the stage that ends, before the line moves on
        self.bar.unit = unit
        self.bar.bar_format = None if total else UNCOUNTED
        self.bar.set_description_str(desc, refresh=False)
        self.bar.reset(total=total)

    def step(self, n: int = 1) -> None:
        if self.bar is not None:
            self.bar.update(n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None

    def _above(self, text: str) -> None:
        if self.bar is not None:
            self.bar.write(text, file=sys.stderr)
        else:
            click.echo(text, err=True)

    # -------------------------------------------------------------- messages

    def warn(self, article: str | None, message: str) -> None:
        where = article or "(while reading)"
        self.warnings.setdefault(where, []).append(message)
        if self.verbose:
            self._above(f"warning: {where}: {message}" if article else f"warning: {message}")

    def article_done(self, extraction: Any) -> None:
        """An extraction came out: count it, keep its warnings under its article.  (A store
        build passes the article's id only: its warnings reach the summary through the log.)"""
        self.step()
        art = getattr(extraction, "article", None)
        if art is None:
            return
        for message in extraction.warnings:
            self.warn(art.identifier, message.removeprefix(f"{art.identifier}: "))

    def skip(self, problem: Exception) -> None:
        self.skipped.append(problem)
        if self.verbose:
            self._above(f"skipped {problem}")

    # -------------------------------------------------------------- the end

    def summary(self) -> None:
        """Warnings by article and skipped inputs with their reasons (counts only with -q)."""
        self.close()
        count = sum(len(v) for v in self.warnings.values())
        if count:
            click.echo(f"Warnings: {count} in {len(self.warnings)} article(s)"
                       + (" (run without -q to list them)" if self.quiet else ":"), err=True)
            if not self.quiet:
                items = list(self.warnings.items())
                for where, messages in items if self.verbose else items[:SHOWN]:
                    for message, n in Counter(messages).items():
                        click.echo(f"  {where}: {message}" + (f" (x{n})" if n > 1 else ""), err=True)
                if not self.verbose and len(items) > SHOWN:
                    click.echo(f"  ... and {len(items) - SHOWN} more article(s) (-v lists all)", err=True)
        if self.skipped:
            reasons = Counter(_reason(p) for p in self.skipped)
            click.echo(f"Skipped {len(self.skipped)} input(s): "
                       + ", ".join(f"{n} {why}" for why, n in reasons.most_common()) + ":", err=True)
            # named even with -q: a skipped file is never silent (each its own line, as before)
            for problem in self.skipped if self.verbose or self.quiet else self.skipped[:SHOWN]:
                click.echo(f"  {problem}", err=True)
            if not (self.verbose or self.quiet) and len(self.skipped) > SHOWN:
                click.echo(f"  ... and {len(self.skipped) - SHOWN} more (-v lists all)", err=True)


def _reason(problem: Exception) -> str:
    """The kind of a skip, for the summary's counts: its reason without the file name."""
    reason = getattr(problem, "reason", None)
    text = str(reason) if reason else str(problem).split(": ", 1)[-1]
    return text.split(";")[0].split(" (")[0][:60]
