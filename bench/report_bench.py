"""Benchmark of the PDF progress report, measured in one run (figures recorded in docs/reports.md).

    .venv/bin/python bench/report_bench.py [--repeat 3]

Works in a temporary folder (its own SQLite database, uploads and report cache); loads the demo
(嵩岳小区, 1,128 households) and gives it 20 photos (6 from the demo, 14 phone-size JPEGs added here), then
prints:

1. CJK ratio: the full report's render time (context + HTML + PDF) divided by the time to render the
   same saved HTML with a Latin-only font (DejaVu, in a child process whose fontconfig knows no CJK
   font: every Chinese character becomes a missing-glyph box). The floor without CJK; goal <= 1.3.
2. Scale ratio: the time for a generated compound of 2,200 households divided by the time for one of
   1,100 with the same shape (wishes from 90 %, a ballot of 4 items voted by 85 %, problems, meetings,
   progress with photos); goal <= 2.2.
3. Peak memory (max RSS of this process, and of the Latin child), the PDF's size and pages, and the cost
   of a cache hit against a render.

Times are the best of ``--repeat`` runs after a warm-up (font loading is a one-off per process, done at
worker start in production: gunicorn.conf.py's post_fork warm-up). Ratios use CPU time (time.process_time of
the rendering process), which other jobs on the machine do not inflate; wall times are printed too.
"""

import argparse
import io
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LATIN_FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir>/usr/share/fonts/truetype/dejavu</dir>
  <cachedir>{cache}</cachedir>
</fontconfig>
"""

CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
from renovation.core.pdf import render_pdf
html = open(sys.argv[2], encoding="utf-8").read()
roots = json.loads(sys.argv[3])
repeat = int(sys.argv[4])
render_pdf(html, base_dir=roots[0], allowed_roots=roots)  # warm-up
best = cpu = None
for _ in range(repeat):
    t, c = time.perf_counter(), time.process_time()
    data = render_pdf(html, base_dir=roots[0], allowed_roots=roots)
    best = min(best or 1e9, time.perf_counter() - t)
    cpu = min(cpu or 1e9, time.process_time() - c)
print(json.dumps({"seconds": best, "cpu": cpu, "bytes": len(data),
                  "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def latin_html(html: str) -> str:
    """The same HTML with every font family replaced by DejaVu (Latin only)."""
    for family in ("Noto Sans CJK SC", "Noto Serif CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei"):
        html = html.replace(f'"{family}"', '"DejaVu Sans"').replace(family, "DejaVu Sans")
    return html


def phone_photo(seed: int) -> bytes:
    """A 4,032 x 3,024 JPEG like a phone's (sky, a block, noise), ~2-4 MB."""
    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    img = Image.effect_noise((4032, 3024), 40).convert("RGB")
    draw = ImageDraw.Draw(img)
    draw.rectangle([0, 0, 4032, 1200], fill=(140 + rng.randrange(40), 180, 220))
    draw.rectangle([600, 900, 3400, 2600], fill=(210, 190, 160), outline=(90, 80, 70), width=12)
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=90)
    return buf.getvalue()


def timed(fn, repeat: int):
    """((best wall seconds, best CPU seconds of this process), last result) of ``repeat`` calls after one
    warm-up call. CPU time is what the ratios use: on a machine shared with other jobs, wall time measures
    the neighbours as much as the report."""
    result = fn()
    best = cpu = None
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        result = fn()
        best = min(best or 1e9, time.perf_counter() - t)
        cpu = min(cpu or 1e9, time.process_time() - c)
    return (best, cpu), result


