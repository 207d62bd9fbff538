"""What a scale run writes: the raw figures (JSON), one plot per figure against the tenant count
(PNG, matplotlib's Agg backend: no display) and the table between the markers of
docs/operators/scaling.md. Everything outside the markers is hand-written and left alone."""

from __future__ import annotations

import json
import os
import platform
from dataclasses import dataclass
from pathlib import Path

BEGIN, END = "<!-- scale:begin -->", "<!-- scale:end -->"
#: latency at the largest step within this factor of the 10-tenant baseline (issue 17)
TARGET_RATIO = 1.2


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    unit: str
    plot: str  # the PNG it is drawn in
    against_baseline: bool = False


FIGURES = [
    Figure("create_mean_ms", "tenant creation, mean of the last batch", "ms", "tenant-creation"),
    Figure("create_p95_ms", "tenant creation, p95 of the last batch", "ms", "tenant-creation"),
    Figure("migrate_noop_s", "`portalwerk tenants migrate`, nothing to do", "s", "migrate-noop"),
    *(
        Figure(
            f"{kind}_{traffic}_{p}_ms",
            f"{label}, {where}, {p}",
            "ms",
            kind.replace("_", "-"),
            against_baseline=True,
        )
        for kind, label in (
            ("service_page", "uncached service page"),
            ("search", "search"),
            ("graphql", "GraphQL catalogue query"),
        )
        for traffic, where in (("one", "one tenant"), ("spread", "spread over many"))
        for p in ("p50", "p95")
    ),
    Figure("worker_rss_mb", "web worker RSS after serving many tenants", "MB", "worker-memory"),
    Figure("worker_rss_one_tenant_mb", "web worker RSS after one tenant", "MB", "worker-memory"),
    Figure("backend_contexts_mb", "PostgreSQL backend, all memory contexts", "MB", "backend"),
    Figure("backend_cache_mb", "PostgreSQL backend, CacheMemoryContext", "MB", "backend"),
    Figure("backend_rss_anon_mb", "PostgreSQL backend, private RSS", "MB", "backend"),
    Figure("pg_class_rows", "pg_class rows", "", "pg-class"),
    Figure("catalogue_mb", "system catalogue tables", "MB", "catalogue-size"),
    Figure("database_mb", "database size", "MB", "catalogue-size"),
]


TITLES = {
    "tenant-creation": "Creating a tenant (clone of the template)",
    "migrate-noop": "tenants migrate with nothing to do",
    "service-page": "Uncached service page",
    "search": "Search",
    "graphql": "GraphQL catalogue query",
    "worker-memory": "Web worker memory",
    "backend": "PostgreSQL backend memory",
    "pg-class": "Rows of pg_class",
    "catalogue-size": "Catalogue and database size",
}


def load(path: Path) -> dict:
    if path.exists():
        return json.loads(path.read_text())
    return {"steps": {}}


def save(path: Path, record: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(record, indent=2, sort_keys=True) + "\n")
    temporary.replace(path)


def machine() -> dict[str, object]:
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = 0.0
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        memory = int(meminfo.read_text().split()[1]) / 1024 / 1024
    return {
        "cores": os.cpu_count() or 1,
        "cpu": model,
        "memory_gb": round(memory, 1),
        "python": platform.python_version(),
    }


def _steps(record: dict) -> list[tuple[int, dict]]:
    return sorted((int(count), values) for count, values in record["steps"].items())


def _cell(value: float | None, base: float | None, figure: Figure) -> str:
    if value is None:
        return "–"
    text = f"{value:,.0f}" if abs(value) >= 100 or figure.unit == "" else f"{value:.1f}"
    if figure.against_baseline and base:
        text += f" ({value / base:.2f}×)"
    return text


def _plain(value) -> str:
    if value is None:
        return "–"
    return f"{value:.1f}" if isinstance(value, float) else str(value)


