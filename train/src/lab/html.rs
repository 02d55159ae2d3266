//! Self-contained HTML pages: every picture is embedded as a `data:image/png;base64` URI, there
//! is no script, no style sheet and no font to fetch, so the page opens from disk with no network.

use std::path::Path;

use super::error::LabError;
use super::report::Report;

/// Standard base64 (RFC 4648, with padding), as a `data:` URI holds it.
pub fn base64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// `s` with `& < > "` escaped.
pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const STYLE: &str = "body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}\
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #bbb;padding:3px 8px;text-align:right}\
th{background:#eee}td:first-child{text-align:left}img{max-width:100%;border:1px solid #ddd}\
figure{margin:1.5em 0}.claim{font-style:italic}li{margin:.3em 0}";

/// The head and the opening of a page titled `title`.
pub fn page_start(title: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t}</title>\
         <style>{STYLE}</style></head><body>\n<h1>{t}</h1>\n",
        t = escape(title)
    )
}

/// A table with `columns` and `rows`.
pub fn table(columns: &[String], rows: &[Vec<String>]) -> String {
    let mut out = String::from("<table><tr>");
    for c in columns {
        out.push_str(&format!("<th>{}</th>", escape(c)));
    }
    out.push_str("</tr>\n");
    for r in rows {
        out.push_str("<tr>");
        for f in r {
            out.push_str(&format!("<td>{}</td>", escape(f)));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table>\n");
    out
}

/// An `<img>` with the PNG at `path` embedded.
pub fn embedded_png(path: &Path, alt: &str) -> Result<String, LabError> {
    let bytes = std::fs::read(path).map_err(LabError::io(path))?;
    Ok(format!(
        "<img alt=\"{}\" src=\"data:image/png;base64,{}\">",
        escape(alt),
        base64(&bytes)
    ))
}

/// A `<figure>` with the PNG at `path` embedded and `caption` under it.
pub fn figure(path: &Path, caption: &str) -> Result<String, LabError> {
    Ok(format!(
        "<figure>{}<figcaption>{}</figcaption></figure>\n",
        embedded_png(path, caption)?,
        escape(caption)
    ))
}

/// The page of one experiment; pictures are read from `dir`.
pub fn experiment_page(report: &Report, dir: &Path) -> Result<String, LabError> {
    let mut out = page_start(&format!("Experiment: {}", report.name));
    out.push_str(&format!(
        "<p class=\"claim\">Claim: {}</p>\n<h2>Conclusions (computed from this run)</h2>\n<ul>\n",
        escape(&report.claim)
    ));
    for c in &report.conclusions {
        out.push_str(&format!("<li>{}</li>\n", escape(c)));
    }
    out.push_str("</ul>\n<h2>Setup</h2>\n<table>\n");
    for (k, v) in &report.setup {
        out.push_str(&format!(
            "<tr><td>{}</td><td style=\"text-align:left\">{}</td></tr>\n",
            escape(k),
            escape(v)
        ));
    }
    out.push_str(&format!(
        "<tr><td>wall time</td><td style=\"text-align:left\">{:.1} s</td></tr>\n</table>\n",
        report.seconds
    ));
    out.push_str("<h2>Results</h2>\n");
    out.push_str(&table(&report.columns, &report.rows));
    for p in &report.pictures {
        out.push_str(&figure(&dir.join(&p.file), &p.caption)?);
    }
    if !report.references.is_empty() {
        out.push_str("<h2>References</h2>\n<ul>\n");
        for r in &report.references {
            out.push_str(&format!("<li>{}</li>\n", escape(r)));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</body></html>\n");
    Ok(out)
}

/// The index page of `cargo xtask experiment all`: one row per experiment with its first
/// conclusion and a link to its page.
pub fn index_page(reports: &[(String, Option<Report>, String)]) -> String {
    let mut out = page_start("Experiments");
    out.push_str(
        "<table><tr><th>experiment</th><th>wall time</th><th>first conclusion</th></tr>\n",
    );
    for (name, report, status) in reports {
        match report {
            Some(r) => out.push_str(&format!(
                "<tr><td><a href=\"{n}/report.html\">{n}</a></td><td>{:.0} s</td>\
                 <td style=\"text-align:left\">{}</td></tr>\n",
                r.seconds,
                escape(r.conclusions.first().map_or("", |s| s.as_str())),
                n = escape(name)
            )),
            None => out.push_str(&format!(
                "<tr><td>{}</td><td>—</td><td style=\"text-align:left\">{}</td></tr>\n",
                escape(name),
                escape(status)
            )),
        }
    }
    out.push_str("</table>\n</body></html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::base64;

    #[test]
    fn base64_matches_rfc4648_vectors() {
        for (input, want) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(input.as_bytes()), want);
        }
    }
}
