"""Full-page screenshots of pages at desktop and phone widths, for reviewing the design.

    .venv/bin/python design/screenshot.py design/mockups/*.html
    .venv/bin/python design/screenshot.py http://127.0.0.1:8000/ http://127.0.0.1:8000/section/world/
    .venv/bin/python design/screenshot.py --out /tmp/shots --widths 1280,390,768 URL_OR_FILE ...

Each page is saved as OUT/<name>-<width>.png. A page that scrolls sideways at some width
(something wider than the viewport) is reported, since that is the usual phone bug.
Uses Debian's Chromium (apt-get install chromium); never downloads a browser.
"""

import argparse
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]

# Elements that stick out past the right edge of the viewport, for the overflow report.
FIND_OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  for (const el of document.querySelectorAll("body *")) {
    const box = el.getBoundingClientRect();
    if (box.right > width + 1 && getComputedStyle(el).position !== "fixed") {
      const name = el.tagName.toLowerCase() + (el.className && typeof el.className === "string"
        ? "." + el.className.trim().split(/\\s+/).join(".") : "");
      wide.push(name + " right=" + Math.round(box.right));
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, width, wide: wide.slice(0, 8)};
}"""


def load_lazy_images(page):
    """Scroll down the page so lazy images load, then wait for every image to finish."""
    height = page.evaluate("document.documentElement.scrollHeight")
    for y in range(0, height, 600):
        page.evaluate(f"window.scrollTo(0, {y})")
        page.wait_for_timeout(20)
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_function("[...document.images].every(img => img.complete)", timeout=10_000)


def to_url(target):
    if re.match(r"^[a-z]+://", target):
        return target
    return Path(target).resolve().as_uri()


def shot_name(target):
    parts = urlsplit(to_url(target))
    if parts.scheme == "file":
        return Path(parts.path).stem
    slug = re.sub(r"[^A-Za-z0-9]+", "-", parts.path).strip("-")
    return slug or "home"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("targets", nargs="+", help="URLs or HTML files")
    parser.add_argument("--out", default="/tmp/newsroom-shots", help="folder for the PNGs")
    parser.add_argument("--widths", default="1280,390", help="comma-separated viewport widths")
    args = parser.parse_args(argv)

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    widths = [int(w) for w in args.widths.split(",")]
    problems = 0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for width in widths:
            page = browser.new_page(viewport={"width": width, "height": 900}, device_scale_factor=1)
            for target in args.targets:
                page.goto(to_url(target), wait_until="networkidle")
                load_lazy_images(page)
                path = out / f"{shot_name(target)}-{width}.png"
                page.screenshot(path=str(path), full_page=True)
                report = page.evaluate(FIND_OVERFLOW)
                status = "ok"
                if report["scrollWidth"] > report["width"]:
                    problems += 1
                    status = f"OVERFLOW scrollWidth={report['scrollWidth']} " + ", ".join(report["wide"])
                print(f"{path}  {status}")
            page.close()
        browser.close()
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