def table(record: dict) -> str:
    steps = _steps(record)
    base = steps[0][1] if steps else {}
    counts = [f"{count:,}" for count, _values in steps]
    lines = [
        "| figure | unit | " + " | ".join(counts) + " |",
        "| --- | --- | " + " | ".join("---" for _ in counts) + " |",
    ]
    for figure in FIGURES:
        cells = [
            _cell(values.get(figure.key), base.get(figure.key), figure) for _c, values in steps
        ]
        lines.append(f"| {figure.label} | {figure.unit} | " + " | ".join(cells) + " |")
    for key, label in (
        ("load_average_1m", "machine's load average (1 min) before the latencies"),
        ("spread_tenants", "tenants the spread traffic visits"),
        ("worker_tenants_served", "tenants the worker served"),
        ("backend_schemas_touched", "schemas the backend touched"),
    ):
        cells = [_plain(values.get(key)) for _c, values in steps]
        lines.append(f"| {label} | | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def plots(record: dict, folder: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    steps = _steps(record)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in dict.fromkeys(figure.plot for figure in FIGURES):
        members = [figure for figure in FIGURES if figure.plot == name]
        fig, axes = pyplot.subplots(figsize=(6.4, 3.6), dpi=100)
        for figure in members:
            points = [(c, v[figure.key]) for c, v in steps if v.get(figure.key) is not None]
            if points:
                axes.plot(*zip(*points, strict=True), marker="o", label=figure.label)
        axes.set_title(TITLES[name], fontsize="medium")
        axes.set_xlabel("tenants")
        axes.set_ylabel(members[0].unit or "count")
        axes.set_ylim(bottom=0)
        axes.grid(alpha=0.3)
        axes.legend(fontsize="small")
        fig.tight_layout()
        path = folder / f"{name}.png"
        fig.savefig(path)
        pyplot.close(fig)
        written.append(path)
    return written


def section(record: dict, images: list[Path], doc: Path) -> str:
    info = record.get("machine", {})
    relative = [os.path.relpath(image, doc.parent) for image in images]
    verdict = []
    steps = _steps(record)
    if len(steps) > 1:
        (first, base), (last, top) = steps[0], steps[-1]
        for figure in FIGURES:
            if figure.against_baseline and base.get(figure.key) and figure.key.endswith("p50_ms"):
                ratio = top[figure.key] / base[figure.key]
                mark = "within" if ratio <= TARGET_RATIO else "**over**"
                verdict.append(f"- {figure.label}: {ratio:.2f}× ({mark} {TARGET_RATIO}×)")
    lines = [
        BEGIN,
        "<!-- generated by `make scale` (tests/scale); edits here are overwritten -->",
        "",
        f"Run finished {record.get('finished', '?')} on {info.get('cores', '?')} cores "
        f"({info.get('cpu', '?')}, {info.get('memory_gb', '?')} GB RAM), load average "
        f"{record.get('load_average', '?')} at the end; raw figures in "
        f"`{os.path.relpath(doc.parent / 'scaling-figures.json', doc.parent)}`. Latencies: "
        f"{record.get('clients', '?')} concurrent clients, {record.get('requests', '?')} "
        "requests per figure, each with a query string of its own (never from the page cache); "
        "in brackets the ratio to the first step.",
        "",
        table(record),
        "",
    ]
    if verdict:
        lines += [f"p50 latency at {last:,} tenants against {first:,}:", "", *verdict, ""]
    lines += [f"![{Path(path).stem}]({path})" for path in relative]
    lines += ["", END]
    return "\n".join(lines)


def update_doc(doc: Path, text: str) -> None:
    """Replace what lies between the markers (appended at the end when they are missing)."""
    current = doc.read_text() if doc.exists() else ""
    if BEGIN in current and END in current:
        head, rest = current.split(BEGIN, 1)
        _old, tail = rest.split(END, 1)
        doc.write_text(head + text + tail)
    else:
        doc.write_text(current.rstrip("\n") + "\n\n" + text + "\n")


def write(record: dict, *, out: Path, doc: Path) -> None:
    save(out / "scaling-figures.json", record)
    images = plots(record, out / "scaling")
    update_doc(doc, section(record, images, doc))
