//! The confusion matrix both tasks own (a classification's test split, a segmentation's pixels)
//! and the scores read from it:
//! pixel accuracy Σᵢ nᵢᵢ / Σᵢⱼ nᵢⱼ, per-class IoU nᵢᵢ / (tᵢ + Σⱼ nⱼᵢ − nᵢᵢ) and mean IoU over the
//! classes present in the target or the prediction (a class absent from both has no IoU and is left
//! out of the mean). Rows are target classes, columns predicted classes; the ignore id is skipped.

/// A `classes × classes` count matrix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfusionMatrix {
    classes: usize,
    counts: Vec<u64>,
}

impl ConfusionMatrix {
    /// An empty matrix.
    pub fn new(classes: usize) -> Self {
        Self {
            classes,
            counts: vec![0; classes * classes],
        }
    }

    /// Count pairs of (target, prediction); targets equal to `ignore` and ids out of range are
    /// skipped.
    pub fn update(&mut self, targets: &[i64], predictions: &[i64], ignore: i64) {
        let n = self.classes as i64;
        for (&t, &p) in targets.iter().zip(predictions) {
            if t == ignore || !(0..n).contains(&t) || !(0..n).contains(&p) {
                continue;
            }
            self.counts[t as usize * self.classes + p as usize] += 1;
        }
    }

    /// Number of classes.
    pub fn classes(&self) -> usize {
        self.classes
    }

    /// Count of pixels of target class `t` predicted as `p`.
    pub fn get(&self, t: usize, p: usize) -> u64 {
        self.counts[t * self.classes + p]
    }

    /// Fraction of counted pixels predicted correctly (NaN when nothing was counted).
    pub fn pixel_accuracy(&self) -> f64 {
        let total: u64 = self.counts.iter().sum();
        let correct: u64 = (0..self.classes).map(|i| self.get(i, i)).sum();
        correct as f64 / total as f64
    }

    /// IoU of every class; `None` for a class absent from both targets and predictions.
    pub fn iou(&self) -> Vec<Option<f64>> {
        (0..self.classes)
            .map(|i| {
                let row: u64 = (0..self.classes).map(|j| self.get(i, j)).sum();
                let col: u64 = (0..self.classes).map(|j| self.get(j, i)).sum();
                let union = row + col - self.get(i, i);
                (union > 0).then(|| self.get(i, i) as f64 / union as f64)
            })
            .collect()
    }

    /// Mean IoU over the classes that have one (NaN when none has).
    pub fn mean_iou(&self) -> f64 {
        let present: Vec<f64> = self.iou().into_iter().flatten().collect();
        present.iter().sum::<f64>() / present.len() as f64
    }
}
