"""Building from one large PubMed XML file: peak memory, and rate beside the same abstracts as .txt files.

    .venv/bin/python bench/pubmed_stream.py                 # 200 MB of generated records
    .venv/bin/python bench/pubmed_stream.py --mb 20         # quicker

The records are generated: the abstracts of bench's corpus (real CML abstracts under new
identifiers) wrapped in PubMed XML with the bulk real records carry (authors with affiliations,
MeSH headings, chemicals, a reference list), so the file is as large as a real export of the same
number of records. The same abstracts are also written as ``pubmed-<PMID>.txt`` files; both are
built with one job and the rates compared. Targets: peak RSS < 1 GiB; XML rate within 10% of .txt.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import CMLKG, ROOT, SOURCES, digest, timed_run  # noqa: E402

RECORD_BYTES = 20_000  # a PubMed XML record with authors, MeSH and references is 10-40 kB


def texts() -> list[str]:
    return [
        re.sub(r"\s+", " ", p.read_text(encoding="utf-8")).strip()
        for src in SOURCES
        for p in sorted(src.glob("*.txt"))
    ]


def record(pmid: int, text: str) -> str:
    authors = "".join(
        f'<Author ValidYN="Y"><LastName>Author{k}</LastName><ForeName>Given</ForeName><Initials>G</Initials>'
        f"<AffiliationInfo><Affiliation>Department of Hematology, University Hospital {k}, City, Country."
        f"</Affiliation></AffiliationInfo></Author>"
        for k in range(12)
    )
    mesh = "".join(
        f'<MeshHeading><DescriptorName UI="D{15000 + k:06d}" MajorTopicYN="N">Heading {k}'
        f'</DescriptorName><QualifierName UI="Q000188" MajorTopicYN="N">drug therapy</QualifierName>'
        f"</MeshHeading>"
        for k in range(15)
    )
    head = (
        f'<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">{pmid}</PMID>'
        f'<Article PubModel="Print"><Journal><JournalIssue CitedMedium="Internet"><Volume>{pmid % 90}</Volume>'
        f"<PubDate><Year>{2000 + pmid % 25}</Year></PubDate></JournalIssue><Title>Generated Journal of Hematology"
        f"</Title></Journal><ArticleTitle>Generated record {pmid}.</ArticleTitle>"
        f"<Abstract><AbstractText>{escape(text)}</AbstractText></Abstract><AuthorList>{authors}</AuthorList>"
        f"</Article><MeshHeadingList>{mesh}</MeshHeadingList></MedlineCitation><PubmedData><ArticleIdList>"
        f'<ArticleId IdType="pubmed">{pmid}</ArticleId><ArticleId IdType="doi">10.9999/gen.{pmid}</ArticleId>'
        f"</ArticleIdList><ReferenceList>"
    )
    refs, k = [], 0
    size = len(head)
    while size < RECORD_BYTES:
        ref = (
            f"<Reference><Citation>Author A, Author B, Author C. A cited study of chronic myeloid leukemia "
            f'number {k}. J Gen Hematol. 2001;{k}:1-10.</Citation><ArticleIdList><ArticleId IdType="pubmed">'
            f"{10_000_000 + k}</ArticleId></ArticleIdList></Reference>"
        )
        refs.append(ref)
        size += len(ref)
        k += 1
    return head + "".join(refs) + "</ReferenceList></PubmedData></PubmedArticle>\n"


def make_inputs(mb: int, work: Path) -> tuple[Path, Path, int]:
    xml_dir, txt_dir = work / "xml", work / "txt"
    n = mb * 1_000_000 // RECORD_BYTES
    marker = work / f"made-{mb}"
    if marker.exists():
        return xml_dir, txt_dir, n
    shutil.rmtree(work, ignore_errors=True)
    xml_dir.mkdir(parents=True)
    txt_dir.mkdir()
    pool = texts()
    with (xml_dir / "export.xml").open("w", encoding="utf-8") as fh:
        fh.write(
            '<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January '
            '2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n<PubmedArticleSet>\n'
        )
        for i in range(n):
            pmid = 30_000_000 + i
            text = pool[i % len(pool)]
            fh.write(record(pmid, text))
            (txt_dir / f"pubmed-{pmid}.txt").write_text(text, encoding="utf-8")
        fh.write("</PubmedArticleSet>\n")
    marker.touch()
    return xml_dir, txt_dir, n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=int, default=200, help="size of the generated XML file")
    ap.add_argument("--work", type=Path, default=ROOT / "bench" / "results" / "pubmed")
    args = ap.parse_args()
    xml_dir, txt_dir, n = make_inputs(args.mb, args.work)
    size = (xml_dir / "export.xml").stat().st_size
    results = {}
    for name, seeds in (("txt", txt_dir), ("xml", xml_dir)):
        build = args.work / f"build-{name}"
        shutil.rmtree(build, ignore_errors=True)
        seconds, peak_kb = timed_run(
            [*CMLKG, "build", "--seeds", str(seeds), "--build-dir", str(build), "-q"]
        )
        results[name] = {
            "seconds": round(seconds, 1),
            "rate": round(n / seconds, 1),
            "peak_rss_mib": peak_kb // 1024,
            "digest": digest(build)[:16],
        }
    ratio = results["xml"]["rate"] / results["txt"]["rate"]
    summary = {
        "records": n,
        "xml_bytes": size,
        **results,
        "xml_over_txt_rate": round(ratio, 3),
        "targets": {"peak_rss_mib": "< 1024 (xml)", "xml_over_txt_rate": ">= 0.9"},
    }
    (args.work.parent / "pubmed_stream.json").write_text(
        json.dumps(summary, indent=1) + "\n", encoding="utf-8"
    )
    print(f"{'input':6} {'records':>8} {'seconds':>8} {'rate/s':>8} {'peak RSS':>9}")
    for name in ("txt", "xml"):
        r = results[name]
        print(f"{name:6} {n:8} {r['seconds']:8} {r['rate']:8} {r['peak_rss_mib']:6} MiB")
    print(
        f"XML file {size / 1e6:.0f} MB; XML rate / .txt rate = {ratio:.3f} (target >= 0.9); "
        f"peak RSS target < 1024 MiB"
    )


if __name__ == "__main__":
    main()
