//! What an experiment hands back and writes: the setup, one table (also `results.csv`), the
//! pictures, the conclusion sentences computed from the measured numbers, and the named numbers
//! themselves (what the tests assert on). The table is filled one variant at a time with
//! [`Report::row`] ([`super::table`]); [`Report::get`] reads a number back for the conclusions.
//! [`Report::write`] puts `results.csv`, `results.json`
//! and the self-contained `report.html` into the experiment's folder.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::error::LabError;
use super::html;

/// A PNG written by the experiment, with its caption.
#[derive(Debug, Clone, Serialize)]
pub struct Picture {
    /// The file, inside the experiment's folder.
    pub file: String,
    /// One sentence saying what it shows.
    pub caption: String,
}

/// An experiment's results.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// The experiment's name (`init`, …).
    pub name: String,
    /// The lecture's claim under test.
    pub claim: String,
    /// The papers the experiment draws on.
    pub references: Vec<String>,
    /// Setup lines (data, network, budget, seed).
    pub setup: Vec<(String, String)>,
    /// Table header.
    pub columns: Vec<String>,
    /// Table rows (already formatted).
    pub rows: Vec<Vec<String>>,
    /// The pictures.
    pub pictures: Vec<Picture>,
    /// Sentences derived from the numbers.
    pub conclusions: Vec<String>,
    /// Named measurements (`"relu/he/last_std"` → 0.83), for tests and `results.json`.
    pub numbers: BTreeMap<String, f64>,
    /// Wall seconds the experiment took.
    pub seconds: f64,
}

impl Report {
    /// An empty report for `name` testing `claim`.
    pub fn new(name: &str, claim: &str) -> Self {
        Self {
            name: name.to_string(),
            claim: claim.to_string(),
            ..Default::default()
        }
    }

    /// The same report citing `references` (the papers the experiment draws on).
    pub fn cite(mut self, references: &[&str]) -> Self {
        self.references = references.iter().map(|r| r.to_string()).collect();
        self
    }

    /// Adds a setup line.
    pub fn setup(&mut self, key: &str, value: impl Into<String>) {
        self.setup.push((key.to_string(), value.into()));
    }

    /// Records a named number.
    pub fn number(&mut self, key: impl Into<String>, value: f64) {
        self.numbers.insert(key.into(), value);
    }

    /// A recorded number, NaN when absent.
    pub fn get(&self, key: &str) -> f64 {
        self.numbers.get(key).copied().unwrap_or(f64::NAN)
    }

    /// `show` of the number `variant/name` of each of `variants`, in their order: the values one
    /// sentence compares, ready for named arguments of `format!`.
    pub fn each<const N: usize>(
        &self,
        variants: [&str; N],
        name: &str,
        show: impl Fn(f64) -> String,
    ) -> [String; N] {
        variants.map(|v| show(self.get(&format!("{v}/{name}"))))
    }

    /// Adds a picture.
    pub fn picture(&mut self, file: &str, caption: impl Into<String>) {
        self.pictures.push(Picture {
            file: file.to_string(),
            caption: caption.into(),
        });
    }

    /// Writes `results.csv`, `results.json` and `report.html` into `dir`.
    pub fn write(&self, dir: &Path) -> Result<PathBuf, LabError> {
        std::fs::create_dir_all(dir).map_err(LabError::io(dir))?;
        let csv = dir.join("results.csv");
        std::fs::write(&csv, csv_text(&self.columns, &self.rows)).map_err(LabError::io(&csv))?;
        let json = dir.join("results.json");
        let text = serde_json::to_string_pretty(self)
            .map_err(|e| LabError::Config(format!("results.json: {e}")))?;
        std::fs::write(&json, text).map_err(LabError::io(&json))?;
        let page = dir.join("report.html");
        std::fs::write(&page, html::experiment_page(self, dir)?).map_err(LabError::io(&page))?;
        Ok(page)
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// A CSV text with the header `columns` and `rows`.
pub fn csv_text(columns: &[String], rows: &[Vec<String>]) -> String {
    let mut out = String::new();
    for line in std::iter::once(columns).chain(rows.iter().map(|r| r.as_slice())) {
        let fields: Vec<String> = line.iter().map(|f| csv_field(f)).collect();
        out.push_str(&fields.join(","));
        out.push('\n');
    }
    out
}

/// A number in a readable form: 3 significant digits, scientific notation when very small or
/// large, `diverged` for a non-finite value.
pub fn fmt(v: f64) -> String {
    if !v.is_finite() {
        return "diverged".to_string();
    }
    let a = v.abs();
    if a != 0.0 && !(1e-3..1e5).contains(&a) {
        format!("{v:.2e}")
    } else if a >= 100.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.3}")
    }
}

/// A fraction as a percentage with one decimal.
pub fn pct(v: f64) -> String {
    format!("{:.1} %", 100.0 * v)
}
