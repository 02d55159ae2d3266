//! An experiment's table, one variant at a time: [`Report::row`] starts the row of a variant and
//! every cell is declared together with its column's header, so the header (`report.columns`,
//! taken from the first row) and the rows cannot drift apart. The same row records the
//! variant's named numbers, `key/name`, which the conclusions and the tests read back with
//! [`Report::get`]; a number may be shown, recorded, or both.
//!
//! ```ignore
//! report
//!     .row("max")                               // numbers named "max/…"
//!     .text("pooling", "max")
//!     .fmt("final train loss", loss)            // shown with `fmt`, not recorded
//!     .number("train_loss", loss)               // recorded, not shown
//!     .test_acc(&fitted)                        // "test acc" column and "max/test_acc"
//!     .end();                                   // appends the row
//! ```

use super::fit::{EpochPoint, Fitted};
use super::report::{Report, fmt, pct};

/// A table row under construction; [`Row::end`] appends it to the report.
#[must_use = "a row reaches the table only through `end`"]
pub struct Row<'a> {
    report: &'a mut Report,
    key: String,
    columns: Vec<String>,
    cells: Vec<String>,
}

impl Report {
    /// Starts a row of the table for the variant whose numbers are named `key/…`.
    pub fn row(&mut self, key: impl Into<String>) -> Row<'_> {
        Row {
            report: self,
            key: key.into(),
            columns: Vec::new(),
            cells: Vec::new(),
        }
    }
}

impl Row<'_> {
    /// A cell of column `column` showing `text`.
    pub fn text(mut self, column: &str, text: impl Into<String>) -> Self {
        self.columns.push(column.to_string());
        self.cells.push(text.into());
        self
    }

    /// A cell showing `value` in the readable form of [`fmt`].
    pub fn fmt(self, column: &str, value: f64) -> Self {
        self.text(column, fmt(value))
    }

    /// A cell showing the fraction `value` as a percentage ([`pct`]).
    pub fn pct(self, column: &str, value: f64) -> Self {
        self.text(column, pct(value))
    }

    /// A cell showing `show` of the last epoch of `fitted`, `-` when no epoch completed.
    pub fn at_last<M>(
        self,
        column: &str,
        fitted: &Fitted<M>,
        show: impl Fn(&EpochPoint) -> String,
    ) -> Self {
        let text = fitted.last().map_or_else(|| "-".to_string(), show);
        self.text(column, text)
    }

    /// Records the number `key/name` (no cell).
    pub fn number(self, name: &str, value: f64) -> Self {
        self.report.number(format!("{}/{name}", self.key), value);
        self
    }

    /// Records one number per layer, `key/name/1`, `key/name/2`, … (no cell).
    pub fn per_layer(mut self, name: &str, values: &[f64]) -> Self {
        for (i, v) in values.iter().enumerate() {
            self = self.number(&format!("{name}/{}", i + 1), *v);
        }
        self
    }

    /// The final test accuracy of `fitted` ([`Fitted::test_acc`]): the column `test acc` and the
    /// number `key/test_acc`.
    pub fn test_acc<M>(self, fitted: &Fitted<M>) -> Self {
        let acc = fitted.test_acc();
        self.pct("test acc", acc).number("test_acc", acc)
    }

    /// Records `key/diverged`: 1 when `fitted`'s loss diverged, else 0 (no cell).
    pub fn diverged<M>(self, fitted: &Fitted<M>) -> Self {
        let diverged = f64::from(u8::from(fitted.diverged_at.is_some()));
        self.number("diverged", diverged)
    }

    /// Appends the row; the first row of a report also sets the table's header.
    pub fn end(self) {
        if self.report.columns.is_empty() {
            self.report.columns = self.columns;
        } else {
            debug_assert_eq!(self.report.columns, self.columns, "row {}", self.key);
        }
        self.report.rows.push(self.cells);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_set_the_header_once_and_record_their_numbers_under_the_key() {
        let mut report = Report::new("t", "claim");
        report
            .row("a")
            .text("name", "a")
            .fmt("loss", 0.5)
            .number("loss", 0.5)
            .pct("acc", 0.25)
            .per_layer("grad", &[1.0, 2.0])
            .end();
        report
            .row("b")
            .text("name", "b")
            .fmt("loss", 1e-7)
            .pct("acc", 1.0)
            .end();
        assert_eq!(report.columns, ["name", "loss", "acc"]);
        assert_eq!(
            report.rows,
            [["a", "0.500", "25.0 %"], ["b", "1.00e-7", "100.0 %"]]
        );
        assert_eq!(report.get("a/loss"), 0.5);
        assert_eq!(report.get("a/grad/2"), 2.0);
        assert!(report.get("b/loss").is_nan());
        assert_eq!(report.numbers.len(), 3);
    }
}
