"""Name tokenising against input length: linear now, quadratic before issue 21 (finding 4).

Run on demand (not part of the test suite):
    .venv/bin/python bench/name_tokenising.py                  # the current code
    .venv/bin/python bench/name_tokenising.py --old 1625895    # also a commit's simpul/lib/names.py

Prints a Markdown table: seconds for `name_tokens` + `name_key_variants` per input shape and
length. The old code is only run up to 16,000 characters (it needs minutes beyond that).

Measured on the 2-core development machine (load around 5), before/after the fix:

| shape                 | chars  | before (1625895) | after  |
|-----------------------|--------|------------------|--------|
| one long word "aaa…"  |  8,000 | 1.73 s           | 0.00 s |
| one long word "aaa…"  | 60,000 | ~100 s (est.)    | 0.03 s |
| accented "ééé…"       |  8,000 | 1.40 s           | 0.02 s |
| old spelling "oej…"   |  8,000 | 1.49 s           | 0.01 s |
| "dr dr dr …"          | 60,000 | 22.2 s           | 0.35 s |
| "haji haji …"         | 60,000 | 6.2 s            | 0.24 s |
| "br br br …"          | 60,000 | 1.7 s            | 0.35 s |
| "siti siti …"         | 60,000 | 0.23 s           | 0.21 s |

The causes: the hyphenated-marga regex retried from every letter of a word and backtracked
over the rest of it (quadratic in the length of one word), and the patronymic split re-read
every earlier token for each token (quadratic in the number of tokens).
"""

import argparse
import importlib.util
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SHAPES = {
    "one long word": lambda n: "a" * n,
    "accented word": lambda n: "é" * n,
    "old spelling": lambda n: "oej" * (n // 3),
    "prefix titles": lambda n: "dr " * (n // 3),
    "repeated haji": lambda n: "haji " * (n // 5),
    "boru markers": lambda n: "br " * (n // 3),
    "ordinary words": lambda n: "siti " * (n // 5),
    "hyphenated": lambda n: "ab-cd " * (n // 6),
}


def _old_module(commit: str) -> ModuleType:
    source = subprocess.run(
        ["git", "show", f"{commit}:simpul/lib/names.py"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    path = Path(tempfile.mkdtemp()) / "old_names.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("old_names", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["old_names"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _seconds(module: ModuleType, text: str) -> float:
    module._canonical_word.cache_clear()
    started = time.perf_counter()
    module.name_tokens(text)
    module.name_key_variants(text)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--old", help="a commit whose simpul/lib/names.py to compare")
    args = parser.parse_args()
    from simpul.lib import names

    old = _old_module(args.old) if args.old else None
    print("| shape | chars | " + ("before | " if old else "") + "after |")
    print("|---|---|" + ("---|" if old else "") + "---|")
    for shape, make in SHAPES.items():
        for size in (4_000, 8_000, 16_000, 60_000):
            text = make(size)
            before = ""
            if old is not None:
                before = f"{_seconds(old, text):.2f} s | " if size <= 16_000 else "(skipped) | "
            print(f"| {shape} | {size:,} | {before}{_seconds(names, text):.2f} s |")


if __name__ == "__main__":
    main()
