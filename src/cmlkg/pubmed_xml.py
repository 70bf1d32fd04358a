"""PubMed XML (efetch, PubMed's "PubMed XML"): read as a stream of articles, in bounded memory and
linear time. The records it makes, and the other formats, are in :mod:`cmlkg.pubmed`."""

from __future__ import annotations

import contextlib
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from cmlkg.errors import InputError
from cmlkg.pubmed import Parts, Record, Skip, checked_pmid, clean, make_record, year_of

MAX_ARTICLE_BYTES = 16 << 20  # XML read without finishing an article; the largest real ones are ~1 MB
_FEED = 1 << 20
_ARTICLES = ("PubmedArticle", "PubmedBookArticle")


def _pull(path: Path, fh, events: tuple[str, ...]) -> Iterator[tuple[str, ET.Element, int]]:
    """``(event, element, bytes read)`` of an XML file, parsed in 1 MB feeds, or one large one after a feed
    that finished no element.

    Expat before 2.6 parses an unfinished token again on every feed, so a 20 MB comment or attribute
    in fixed 16 kB feeds costs seconds to minutes (CVE-2023-52425); feeding the rest of a long token
    at once keeps the whole parse linear. More than ``MAX_ARTICLE_BYTES`` without an event (one
    huge token or text) is refused: expat would hold it all in memory.
    """
    parser: ET.XMLPullParser = ET.XMLPullParser(events=events)  # type: ignore[arg-type]
    size, total, last = _FEED, 0, 0
    while chunk := fh.read(size):
        total += len(chunk)
        parser.feed(chunk)
        got = False
        for item in parser.read_events():
            got = True
            yield item[0], item[1], total  # type: ignore[misc]  # ("start"|"end", Element) for these events
        if got:
            size, last = _FEED, total
        elif total - last > MAX_ARTICLE_BYTES:
            raise InputError(
                f"{path}: {(total - last) >> 20} MB of XML from byte offset {last:,} without an "
                f"element ending (one huge comment, attribute or text?); the largest real PubMed "
                f"article is about 1 MB (limit {MAX_ARTICLE_BYTES >> 20} MB)"
            )
        else:
            size = (
                MAX_ARTICLE_BYTES  # the rest of the token in one feed: it is parsed again once, not per feed
            )
    parser.close()
    for item in parser.read_events():
        yield item[0], item[1], total  # type: ignore[misc]


def read_pubmed_xml(path: Path, fh: BinaryIO | None = None) -> Iterator[Record | Skip]:
    """The ``PubmedArticle`` (and ``PubmedBookArticle``) elements of a ``PubmedArticleSet`` (efetch, or
    PubMed's "PubMed XML"), streamed: each article is dropped once read, and more than
    ``MAX_ARTICLE_BYTES`` without a finished article is refused, so memory stays bounded."""
    pmid = None
    count, since = 0, 0
    try:
        with path.open("rb") if fh is None else contextlib.nullcontext(fh) as fh:
            _check_root(path, fh)
            fh.seek(0)
            # "end" events only: half the events of ("start", "end"), and a finished article is all we read
            for _event, elem, total in _pull(path, fh, ("end",)):
                tag = elem.tag
                if tag in _ARTICLES:
                    count += 1
                    pmid = elem.findtext("MedlineCitation/PMID") or elem.findtext("BookDocument/PMID")
                    yield (
                        _xml_article(path, elem, count)
                        if tag == "PubmedArticle"
                        else _xml_book(path, elem, count)
                    )
                    elem.clear()  # drop what was read: memory stays flat whatever the file size
                    since = total
                elif tag == "DeleteCitation":
                    elem.clear()
                    since = total
                elif total - since > MAX_ARTICLE_BYTES:
                    raise InputError(
                        f"{path}: {(total - since) >> 20} MB of XML without a complete article "
                        f"({'after PMID ' + pmid if pmid else 'from the start'}); the largest real "
                        f"PubMed article is about 1 MB (limit {MAX_ARTICLE_BYTES >> 20} MB)"
                    )
    except ET.ParseError as exc:
        line, column = exc.position
        after = f" (after PMID {pmid})" if pmid else ""
        raise InputError(
            f"{path}: line {line}, column {column + 1}: malformed XML{after}: {str(exc).split(':')[0]}"
        ) from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None


def _check_root(path: Path, fh) -> None:
    """Refuse an XML file whose root element is not ``PubmedArticleSet`` before reading it."""
    for _event, elem, _total in _pull(path, fh, ("start",)):
        if elem.tag != "PubmedArticleSet":
            raise InputError(
                f"{path}: an XML file whose root is <{elem.tag}>, not <PubmedArticleSet>: "
                "give PubMed XML (efetch or PubMed's 'PubMed XML' download)"
            )
        return
    raise InputError(f"{path}: an XML file without any element")


