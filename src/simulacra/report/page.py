"""The look every Simulacra report shares: one self-contained HTML page, CSS inline, plots as data: URIs."""

from __future__ import annotations

from html import escape

CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;
color:#222;line-height:1.45}
h1{margin-bottom:.2em} .sub{color:#666;margin-top:0}
table{border-collapse:collapse;margin:1em 0;font-size:.95em} th,td{border-bottom:1px solid #ddd;padding:.35em .7em;
text-align:right;vertical-align:top} th:first-child,td:first-child{text-align:left}
th{background:#f4f4f4} td.win{font-weight:bold;color:#1d6b3f} td.lose{color:#888} .help{color:#777;font-size:.85em}
img{max-width:100%} .samples td,.samples th{text-align:left;max-width:330px;white-space:pre-wrap}
code{background:#f4f4f4;padding:0 .3em}
nav.toc{background:#f7f7f7;border:1px solid #e4e4e4;border-radius:6px;padding:.4em 1em;margin:.6em 0;
position:sticky;top:0;z-index:10} h2,h3{scroll-margin-top:3em}
nav.toc a{margin-right:1.1em;color:#1d4f8f;text-decoration:none;white-space:nowrap} nav.toc a:hover{text-decoration:underline}
.grid{display:flex;flex-wrap:wrap;gap:1.5em} .grid>div{flex:1 1 300px}
"""


def fmt(value, spec: str = "{:.3f}") -> str:
    """A number for a table cell; None shows as an em dash."""
    return "—" if value is None else spec.format(value)


def table_html(header: list[str], rows: list[list], cls: str = "", id: str = "") -> str:
    """A plain table; every cell is escaped."""
    head = "".join(f"<th>{escape(str(h))}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in r) + "</tr>" for r in rows)
    ident = f' id="{escape(id)}"' if id else ""
    return f'<table{ident} class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def img(src: str, alt: str) -> str:
    return f"<img alt='{escape(alt)}' src='{src}'>"


def nav(sections: list[tuple[str, str]]) -> str:
    """A table of contents: (anchor id, title) pairs become links to the sections."""
    links = " ".join(f"<a href='#{escape(anchor)}'>{escape(title)}</a>" for anchor, title in sections)
    return f"<nav class='toc'>{links}</nav>"


def section(anchor: str, title: str, *body: str) -> str:
    """An <h2> with an id the navigation links to, then the body's HTML."""
    return "\n".join([f"<h2 id='{escape(anchor)}'>{escape(title)}</h2>", *body])


def document(title: str, body: list[str], footer: str = "") -> str:
    """The whole page: head with the shared CSS, an <h1> title, the body parts, an optional footer line."""
    parts = [f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{escape(title)}</title>"
             f"<style>{CSS}</style></head><body>", f"<h1>{escape(title)}</h1>", *body]
    if footer:
        parts.append(f"<p class='help'>{footer}</p>")
    parts.append("</body></html>")
    return "\n".join(parts)
