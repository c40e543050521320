"""kill -9 a build at many points: the output folder must hold the previous set or the new one, whole.

    python benchmarks/kill_build.py [--points 12] [--work /tmp/kill-work]

First, in the same run, two reference builds: OLD (one small article) and NEW (the sample
corpus), each file's SHA-256 recorded.  Then OLD is built into OUT, and for each kill point
a build of NEW into OUT is started in a child process and sent SIGKILL: some points before
its staging folder appears (during reading and extraction), the rest spread over the time
from the staging folder's appearance to the end of the build (the writing of the exports).
After each kill, OUT must hold exactly OLD's files or exactly NEW's (by hash), with no
temporary file in it; what the killed build left beside it (a staging folder) must be gone
after the next build's clean-up (`outset.clean_stale`).  Prints one line per kill point and
a summary; exits non-zero on any failure.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

OLD_TEXT = ("Finance ministers of the euro area met in Luxembourg on Thursday.\n\n"
            "The chair of the meeting said the ministers agreed on a common deposit plan.")


def _digest(path: Path) -> str:
    """SHA-256 of the file; of its sorted statements for JSON-LD (rdflib orders them freely)."""
    if path.suffix != ".jsonld":
        return hashlib.sha256(path.read_bytes()).hexdigest()
    from rdflib import Dataset

    try:
        lines = Dataset().parse(path, format="json-ld").serialize(format="nquads").splitlines()
    except Exception as exc:  # noqa: BLE001 - a file that does not parse is the finding
        return f"unparsable: {exc}"
    return hashlib.sha256("\n".join(sorted(lines)).encode()).hexdigest()


def hashes(folder: Path) -> dict[str, str]:
    return {p.name: _digest(p) for p in sorted(folder.iterdir()) if p.is_file()}


def command(inputs: list[str], out: Path) -> list[str]:
    return [sys.executable, "-m", "newsgraph.cli", "build", *inputs, "-o", str(out), "-q"]


def run_build(inputs: list[str], out: Path, env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command(inputs, out), env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def _wait_for_staging(proc: subprocess.Popen, out: Path) -> float:
    """perf_counter() when the build's staging folder appears (or the build ends)."""
    while proc.poll() is None and not any(
            p.name.startswith(f".{out.name}.staging-") for p in out.parent.iterdir()):
        time.sleep(0.002)
    return time.perf_counter()


def leftovers(out: Path) -> list[str]:
    inside = [p.name for p in out.iterdir() if p.name.startswith(".")] if out.exists() else []
    return inside


def main() -> int:
    from newsgraph.exports.outset import clean_stale

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--points", type=int, default=12)
    parser.add_argument("--work", type=Path, default=Path("/tmp/newsgraph-kill"))
    args = parser.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    args.work.mkdir(parents=True)
    env = dict(os.environ, PYTHONPATH=str(REPO))
    old_in = args.work / "old.txt"
    old_in.write_text(OLD_TEXT, encoding="utf-8")
    new_inputs = ["--sample"]
    t_old = run_build([str(old_in)], args.work / "ref-old", env)
    t_new = run_build(new_inputs, args.work / "ref-new", env)
    old, new = hashes(args.work / "ref-old"), hashes(args.work / "ref-new")
    again = args.work / "ref-new-2"
    run_build(new_inputs, again, env)
    if hashes(again) != new:
        print("the build is not byte-reproducible; cannot compare by hash:",
              sorted(k for k in new if hashes(again).get(k) != new[k]))
        return 2
    print(f"reference builds: old {t_old:.1f} s ({len(old)} files), new {t_new:.1f} s")
    out = args.work / "out"
    run_build([str(old_in)], out, env)
    # how long the writing takes: from the staging folder's appearance to the end of a build
    proc = subprocess.Popen(command(new_inputs, out), env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    seen = _wait_for_staging(proc, out)
    proc.wait()
    t_write = time.perf_counter() - seen
    print(f"writing the exports takes {t_write:.2f} s")
    shutil.rmtree(out)
    shutil.copytree(args.work / "ref-old", out)
    failures = 0
    outcomes = {"old": 0, "new": 0}
    early = max(2, args.points // 4)
    for point in range(args.points):
        proc = subprocess.Popen(command(new_inputs, out), env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        started = time.perf_counter()
        if point < early:  # during reading, model loading and extraction
            delay = t_new * 0.8 * (point + 1) / (early + 1)
            time.sleep(delay)
            where = f"{delay:5.2f} s after start"
        else:  # while the exports are written: after the staging folder appears
            seen = _wait_for_staging(proc, out) - started
            delay = t_write * 1.1 * (point - early) / (args.points - early - 1)
            time.sleep(delay)
            where = f"{delay:5.2f} s after staging appeared ({seen:.2f} s)"
        finished = proc.poll() is not None
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        now = hashes(out) if out.exists() else {}
        state = "old" if now == old else "new" if now == new else "MIXED"
        inside = leftovers(out)
        clean_stale(out)
        beside = [p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}")]
        ok = state != "MIXED" and not inside and not beside
        failures += not ok
        if ok:
            outcomes[state] += 1
        print(f"kill {point + 1:2d} {where}: {state}{' (had finished)' if finished else ''}"
              f"{'; temporary files inside: ' + ', '.join(inside) if inside else ''}"
              f"{'; left beside after clean-up: ' + ', '.join(beside) if beside else ''}")
        if state == "new":  # back to the old set for the next point
            shutil.rmtree(out)
            shutil.copytree(args.work / "ref-old", out)
    print(f"{args.points} kill points: {outcomes['old']} left the old set, {outcomes['new']} the new "
          f"one, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
