"""HTML pages of resources and graphs, the ontology's documentation, citations."""

from __future__ import annotations

import html

from cmlkg.namespaces import BASE, DCTERMS, FOAF, PREFIXES, PRISM


def _resource_html(iri: str, page_rows: list[dict]) -> str:
    quotes = sorted({r["quote"] for r in page_rows if "quote" in r})
    rows = [r for r in page_rows if "p" in r]
    items = []
    for r in rows:
        o = r["o"]
        value = html.escape(o["value"])
        if o["type"] == "uri":
            href = o["value"].replace(BASE, "/") if o["value"].startswith(BASE) else o["value"]
            value = f'<a href="{html.escape(href)}">{html.escape(r["label"]) if r.get("label") else value}</a>'
            if r.get("detail"):
                value += f' <span class="detail">({html.escape(r["detail"])})</span>'
        items.append(f"<tr><td>{html.escape(_curie(r['p']))}</td><td>{value}</td></tr>")
    quote_html = "".join(f"<blockquote>{html.escape(q)}</blockquote>" for q in quotes)
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(iri)}</title>
<style>body{{font-family:sans-serif;max-width:60em;margin:2em auto}}td{{padding:.2em .6em;vertical-align:top}}
blockquote{{background:#f4f4f4;padding:.5em;border-left:4px solid #888}}h1{{overflow-wrap:anywhere}}</style></head><body>
<p><a href="/">cmlkg</a></p><h1>{html.escape(iri)}</h1>
{_citation_html(rows)}
{('<h2>Source text</h2>' + quote_html) if quotes else ''}
<h2>Facts</h2><table>{''.join(items)}</table></body></html>"""


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
<style>body{{font-family:sans-serif;max-width:70em;margin:2em auto}}td,th{{padding:.2em .6em;vertical-align:top;text-align:left}}
th{{padding-top:1em}}h1{{overflow-wrap:anywhere}}</style></head><body>
<p><a href="/">cmlkg</a></p><h1>{html.escape(iri)}</h1><p>{len(rows)} triples in this named graph.</p>
<table>{''.join(parts)}</table></body></html>"""


def _ontology_html() -> str:
    """HTML documentation of the ontology by pyLODE: every class and property with its label,
    definition, hierarchy, domain and range, and mappings; links into this graph stay on this server."""
    import logging

    from pylode import OntPub

    from cmlkg.vocabulary import ontology_path

    logging.getLogger().setLevel(logging.WARNING)  # pyLODE configures the root logger at INFO
    html_text = OntPub(ontology=str(ontology_path())).make_html()
    return html_text.replace('href="' + BASE, 'href="/')


def _citation_html(rows: list[dict]) -> str:
    """The paper an abstract belongs to (title, journal, year, PubMed and DOI links), if the graph knows it."""
    values: dict[str, list[str]] = {}
    for r in rows:
        values.setdefault(r["p"], []).append(r["o"]["value"])
    title = values.get(DCTERMS + "title", [None])[0]
    journal = values.get(PRISM + "publicationName", [None])[0]
    year = values.get(DCTERMS + "issued", [None])[0]
    links = [(page, "PubMed") for page in values.get(FOAF + "page", []) if page.startswith("https://pubmed.")]
    links += [(src, "DOI " + src.removeprefix("https://doi.org/")) for src in values.get(DCTERMS + "source", [])
              if src.startswith("https://doi.org/")]
    if not (title or journal or links):
        return ""
    parts = [f"<p class=\"citation\"><cite>{html.escape(title)}</cite></p>" if title else ""]
    where = ", ".join(html.escape(x) for x in (journal, year) if x)
    if where:
        parts.append(f"<p class=\"journal\">{where}</p>")
    if links:
        parts.append("<p>" + " · ".join(f'<a href="{html.escape(href)}">{html.escape(text)}</a>' for href, text in links)
                     + "</p>")
    return "".join(parts)


def _curie(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri
