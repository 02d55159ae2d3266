//! Index subsets of a dataset: the deterministic train/validation split and size limits.

use std::sync::Arc;

use burn::data::dataset::{Dataset, DatasetError};
use data::rng::Rng;

/// The items of `inner` at `indices`, in that order. (Burn's `SelectionDataset` does the same but
/// panics on an index out of range, in `get` and in its checked constructor; a run folder read
/// back with another dataset must give an error instead.)
pub struct Subset<I> {
    inner: Arc<dyn Dataset<I>>,
    indices: Vec<usize>,
}

impl<I> Subset<I> {
    /// A view of `inner` through `indices` (each must be `< inner.len()`).
    pub fn new(inner: Arc<dyn Dataset<I>>, indices: Vec<usize>) -> Self {
        Self { inner, indices }
    }
}

impl<I: Send + Sync> Dataset<I> for Subset<I> {
    fn get(&self, index: usize) -> Result<I, DatasetError> {
        match self.indices.get(index) {
            Some(&i) => self.inner.get(i),
            None => Err(DatasetError::new(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!(
                    "index {index} out of bounds for a subset of {} items",
                    self.indices.len()
                ),
            ))),
        }
    }

    fn len(&self) -> usize {
        self.indices.len()
    }
}

/// A permutation of `0..n` from `seed` (Fisher–Yates with the data crate's generator), stable
/// across platforms and runs.
pub fn permutation(n: usize, seed: u64) -> Vec<usize> {
    let mut rng = Rng::new(seed);
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        let j = (rng.next_u64() % (i as u64 + 1)) as usize;
        order.swap(i, j);
    }
    order
}

/// Split `0..n` (after keeping at most `limit`) into (train, valid) index lists.
pub fn train_valid_indices(
    n: usize,
    limit: Option<usize>,
    valid_fraction: f64,
    seed: u64,
) -> (Vec<usize>, Vec<usize>) {
    let mut order = permutation(n, seed);
    order.truncate(limit.unwrap_or(n).min(n));
    let n_valid = (order.len() as f64 * valid_fraction).round() as usize;
    let train = order.split_off(n_valid);
    (train, order)
}

/// The three datasets of a run: training subset, validation subset (held out of the training split)
/// and the test split (at most `test_limit` items).
pub struct Splits<I> {
    /// Training subset.
    pub train: Arc<Subset<I>>,
    /// Validation subset.
    pub valid: Subset<I>,
    /// Test split.
    pub test: Arc<dyn Dataset<I>>,
}

/// Split `train` into training and validation subsets as `config` asks (limit, fraction, seed) and
/// cut `test` to its limit; an empty side is an error saying how to fix it.
pub fn split_run_data<I: Send + Sync + 'static>(
    train: &Arc<dyn Dataset<I>>,
    test: &Arc<dyn Dataset<I>>,
    config: &crate::ExperimentConfig,
) -> Result<Splits<I>, crate::TrainError> {
    let (train_idx, valid_idx) = train_valid_indices(
        train.len(),
        config.train_limit,
        config.valid_fraction,
        config.seed,
    );
    if train_idx.is_empty() || valid_idx.is_empty() {
        return Err(crate::TrainError::Config(format!(
            "the split leaves {} training and {} validation images; raise train_limit or valid_fraction",
            train_idx.len(),
            valid_idx.len()
        )));
    }
    let test: Arc<dyn Dataset<I>> = match config.test_limit {
        Some(n) if n < test.len() => Arc::new(Subset::new(test.clone(), (0..n).collect())),
        _ => test.clone(),
    };
    Ok(Splits {
        train: Arc::new(Subset::new(train.clone(), train_idx)),
        valid: Subset::new(train.clone(), valid_idx),
        test,
    })
}
