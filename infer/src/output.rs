//! Output formats: a readable line per file, a JSON list a script can read, or CSV rows.

use std::fmt::Write as _;

use crate::classify::Classified;

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

/// Render segmentation `results` in `format`: text lists each file's outputs and class shares,
/// JSON the same fields, CSV one `path,mask,overlay,class_id,class,fraction,error` row per class.
pub fn render_segmented(results: &[crate::segment::Segmented], format: Format) -> String {
    let mut out = String::new();
    let shown = |p: &Option<std::path::PathBuf>| {
        p.as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_default()
    };
    match format {
        Format::Text => {
            for r in results {
                let _ = write!(out, "{}:", r.path.display());
                match &r.error {
                    Some(e) => {
                        let _ = write!(out, " error: {e}");
                    }
                    None => {
                        let _ = write!(out, " {}x{}", r.size[0], r.size[1]);
                        for s in &r.fractions {
                            let _ = write!(out, " {} {:.2}%", s.class, 100.0 * s.fraction);
                        }
                        let _ = write!(out, " -> {} {}", shown(&r.mask), shown(&r.overlay));
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
            out.push_str("path,mask,overlay,class_id,class,fraction,error\n");
            for r in results {
                let path = csv_field(&r.path.display().to_string());
                match &r.error {
                    Some(e) => {
                        let _ = writeln!(out, "{path},,,,,,{}", csv_field(e));
                    }
                    None => {
                        for s in &r.fractions {
                            let _ = writeln!(
                                out,
                                "{path},{},{},{},{},{},",
                                csv_field(&shown(&r.mask)),
                                csv_field(&shown(&r.overlay)),
                                s.id,
                                csv_field(&s.class),
                                s.fraction
                            );
                        }
                    }
                }
            }
        }
    }
    out
}
