"""How long and how much memory the photo desk needs for a big camera file.

Writes a 24- and a 50-megapixel JPEG (gradients under noise, so they compress like photos) to a
temporary folder, then processes each in its own child process as the photo desk does:
inspect_image in the upload request (header only), then in the task worker check_whole (every
frame decoded, JPEG at 1/8 scale, to prove the file whole) and process_upload (the master and
every rendition, JPEG and WebP, plain and square, from one decode). Each child's peak RSS comes from
os.wait4(), so the numbers are per file; the first row is a child that only imports, the floor
under the others.

    .venv/bin/python bench/bench_renditions.py
"""

import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CAMERAS = {"24mp.jpg": (6000, 4000), "50mp.jpg": (8688, 5792)}
RSS_BUDGET_MB = 600


def write_camera_file(path, size):
    from PIL import Image, ImageChops

    width, height = size
    across = Image.linear_gradient("L").rotate(90).resize(size)
    down = Image.linear_gradient("L").resize(size)
    glow = Image.radial_gradient("L").resize(size)
    noise = Image.effect_noise(size, 40)
    photo = Image.merge(
        "RGB",
        (
            ImageChops.add(across, noise, scale=1.3),
            ImageChops.add(down, noise, scale=1.3),
            ImageChops.add(glow, noise, scale=1.3),
        ),
    )
    photo.save(path, "JPEG", quality=90)


def process(path):
    """Run in the child: everything the upload request and the task worker do with one file."""
    from articles.photos.checks import check_whole, inspect_image
    from articles.photos.imaging import process_upload

    with open(path, "rb") as upload:
        data = upload.read()
    started = time.perf_counter()
    inspected = inspect_image(io.BytesIO(data), Path(path).name)
    inspected_at = time.perf_counter()
    check_whole(io.BytesIO(data), Path(path).name)
    processed = process_upload(io.BytesIO(data))
    finished = time.perf_counter()
    return {
        "megapixels": inspected.width * inspected.height / 1e6,
        "inspect": inspected_at - started,
        "renditions": len(processed.renditions),
        "process": finished - inspected_at,
        "seconds": finished - started,
    }


def in_child(*args):
    child = subprocess.Popen([sys.executable, __file__, *args], stdout=subprocess.PIPE, cwd=ROOT, text=True)
    output = child.stdout.read()
    child.stdout.close()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"child {args} failed with exit code {child.returncode}")
    return json.loads(output), usage.ru_maxrss / 1024  # kilobytes on Linux


def main():
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        _, floor_mb = in_child("--imports-only")
        for name, size in CAMERAS.items():
            path = Path(folder) / name
            # Written by a child too: a child starts with its parent's peak RSS on Linux.
            subprocess.run([sys.executable, __file__, "--write", str(path), *map(str, size)], check=True)
            result, peak_mb = in_child("--process", str(path))
            rows.append((name, path.stat().st_size / 2**20, result, peak_mb))

    print(
        f"{'file':<10} {'MP':>5} {'MB':>5} {'inspect s':>9} {'check+master+renditions s':>25} "
        f"{'total s':>7} {'peak RSS MB':>11}"
    )
    print(f"{'(imports)':<10} {'':>5} {'':>5} {'':>9} {'':>25} {'':>7} {floor_mb:>11.0f}")
    for name, megabytes, result, peak_mb in rows:
        process_cell = f"1+{result['renditions']} {result['process']:.2f}"
        print(
            f"{name:<10} {result['megapixels']:>5.1f} {megabytes:>5.1f} {result['inspect']:>9.2f} "
            f"{process_cell:>25} {result['seconds']:>7.2f} {peak_mb:>11.0f}"
        )
    worst = max(peak_mb for *_, peak_mb in rows)
    verdict = "within" if worst < RSS_BUDGET_MB else "OVER"
    print(f"\nPeak RSS {worst:.0f} MB: {verdict} the {RSS_BUDGET_MB} MB budget.")
    return 0 if worst < RSS_BUDGET_MB else 1


if __name__ == "__main__":
    if sys.argv[1:2] == ["--process"]:
        print(json.dumps(process(sys.argv[2])))
    elif sys.argv[1:2] == ["--write"]:
        write_camera_file(sys.argv[2], (int(sys.argv[3]), int(sys.argv[4])))
    elif sys.argv[1:2] == ["--imports-only"]:
        import articles.photos.imaging  # noqa: F401

        print("{}")
    else:
        sys.exit(main())
