//! Output formats: a readable line per file, a JSON list a script can read, or CSV rows. One
//! renderer serves classification and segmentation; each result type says what its rows hold.

use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;

use crate::classify::Classified;
use crate::segment::Segmented;

/// The output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// `path: class (p) class (p) …` (segmentation: `path: WxH class share … -> mask overlay`)
    Text,
    /// One JSON list of `{path, top: [{index, class, probability}], error?}` (segmentation:
    /// `{path, mask, overlay, size, fractions: [{id, class, fraction}], error?}`)
    Json,
    /// `path,rank,class,probability,error` rows (segmentation:
    /// `path,mask,overlay,class_id,class,fraction,error`)
    Csv,
}

/// One file's outcome, as the formats show it.
pub trait Report: Serialize {
    /// The CSV header line, `path` first and `error` last.
    const CSV_HEADER: &'static str;
    /// The input file, and why it could not be handled (`None` when it was).
    fn outcome(&self) -> (&Path, Option<&str>);
    /// The input file.
    fn path(&self) -> &Path {
        self.outcome().0
    }
    /// Why the file could not be handled.
    fn error(&self) -> Option<&str> {
        self.outcome().1
    }
    /// The text after `path:` for a file that succeeded.
    fn text(&self) -> String;
    /// The CSV fields between `path` and `error`, one list per row, for a file that succeeded.
    fn csv_rows(&self) -> Vec<Vec<String>>;
    /// The entry of a file that could not be read at all.
    fn failed(path: std::path::PathBuf, error: String) -> Self;
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Render `results` in `format`.
pub fn render<R: Report>(results: &[R], format: Format) -> String {
    let mut out = String::new();
    match format {
        Format::Text => {
            for r in results {
                let body = match r.error() {
                    Some(e) => format!(" error: {e}"),
                    None => r.text(),
                };
                let _ = writeln!(out, "{}:{body}", r.path().display());
            }
        }
        Format::Json => {
            out = serde_json::to_string_pretty(results).unwrap_or_else(|_| "[]".into());
            out.push('\n');
        }
        Format::Csv => {
            out.push_str(R::CSV_HEADER);
            out.push('\n');
            let blanks = R::CSV_HEADER.matches(',').count() - 1;
            for r in results {
                let path = csv_field(&r.path().display().to_string());
                match r.error() {
                    Some(e) => {
                        let _ = writeln!(out, "{path},{}{}", ",".repeat(blanks), csv_field(e));
                    }
                    None => {
                        for row in r.csv_rows() {
                            let fields: Vec<String> = row.iter().map(|f| csv_field(f)).collect();
                            let _ = writeln!(out, "{path},{},", fields.join(","));
                        }
                    }
                }
            }
        }
    }
    out
}

impl Report for Classified {
    const CSV_HEADER: &'static str = "path,rank,class,probability,error";

    fn failed(path: std::path::PathBuf, error: String) -> Self {
        Self {
            path,
            top: Vec::new(),
            error: Some(error),
            logits: None,
        }
    }

    fn outcome(&self) -> (&Path, Option<&str>) {
        (&self.path, self.error.as_deref())
    }

    fn text(&self) -> String {
        self.top
            .iter()
            .map(|p| format!(" {} ({:.4})", p.class, p.probability))
            .collect()
    }

    fn csv_rows(&self) -> Vec<Vec<String>> {
        self.top
            .iter()
            .enumerate()
            .map(|(rank, p)| {
                vec![
                    (rank + 1).to_string(),
                    p.class.clone(),
                    p.probability.to_string(),
                ]
            })
            .collect()
    }
}

fn shown(p: &Option<std::path::PathBuf>) -> String {
    p.as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_default()
}

impl Report for Segmented {
    const CSV_HEADER: &'static str = "path,mask,overlay,class_id,class,fraction,error";

    fn failed(path: std::path::PathBuf, error: String) -> Self {
        Self {
            path,
            mask: None,
            overlay: None,
            size: [0, 0],
            fractions: Vec::new(),
            error: Some(error),
        }
    }

    fn outcome(&self) -> (&Path, Option<&str>) {
        (&self.path, self.error.as_deref())
    }

    fn text(&self) -> String {
        let mut out = format!(" {}x{}", self.size[0], self.size[1]);
        for s in &self.fractions {
            let _ = write!(out, " {} {:.2}%", s.class, 100.0 * s.fraction);
        }
        let _ = write!(out, " -> {} {}", shown(&self.mask), shown(&self.overlay));
        out
    }

    fn csv_rows(&self) -> Vec<Vec<String>> {
        self.fractions
            .iter()
            .map(|s| {
                vec![
                    shown(&self.mask),
                    shown(&self.overlay),
                    s.id.to_string(),
                    s.class.clone(),
                    s.fraction.to_string(),
                ]
            })
            .collect()
    }
}
