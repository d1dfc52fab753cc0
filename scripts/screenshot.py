"""Take screenshots of pages as a given demo user, at desktop and mobile widths.

    .venv/bin/python scripts/screenshot.py --user manager@demo.test --out /tmp/shots / /cases/

Needs a running server (make run, or manage.py runserver) and Debian's Chromium.
"""

import argparse
import re
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--user", help="demo e-mail to sign in as")
    parser.add_argument("--password", default="rapid-review-demo")
    parser.add_argument("--out", default="var/shots")
    parser.add_argument("--mobile", action="store_true", help="also take a 375px-wide shot")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        widths = [1280, 375] if args.mobile else [1280]
        for width in widths:
            page = browser.new_page(viewport={"width": width, "height": 900})
            if args.user:
                page.goto(f"{args.base}/accounts/login/")
                page.fill("input[name=username]", args.user)
                page.fill("input[name=password]", args.password)
                page.click("button:has-text('Sign in')")
            for path in args.paths:
                page.goto(f"{args.base}{path}")
                name = re.sub(r"[^a-zA-Z0-9]+", "_", path).strip("_") or "home"
                target = out / f"{name}_{width}.png"
                page.screenshot(path=str(target), full_page=True)
                print(target)
        browser.close()


if __name__ == "__main__":
    main()
