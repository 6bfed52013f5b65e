"""Crawl benchmark: auditcrawl's full audit against Scrapy on the same nginx-served static site.

    .venv/bin/python bench/crawl.py [--pages 5000] [--concurrency 16]

Generates a deterministic site (about 17 KB of HTML a page: a 40-link navigation, body text,
10 related links, no industrial evidence, so the audit must cover it all), serves it with
nginx on 127.0.0.1, then times `auditcrawl crawl` (classification, dates, storage, verdicts;
--delay 0 --max-pages 6000 (or pages + 1000) --allow-private) and Scrapy (same concurrency, robots.txt obeyed)
one after the other. Prints wall time, pages/s and peak RSS of each, and the ratios. Not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORDS = [
    "cloud",
    "migration",
    "platform",
    "service",
    "customer",
    "data",
    "team",
    "project",
    "delivery",
    "architecture",
    "security",
    "network",
    "storage",
    "compute",
    "application",
    "modern",
    "legacy",
    "support",
    "managed",
    "operations",
    "analytics",
    "pipeline",
    "integration",
    "workflow",
    "performance",
    "reliability",
    "cost",
    "governance",
    "identity",
    "access",
    "monitoring",
    "backup",
    "recovery",
    "region",
    "account",
]


def generate(root: Path, pages: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    (root / "robots.txt").write_text("User-agent: *\nDisallow: /private/\n")
    nav = " ".join(f'<a href="/p/{i}.html">Section {i}</a>' for i in range(40))
    for i in range(pages):
        paragraphs = "".join("<p>" + " ".join(rng.choice(WORDS) for _ in range(120)) + ".</p>" for _ in range(16))
        related = " ".join(f'<a href="/p/{rng.randrange(pages)}.html">Related {j}</a>' for j in range(10))
        nxt = f'<a href="/p/{(i + 1) % pages}.html">Next</a>'
        html = (
            f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Page {i} | Example Cloud</title></head>'
            f"<body><header><nav>{nav}</nav></header><main><h1>Page {i}</h1>{paragraphs}"
            f"<aside>{related} {nxt}</aside></main><footer>Example Cloud</footer></body></html>"
        )
        target = root / "index.html" if i == 0 else root / "p" / f"{i}.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html)
    # the home page links every page of its section chain; every page is reachable
    (root / "p" / "0.html").write_text((root / "index.html").read_text())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_nginx(root: Path, work: Path, port: int) -> subprocess.Popen[bytes]:
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        sys.exit("nginx is not installed: apt-get install -y nginx")
    (work / "logs").mkdir(exist_ok=True)
    conf = work / "nginx.conf"
    conf.write_text(f"""
worker_processes 1;
daemon off;
pid {work}/nginx.pid;
error_log {work}/logs/error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  default_type text/html;
  types {{ text/html html; text/plain txt; }}
  keepalive_requests 100000;
  client_body_temp_path {work}/tmp; proxy_temp_path {work}/tmp; fastcgi_temp_path {work}/tmp;
  uwsgi_temp_path {work}/tmp; scgi_temp_path {work}/tmp;
  server {{ listen 127.0.0.1:{port}; root {root}; index index.html; }}
}}
""")
    proc = subprocess.Popen([nginx, "-c", str(conf), "-p", str(work)], stderr=subprocess.DEVNULL)
    for _ in range(50):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    sys.exit("nginx did not start")


def measure(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one child process."""
    started = time.perf_counter()
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{command[0]} failed: {proc.stderr.read().decode()[-2000:] if proc.stderr else ''}")
    return elapsed, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="auditcrawl-bench-"))
    work.chmod(0o755)  # nginx's workers read the site as an unprivileged user
    (work / "tmp").mkdir()
    site = work / "site"
    generate(site, args.pages)
    size = sum(f.stat().st_size for f in site.rglob("*.html")) / args.pages / 1024
    port = free_port()
    nginx = start_nginx(site, work, port)
    url = f"http://127.0.0.1:{port}/"
    bindir = Path(sys.executable).parent
    config = work / "bench.toml"
    config.write_text("[crawl]\nscreenshots = false\n")
    max_pages = str(max(6000, args.pages + 1000))  # 6000 for the standard 5,000 pages; room for bigger sites
    env = {
        **os.environ,
        "AUDITCRAWL_CONFIG": str(config),
        "BENCH_CONCURRENCY": str(args.concurrency),
        "BENCH_MAX_PAGES": max_pages,
        "BENCH_STATS_FILE": str(work / "scrapy-count"),
    }
    try:
        ours = measure(
            [
                str(bindir / "auditcrawl"),
                "crawl",
                url,
                "--delay",
                "0",
                "--concurrency",
                str(args.concurrency),
                "--max-pages",
                max_pages,
                "--allow-private",
                "--db",
                f"sqlite:///{work}/bench.db",
            ],
            env,
        )
        scrapy = measure(
            [str(bindir / "scrapy"), "runspider", str(HERE / "scrapy_spider.py"), "-a", f"start={url}"], env
        )
    finally:
        nginx.terminate()
        nginx.wait()
    runs = subprocess.run(
        [str(bindir / "auditcrawl"), "runs", "--json", "--db", f"sqlite:///{work}/bench.db"],
        capture_output=True,
        text=True,
        env=env,
    )
    ours_pages = json.loads(runs.stdout)[0]["pages_fetched"]
    scrapy_pages = int((work / "scrapy-count").read_text())
    print(
        f"pages fetched: auditcrawl {ours_pages} (robots.txt aside), "
        f"scrapy {scrapy_pages} responses (robots.txt included)"
    )
    print(f"site: {args.pages} pages, {size:.1f} KB of HTML a page, nginx on 127.0.0.1, concurrency {args.concurrency}")
    print(f"{'crawler':<12} {'wall s':>8} {'pages/s':>9} {'peak RSS MB':>12}")
    for name, (wall, rss) in (("auditcrawl", ours), ("scrapy", scrapy)):
        print(f"{name:<12} {wall:>8.1f} {args.pages / wall:>9.0f} {rss:>12.0f}")
    print(f"auditcrawl/scrapy: wall time x{ours[0] / scrapy[0]:.2f}, peak RSS x{ours[1] / scrapy[1]:.2f}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
