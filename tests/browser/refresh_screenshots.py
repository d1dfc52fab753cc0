"""Copy a selection of the browser tests' screenshots into docs/screenshots/, cropped and optimised.

The journey (test_journey.py) writes every step at 1280 px and 375 px into the test artifacts folder as
``NN-step.png`` and ``NN-step-mobile.png``; test_new_pages.py writes the pages the journey does not pass through as
``page.png`` and ``page-mobile.png``. Run the browser tests first, then:

    .venv/bin/python tests/browser/refresh_screenshots.py [artifacts/screenshots folder]

Each picture keeps the top of the page (what a person sees first) and is reduced to a 256-colour palette so it
stays well under 250 KB.
"""

import sys
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
# (step or page name, file name in docs/screenshots, height kept in CSS pixels)
SELECTION = [
    ("dashboard-business-unit", "dashboard-business-unit.png", 1100),
    ("public-form", "public-referral.png", 1100),
    ("public-form-errors-mobile", "public-referral-errors-mobile.png", 1400),
    ("case-rapid-review", "case-rapid-review.png", 1100),
    ("agency-check-tasks", "agency-check-form-tasks.png", 1000),
    ("agency-check-involvement-errors", "agency-check-form-error.png", 1000),
    ("decision-sheet-edit", "decision-sheet-edit.png", 1100),
    ("decision-sheet-signed", "decision-sheet-signed.png", 1100),
    ("dashboard-agency-lead-action-mobile", "dashboard-agency-lead-mobile.png", 1400),
    ("dashboard-chair-disputes-focus", "dashboard-chair-disputes.png", 1100),
    ("panel-attendance-focus", "attendance-conflict-and-substitute.png", 1600),
    ("vote-chair-focus", "vote-substitute-and-on-behalf.png", 1100),
]
# The pages issue 16 added or changed: each at 1280 px and on a 375 px phone.
for page, height in [("invitation-reply", 900), ("panel-replies-focus", 1400), ("agency-check-versions", 1900),
                     ("publication-guard-error", 1000), ("publication-correct", 1000),
                     ("action-plan-import-columns", 1400), ("action-plan-import-preview", 1100),
                     ("assurance-reply", 1100), ("retention-review", 1400), ("cdop-discussion", 1000)]:
    name = page.removesuffix("-focus")
    SELECTION += [(page, f"{name}.png", height), (f"{page}-mobile", f"{name}-mobile.png", 1600)]


def find(folder: Path, step: str) -> Path:
    matches = sorted(folder.glob(f"[0-9][0-9]-{step}.png")) or sorted(folder.glob(f"{step}.png"))
    if not matches:
        raise SystemExit(f"No screenshot for {step!r} in {folder}: run the browser tests (pytest -m browser) first.")
    return matches[-1]


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "test-artifacts" / "screenshots"
    out = ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    for step, name, height in SELECTION:
        image = Image.open(find(folder, step)).convert("RGB")
        image = image.crop((0, 0, image.width, min(image.height, height)))
        image = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        target = out / name
        image.save(target, optimize=True)
        print(f"{target.relative_to(ROOT)}: {target.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
