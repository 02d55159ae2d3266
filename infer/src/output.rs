//! Output formats: a readable line per file, a JSON list a script can read, or CSV rows.

use std::fmt::Write as _;

use crate::classify::Classified;

/// The output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// `path: class (p) class (p) …`
    Text,
    /// One JSON list of `{path, top: [{index, class, probability}], error?}`.
    Json,
    /// `path,rank,class,probability,error` rows.
    Csv,
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Render `results` in `format`.
pub fn render(results: &[Classified], format: Format) -> String {
    let mut out = String::new();
    match format {
        Format::Text => {
            for r in results {
                let _ = write!(out, "{}:", r.path.display());
                match &r.error {
                    Some(e) => {
                        let _ = write!(out, " error: {e}");
                    }
                    None => {
                        for p in &r.top {
                            let _ = write!(out, " {} ({:.4})", p.class, p.probability);
                        }
                    }
                }
                out.push('\n');
            }
        }
        Format::Json => {
            out = serde_json::to_string_pretty(results).unwrap_or_else(|_| "[]".into());
            out.push('\n');
        }
        Format::Csv => {
            out.push_str("path,rank,class,probability,error\n");
            for r in results {
                let path = csv_field(&r.path.display().to_string());
                match &r.error {
                    Some(e) => {
                        let _ = writeln!(out, "{path},,,,{}", csv_field(e));
                    }
                    None => {
                        for (rank, p) in r.top.iter().enumerate() {
                            let _ = writeln!(
                                out,
                                "{path},{},{},{},",
                                rank + 1,
                                csv_field(&p.class),
                                p.probability
                            );
                        }
                    }
                }
            }
        }
    }
    out
}
