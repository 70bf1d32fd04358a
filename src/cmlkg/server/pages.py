"""HTML pages of resources and graphs, the ontology's documentation, citations."""

from __future__ import annotations

import html
import re

from cmlkg.namespaces import BASE, CML, DCTERMS, FOAF, PREFIXES, PRISM

RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def _resource_html(iri: str, page_rows: list[dict]) -> str:
    quotes = sorted({r["quote"] for r in page_rows if "quote" in r})
    rows = [r for r in page_rows if "p" in r]
    items = []
    for r in rows:
        o = r["o"]
        value = html.escape(o["value"])
        if o["type"] == "uri":
            href = o["value"].replace(BASE, "/") if o["value"].startswith(BASE) else o["value"]
            value = (
                f'<a href="{html.escape(href)}">{html.escape(r["label"]) if r.get("label") else value}</a>'
            )
            if r.get("detail"):
                value += f' <span class="detail">({html.escape(r["detail"])})</span>'
        items.append(f"<tr><td>{html.escape(_curie(r['p']))}</td><td>{value}</td></tr>")
    quote_html = "".join(f"<blockquote>{html.escape(q)}</blockquote>" for q in quotes)
    title = html.escape(_page_title(iri, rows))
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font-family:sans-serif;max-width:60em;margin:2em auto}}td{{padding:.2em .6em;vertical-align:top}}
blockquote{{background:#f4f4f4;padding:.5em;border-left:4px solid #888}}
h1{{overflow-wrap:anywhere}}</style></head><body>
<p><a href="/">cmlkg</a></p><h1>{html.escape(iri)}</h1>
{_citation_html(rows)}
{("<h2>Source text</h2>" + quote_html) if quotes else ""}
<h2>Facts</h2><table>{"".join(items)}</table></body></html>"""


def _page_title(iri: str, rows: list[dict]) -> str:
    """What a browser tab shows for a resource: its title (an abstract's article title, else its
    first sentence) or its label, then the site; the IRI when it has neither."""
    values: dict[str, str] = {}
    for r in rows:
        if r["o"]["type"] == "literal":
            values.setdefault(r["p"], r["o"]["value"])
    name = values.get(DCTERMS + "title") or values.get(CML + "title") or values.get(RDFS_LABEL)
    return f"{name} · cmlkg" if name else iri


def _link(value: str) -> str:
    href = value.replace(BASE, "/") if value.startswith(BASE) else value
    return f'<a href="{html.escape(href)}">{html.escape(_curie(value))}</a>'


def _graph_html(iri: str, rows: list) -> str:
    """An abstract's named graph as a page: every subject with its properties."""
    parts, last = [], None
    for s, p, o in rows:
        if s != last:
            parts.append(f"<tr><th colspan=2>{_link(s)}</th></tr>")
            last = s
        value = _link(o["value"]) if o["type"] == "uri" else html.escape(o["value"])
        parts.append(f"<tr><td>{html.escape(_curie(p))}</td><td>{value}</td></tr>")
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(iri)}</title>
<style>body{{font-family:sans-serif;max-width:70em;margin:2em auto}}
td,th{{padding:.2em .6em;vertical-align:top;text-align:left}}
th{{padding-top:1em}}h1{{overflow-wrap:anywhere}}</style></head><body>
<p><a href="/">cmlkg</a></p><h1>{html.escape(iri)}</h1><p>{len(rows)} triples in this named graph.</p>
<table>{"".join(parts)}</table></body></html>"""


def _ontology_html() -> str:
    """HTML documentation of the ontology by pyLODE: every class and property with its label,
    definition, hierarchy, domain and range, and mappings; links into this graph stay on this server."""
    import logging

    from pylode import OntPub

    from cmlkg.vocabulary import ontology_path

    logging.getLogger().setLevel(logging.WARNING)  # pyLODE configures the root logger at INFO
    html_text = OntPub(ontology=str(ontology_path())).make_html()
    html_text = html_text.replace(
        '<div id="namespaces">', _individuals_html(ontology_path()) + '<div id="namespaces">', 1
    )
    return _term_anchors(html_text).replace('href="' + BASE, 'href="/')


def _individuals_html(path) -> str:
    """The ontology's named individuals (sexes, risk groups, the extractor), which pyLODE leaves out."""
    import rdflib
    from rdflib.namespace import OWL, RDF, RDFS, SKOS

    g = rdflib.Graph().parse(path)
    parts = []
    for ind in sorted(
        (s for s in g.subjects(RDF.type, OWL.NamedIndividual) if str(s).startswith(CML)), key=str
    ):
        local = str(ind).removeprefix(CML)
        types = sorted(str(t) for t in g.objects(ind, RDF.type) if t != OWL.NamedIndividual)
        label = g.value(ind, RDFS.label) or local
        definition = g.value(ind, SKOS.definition)
        rows = [f"<tr><th>IRI</th><td><code>{html.escape(str(ind))}</code></td></tr>"]
        rows += [f"<tr><th>Type</th><td>{_link(t)}</td></tr>" for t in types]
        if definition:
            rows.append(f"<tr><th>Description</th><td><p>{html.escape(str(definition))}</p></td></tr>")
        parts.append(
            f'<div class="property entity" id="{html.escape(local)}"><h3>{html.escape(str(label))} '
            f'<sup class="sup-ni" title="OWL Named Individual">ni</sup></h3>'
            f"<table>{''.join(rows)}</table></div>"
        )
    return f'<div id="individuals"><h2>Named Individuals</h2>{"".join(parts)}</div>' if parts else ""


_ENTITY = re.compile(
    r'(<div class="[^"]*entity[^"]*" id="[^"]+">)(\s*<h3>.*?</h3>\s*<table>\s*<tr>\s*<th>IRI</th>'
    r"\s*<td>\s*<code>([^<]+)</code>)",
    re.S,
)


def _term_anchors(page: str) -> str:
    """An anchor named by each term's local name (``/ontology#Study``), where links to the term lead.

    pyLODE names a term's section by its label, lower-cased when two names differ only in case
    (``study`` for both ``cml:Study`` and ``cml:study``), so a link to ``#Study`` would find nothing."""
    ids = set(re.findall(r'\bid="([^"]+)"', page))

    def anchor(m: re.Match) -> str:
        local = m.group(3).removeprefix(CML)
        if m.group(3).startswith(CML) and local not in ids:
            ids.add(local)
            return f'{m.group(1)}<span id="{html.escape(local)}"></span>{m.group(2)}'
        return m.group(0)

    return _ENTITY.sub(anchor, page)


def _citation_html(rows: list[dict]) -> str:
    """The paper an abstract belongs to (title, journal, year, PubMed and DOI links) if the graph knows it."""
    values: dict[str, list[str]] = {}
    for r in rows:
        values.setdefault(r["p"], []).append(r["o"]["value"])
    title = values.get(DCTERMS + "title", [None])[0]
    journal = values.get(PRISM + "publicationName", [None])[0]
    year = values.get(DCTERMS + "issued", [None])[0]
    links = [(page, "PubMed") for page in values.get(FOAF + "page", []) if page.startswith("https://pubmed.")]
    links += [
        (src, "DOI " + src.removeprefix("https://doi.org/"))
        for src in values.get(DCTERMS + "source", [])
        if src.startswith("https://doi.org/")
    ]
    if not (title or journal or links):
        return ""
    parts = [f'<p class="citation"><cite>{html.escape(title)}</cite></p>' if title else ""]
    where = ", ".join(html.escape(x) for x in (journal, year) if x)
    if where:
        parts.append(f'<p class="journal">{where}</p>')
    if links:
        parts.append(
            "<p>"
            + " · ".join(f'<a href="{html.escape(href)}">{html.escape(text)}</a>' for href, text in links)
            + "</p>"
        )
    return "".join(parts)


def _curie(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri
