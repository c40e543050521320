"""Bounds on the work one article may cause, so one odd input never stalls or sinks a batch.

spaCy's parser and NER need about 1 GB per 100,000 characters they see at once, and time in
proportion; newsgraph's own components and resolution grow with sentences and mentions.  A
5 MB paragraph or an article of 20,000 names is not news but it arrives in real dumps, so:

- `max_chars`: longer texts are cut (at a paragraph, line or sentence end before the limit)
  when they are read; the article is its first part, its id the hash of that part;
- `max_sentences`, `max_mentions`: newsgraph's components see the article only up to the end
  of the sentence that reaches either limit;
- `batch_chars`: texts go through the base model in batches of at most this many characters
  (and at most `batch_size` articles); a long text's pieces one at a time;
- `article_seconds`: newsgraph's components stop on an article after this long; it is kept
  without facts (the batch goes on).  Enforced by SIGALRM, so in the main thread of a process
  (the CLI, and every worker of `--jobs`); elsewhere only the other limits hold.

Each cut is logged as a warning naming the article and the limit.  Defaults suit news (the
longest AllSides article has 52,000 characters); `newsgraph build --max-chars ...` and
`newsgraph.build(limits=Limits(...))` change them.
"""
from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

log = logging.getLogger("newsgraph.extract")


@dataclass(frozen=True)
class Limits:
    """The bounds; 0 turns one off.

    >>> Limits().max_chars, Limits(max_chars=0).cut_at("x" * 10)
    (200000, 10)
    """

    max_chars: int = 200_000
    max_sentences: int = 3_000
    max_mentions: int = 3_000
    batch_chars: int = 200_000
    article_seconds: float = 60.0

    def cut_at(self, text: str) -> int:
        """Where `text` ends under `max_chars`: its length, or the last break before the limit."""
        if not self.max_chars or len(text) <= self.max_chars:
            return len(text)
        from newsgraph.extract.pipeline import split_text

        return len(split_text(text, self.max_chars)[0])


DEFAULT_LIMITS = Limits()


class ArticleTimeout(BaseException):
    """An article's components ran past `article_seconds`.

    A BaseException, like KeyboardInterrupt, so no component's `except Exception` swallows it.
    """


@contextmanager
def time_budget(seconds: float, what: str) -> Iterator[None]:
    """Raise ArticleTimeout in the block after `seconds` (main thread only; else no limit)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread() \
            or not hasattr(signal, "setitimer"):
        yield
        return

    def _expired(_signum: int, _frame: object) -> None:
        raise ArticleTimeout(f"{what}: extraction stopped after {seconds:g} s "
                             "(limit article_seconds, --article-seconds)")

    previous = signal.signal(signal.SIGALRM, _expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