def _text(node: ET.Element | None) -> str:
    """The text of an element with inline markup (``<i>``, ``<sup>``, ``<sub>``) flattened readably.

    A superscript or subscript is joined to the word before it when it is a sign or digits
    ('CD34<sup>+</sup>' -> 'CD34+', 'IC<sub>50</sub>' -> 'IC50'), written as a power after digits
    ('10<sup>9</sup>/L' -> '10^9/L'), and otherwise kept a word apart ('BCR-ABL1<sup>IS</sup>' ->
    'BCR-ABL1 IS', not 'BCR-ABL1IS')."""
    if node is None:
        return ""
    out: list[str] = [node.text or ""]
    for child in node:
        inner = _text(child)
        before = "".join(out)[-1:]
        if child.tag in ("sup", "sub") and inner and before:
            if child.tag == "sup" and before.isdigit() and re.fullmatch(r"[-\u2212]?\d+", inner):
                inner = "^" + inner
            elif (
                not re.fullmatch(r"[-+\u2212\u00b1/]+|\d+", inner) and before.isalnum() and inner[0].isalnum()
            ):
                inner = " " + inner
        out.append(inner)
        out.append(child.tail or "")
    return "".join(out)


def _abstract_parts(container: ET.Element | None) -> Parts:
    parts = Parts()
    if container is not None:
        for node in container.findall("Abstract/AbstractText"):
            body = clean(_text(node))
            if body:
                parts.pieces.append((clean(node.get("Label")), clean(node.get("NlmCategory")), body))
    return parts


def _article_pmid(path: Path, pmid_text: str, what: str, count: int) -> tuple[str, str]:
    where = f"PMID {pmid_text}" if pmid_text else f"{what} {count}"
    if not pmid_text:
        raise InputError(f"{path}: {where}: the {what} has no PMID")
    return checked_pmid(pmid_text, path, where), where


def _xml_article(path: Path, art: ET.Element, count: int) -> Record | Skip:
    cit = art.find("MedlineCitation")
    pmid, where = _article_pmid(
        path, clean(cit.findtext("PMID")) if cit is not None else "", "article", count
    )
    assert cit is not None  # _article_pmid refused an article without its MedlineCitation/PMID
    article = cit.find("Article")
    doi = None
    for node in art.findall("PubmedData/ArticleIdList/ArticleId"):
        if node.get("IdType") == "doi" and node.text:
            doi = node.text.strip()
    if doi is None and article is not None:
        for node in article.findall("ELocationID"):
            if node.get("EIdType") == "doi" and node.text:
                doi = node.text.strip()
    mesh = []
    for node in cit.findall("MeshHeadingList/MeshHeading/DescriptorName"):
        ui = (node.get("UI") or "").strip()
        if ui[:1] == "D" and 6 <= len(ui) - 1 <= 9 and ui[1:].isdigit():  # a MeSH descriptor UI
            mesh.append((ui, clean(node.text), node.get("MajorTopicYN") == "Y"))
    date = article.find("Journal/JournalIssue/PubDate") if article is not None else None
    year = None
    if date is not None:
        year = year_of(date.findtext("Year")) or year_of(date.findtext("MedlineDate"))
    if year is None and article is not None:
        year = year_of(article.findtext("ArticleDate/Year"))
    return make_record(
        path,
        where,
        pmid,
        None,
        _abstract_parts(article),
        doi=doi,
        title=clean(_text(article.find("ArticleTitle"))) or None if article is not None else None,
        journal=clean(article.findtext("Journal/Title")) or None if article is not None else None,
        year=year,
        mesh=tuple(mesh),
    )


def _xml_book(path: Path, art: ET.Element, count: int) -> Record | Skip:
    """A ``PubmedBookArticle`` (a chapter of a book on the NCBI Bookshelf: StatPearls, GeneReviews...):
    read like an article, its book's title standing for the journal."""
    doc = art.find("BookDocument")
    pmid, where = _article_pmid(
        path, clean(doc.findtext("PMID")) if doc is not None else "", "book article", count
    )
    assert doc is not None  # _article_pmid refused a book article without its BookDocument/PMID
    doi = next(
        (
            n.text.strip()
            for n in doc.findall("ArticleIdList/ArticleId") + doc.findall("ELocationID")
            if "doi" in (n.get("IdType"), n.get("EIdType")) and n.text
        ),
        None,
    )
    title = clean(_text(doc.find("ArticleTitle"))) or clean(_text(doc.find("Book/BookTitle")))
    return make_record(
        path,
        where,
        pmid,
        None,
        _abstract_parts(doc),
        doi=doi,
        title=title or None,
        journal=clean(_text(doc.find("Book/BookTitle"))) or None,
        year=year_of(doc.findtext("Book/PubDate/Year")) or year_of(doc.findtext("ContributionDate/Year")),
        mesh=(),
    )