def make_compound_project(community, name: str, households: int, staff, today: date):
    """A compound of ``households`` (buildings of 2 entrances x 11) with a project in construction and
    data in proportion: wishes from 90 %, a ballot of 4 items voted by 85 %, one problem per 40
    households (a third open), 8 items with progress, a branch with 12 meetings."""
    from renovation.construction.models import ProblemReport, ProblemStatus, ProgressUpdate
    from renovation.extensions import db
    from renovation.party.models import Meeting, PartyBranch
    from renovation.projects.models import Project, ProjectItem, ProjectItemStatus
    from renovation.projects.rules import Stage
    from renovation.voting.models import Ballot, BallotItem, BallotStatus, Choice, Vote, VoteChoice
    from renovation.wishes.models import WishResponse, WishSurvey
    from tests.factories import make_compound

    rng = random.Random(households)
    compound = make_compound(community, name, households // 22, 2, 11, Decimal("75.50"))
    project = Project(compound=compound, name=f"{name}改造", stage=Stage.CONSTRUCTION,
                      started_on=today - timedelta(days=200), target_end_on=today + timedelta(days=60))
    db.session.add(project)
    db.session.flush()
    items = [ProjectItem(project=project, name=f"改造内容{n}", status=ProjectItemStatus.ADOPTED,
                         budget=Decimal(100000 * (n + 1)), progress_percent=rng.randrange(0, 101), sort_order=n,
                         planned_start=today - timedelta(days=100), planned_end=today + timedelta(days=30))
             for n in range(8)]
    db.session.add_all(items)
    db.session.flush()
    hh = [h.id for h in compound.households] if hasattr(compound, "households") else None
    if hh is None:
        from sqlalchemy import select

        from renovation.org.models import Household
        hh = list(db.session.scalars(select(Household.id).where(Household.compound_id == compound.id)))
    survey = WishSurvey(project=project, title="改造意愿征询", is_open=False,
                        opened_at=datetime(2020, 4, 1, tzinfo=UTC), closed_at=datetime(2020, 4, 20, tzinfo=UTC))
    db.session.add(survey)
    db.session.flush()
    db.session.add_all([WishResponse(survey_id=survey.id, household_id=h, consent=rng.random() < 0.93)
                        for h in hh if rng.random() < 0.9])
    ballot = Ballot(project=project, title="改造内容表决", status=BallotStatus.CLOSED,
                    opens_at=datetime(2020, 5, 1, tzinfo=UTC), closes_at=datetime(2020, 5, 10, tzinfo=UTC))
    db.session.add(ballot)
    db.session.flush()
    bitems = [BallotItem(ballot_id=ballot.id, project_item_id=it.id, title=it.name, sort_order=n)
              for n, it in enumerate(items[:4])]
    db.session.add_all(bitems)
    db.session.flush()
    choices = [Choice.AGREE] * 8 + [Choice.AGAINST, Choice.ABSTAIN]
    for n, h in enumerate(hh):
        if rng.random() < 0.85:
            vote = Vote(ballot_id=ballot.id, household_id=h, receipt_code=f"B{households}-{n}", entered_by_id=staff.id)
            vote.choices = [VoteChoice(ballot_item_id=b.id, choice=rng.choice(choices)) for b in bitems]
            db.session.add(vote)
    statuses = [ProblemStatus.VERIFIED, ProblemStatus.VERIFIED, ProblemStatus.ASSIGNED]
    db.session.add_all([ProblemReport(project_id=project.id, title=f"问题{n}：楼道照明损坏", status=statuses[n % 3],
                                      deadline=today - timedelta(days=rng.randrange(-20, 20)),
                                      created_at=datetime(2020, 8, 1, tzinfo=UTC) + timedelta(hours=n))
                        for n in range(households // 40)])
    db.session.add_all([ProgressUpdate(project_item_id=it.id, percent=it.progress_percent, status=it.progress_status,
                                       note="按计划推进", author_id=staff.id) for it in items])
    branch = PartyBranch(project_id=project.id, name=f"{name}临时党支部", founded_on=today - timedelta(days=210))
    db.session.add(branch)
    db.session.flush()
    db.session.add_all([Meeting(branch_id=branch.id, held_on=today - timedelta(days=7 * n), title="周例会",
                                attendees=10, expected=12) for n in range(12)])
    db.session.commit()
    return project


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="report-bench-"))
    os.environ["RENOVATION_DATABASE_URL"] = f"sqlite:///{work}/bench.db"
    os.environ["RENOVATION_UPLOAD_FOLDER"] = str(work / "uploads")

    from sqlalchemy import func, select

    from renovation import create_app
    from renovation.accounts.models import User
    from renovation.construction.models import ProgressUpdate
    from renovation.core.timeutil import local_today
    from renovation.core.uploads import save_image
    from renovation.demo import load_demo
    from renovation.extensions import db
    from renovation.org.models import Community, Compound
    from renovation.projects.models import Project, ProjectItem
    from renovation.reports import services

    app = create_app({"REPORT_CACHE_FOLDER": str(work / "cache"), "SECRET_KEY": os.urandom(32).hex()})
    out: dict = {}
    with app.app_context():
        db.create_all()
        t = time.perf_counter()
        load_demo()
        out["demo_load_s"] = round(time.perf_counter() - t, 2)
        project = db.session.scalar(select(Project).join(Compound).where(Compound.name == "嵩岳小区"))
        staff = db.session.scalar(select(User).where(User.username == "squad"))
        # 20 photos: the demo's own and phone-size ones added to its items' latest progress
        have = db.session.scalar(select(func.count(ProgressUpdate.id)).join(ProjectItem)
                                 .where(ProjectItem.project_id == project.id, ProgressUpdate.photo_id.is_not(None)))
        items = list(db.session.scalars(select(ProjectItem).where(ProjectItem.project_id == project.id)))
        originals = 0
        for n in range(20 - have):
            raw = phone_photo(n)
            originals += len(raw)
            item = items[n % len(items)]
            up = save_image(raw, f"现场{n}.jpg", app.config["UPLOAD_FOLDER"], project_id=project.id, user=staff,
                            caption=f"{item.name}现场")
            db.session.add(ProgressUpdate(project_item_id=item.id, percent=item.progress_percent,
                                          status=item.progress_status, note="现场照片", photo_id=up.id,
                                          author_id=staff.id))
        db.session.commit()
        today = local_today()

        def full():
            with app.test_request_context():
                ctx = services.build_report_context(project, today)
                return ctx, services.render_report_pdf(ctx)

        def context_only():
            with app.test_request_context():
                return services.build_report_context(project, today)

        (full_s, full_cpu), (ctx, pdf) = timed(full, args.repeat)
        (ctx_s, ctx_cpu), _ = timed(context_only, args.repeat)
        with app.test_request_context():
            from flask import render_template
            html = render_template("pdf/progress_report.html", r=ctx)
        from pypdf import PdfReader
        out.update({"photos": len(ctx["photos"]), "photo_originals_mb": round(originals / 2**20, 1),
                    "pdf_mb": round(len(pdf) / 2**20, 2), "pages": len(PdfReader(io.BytesIO(pdf)).pages),
                    "full_s": round(full_s, 3), "full_cpu_s": round(full_cpu, 3), "context_s": round(ctx_s, 3),
                    "context_cpu_s": round(ctx_cpu, 3)})

        # 1. the same HTML with a Latin-only font, in a child process that knows no CJK font
        (work / "fc").mkdir()
        (work / "fc" / "fonts.conf").write_text(LATIN_FONTCONFIG.format(cache=work / "fc" / "cache"))
        (work / "latin.html").write_text(latin_html(html), encoding="utf-8")
        roots = [app.static_folder, app.config["UPLOAD_FOLDER"]]
        env = {**os.environ, "FONTCONFIG_FILE": str(work / "fc" / "fonts.conf")}
        child = subprocess.run([sys.executable, "-c", CHILD, str(ROOT), str(work / "latin.html"), json.dumps(roots),
                                str(args.repeat)], capture_output=True, text=True, env=env, check=True)
        latin = json.loads(child.stdout.strip().splitlines()[-1])
        # the CJK render of the same saved HTML, for the record (full_s adds the context and the template)
        (cjk_html_s, cjk_html_cpu), _ = timed(
            lambda: services.render_pdf(html, base_dir=roots[0], allowed_roots=roots), args.repeat)
        out.update({"latin_html_s": round(latin["seconds"], 3), "latin_html_cpu_s": round(latin["cpu"], 3),
                    "cjk_html_s": round(cjk_html_s, 3), "cjk_html_cpu_s": round(cjk_html_cpu, 3),
                    "cjk_ratio": round(full_cpu / latin["cpu"], 2),
                    "cjk_ratio_wall": round(full_s / latin["seconds"], 2),
                    "latin_child_maxrss_mb": round(latin["maxrss_mb"])})

        # 2. 2,200 households against 1,100
        community = db.session.scalar(select(Community).where(Community.name == "西十里铺北社区"))
        small = make_compound_project(community, "基准一千一小区", 1100, staff, today)
        large = make_compound_project(community, "基准两千二小区", 2200, staff, today)

        def run(p):
            def go():
                with app.test_request_context():
                    c = services.build_report_context(p, today)
                    return services.render_report_pdf(c)
            return go

        (small_s, small_cpu), _ = timed(run(small), args.repeat)
        (large_s, large_cpu), _ = timed(run(large), args.repeat)
        out.update({"households_1100_s": round(small_s, 3), "households_2200_s": round(large_s, 3),
                    "households_1100_cpu_s": round(small_cpu, 3), "households_2200_cpu_s": round(large_cpu, 3),
                    "scale_ratio": round(large_cpu / small_cpu, 2), "scale_ratio_wall": round(large_s / small_s, 2)})

        # 3. cache: a hit costs the context, its fingerprint and a file read
        with app.test_request_context():
            t = time.perf_counter()
            services.project_report(project, today)
            miss_s = time.perf_counter() - t
            (hit_s, _), (_, _, hit) = timed(lambda: services.project_report(project, today), args.repeat)
        assert hit
        out.update({"cache_miss_s": round(miss_s, 3), "cache_hit_s": round(hit_s, 3),
                    "maxrss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)})

    print(f"demo report (嵩岳小区, 1,128 households, {out['photos']} photos, {out['pages']} pages)   CPU s / wall s")
    print(f"  full report (context + template + PDF)   {out['full_cpu_s']:.3f} / {out['full_s']:.3f}"
          f"   (context alone {out['context_cpu_s']:.3f} / {out['context_s']:.3f})")
    print(f"  same HTML, CJK fonts                     {out['cjk_html_cpu_s']:.3f} / {out['cjk_html_s']:.3f}")
    print(f"  same HTML, Latin-only font (DejaVu)      {out['latin_html_cpu_s']:.3f} / {out['latin_html_s']:.3f}")
    print(f"  CJK ratio  full / Latin                  {out['cjk_ratio']:.2f}   (goal <= 1.3; wall {out['cjk_ratio_wall']:.2f})")
    print(f"  2,200 households {out['households_2200_cpu_s']:.3f} / 1,100 households {out['households_1100_cpu_s']:.3f}"
          f" = {out['scale_ratio']:.2f}   (goal <= 2.2; wall {out['scale_ratio_wall']:.2f})")
    print(f"  PDF size {out['pdf_mb']:.2f} MB with {out['photos']} photos "
          f"(originals added here: {out['photo_originals_mb']} MB)   (goal < 5 MB)")
    print(f"  peak memory (max RSS) {out['maxrss_mb']} MB this process, {out['latin_child_maxrss_mb']} MB Latin child")
    print(f"  cache: miss {out['cache_miss_s']:.3f} s, hit {out['cache_hit_s']:.3f} s (wall)")
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
