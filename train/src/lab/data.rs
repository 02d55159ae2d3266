//! The experiments' data: a seeded subset of a real dataset held in memory as standardised
//! `f32` vectors (zero mean and unit variance over the training subset's pixels), cut into
//! batches on the device. Every variant of an experiment sees exactly these images in exactly
//! this order, so the only thing that differs between variants is the one under study.

use std::path::Path;

use burn::tensor::{Device, Int, Tensor, TensorData};
use data::rng::Rng;
use data::{DatasetSpec, load_classification};

use super::error::LabError;

/// One split of the subset: `n` images of `dim` values each, with labels.
#[derive(Debug, Clone)]
pub struct Split {
    /// Pixel values, image after image (already preprocessed).
    pub x: Vec<f32>,
    /// Labels.
    pub y: Vec<i64>,
    /// Values per image.
    pub dim: usize,
}

impl Split {
    /// The number of images.
    pub fn len(&self) -> usize {
        self.y.len()
    }

    /// Whether the split is empty.
    pub fn is_empty(&self) -> bool {
        self.y.is_empty()
    }

    /// The images `idx` as a `[n, dim]` tensor and their labels.
    pub fn batch(&self, idx: &[usize], device: &Device) -> (Tensor<2>, Tensor<1, Int>) {
        let mut x = Vec::with_capacity(idx.len() * self.dim);
        let mut y = Vec::with_capacity(idx.len());
        for &i in idx {
            x.extend_from_slice(&self.x[i * self.dim..(i + 1) * self.dim]);
            y.push(self.y[i]);
        }
        (
            Tensor::from_data(TensorData::new(x, [idx.len(), self.dim]), device),
            Tensor::from_data(TensorData::new(y, [idx.len()]), device),
        )
    }

    /// The whole split as one batch.
    pub fn all(&self, device: &Device) -> (Tensor<2>, Tensor<1, Int>) {
        let idx: Vec<usize> = (0..self.len()).collect();
        self.batch(&idx, device)
    }
}

/// A training and a test subset of one dataset.
#[derive(Debug, Clone)]
pub struct LabData {
    /// The dataset's name.
    pub name: String,
    /// `[c, h, w]` of every image.
    pub shape: [usize; 3],
    /// The number of classes.
    pub classes: usize,
    /// The training subset.
    pub train: Split,
    /// The test subset.
    pub test: Split,
    /// Mean and standard deviation of the raw training pixels (in [0, 1]) used to standardise.
    pub stats: (f32, f32),
}

impl LabData {
    /// The report's setup line for these subsets: `name: N training / M test images`.
    pub fn describe(&self) -> String {
        format!(
            "{}: {} training / {} test images",
            self.name,
            self.train.len(),
            self.test.len()
        )
    }
}

/// Draws `n` distinct indices of `0..total` with a seeded Fisher–Yates shuffle.
fn sample(total: usize, n: usize, seed: u64) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..total).collect();
    let mut rng = Rng::new(seed);
    let n = n.min(total);
    for i in 0..n {
        let j = i + rng.below(total - i);
        idx.swap(i, j);
    }
    idx.truncate(n);
    idx
}

fn read(
    set: &dyn burn::data::dataset::Dataset<data::ImageItem>,
    idx: &[usize],
) -> Result<(Vec<f32>, Vec<i64>, usize), LabError> {
    let mut x = Vec::new();
    let mut y = Vec::with_capacity(idx.len());
    let mut dim = 0;
    for &i in idx {
        let item = set
            .get(i)
            .map_err(|e| LabError::Config(format!("image {i}: {e}")))?;
        dim = item.pixels.len();
        x.extend((0..dim).map(|k| item.pixels.value(k)));
        y.push(item.label as i64);
    }
    Ok((x, y, dim))
}

/// Loads `n_train` training and `n_test` test images of `dataset` (a [`DatasetSpec`] string such
/// as `mnist` or `fashion-mnist`), drawn with `seed`, standardised with the training subset's
/// pixel mean and standard deviation.
pub fn load(
    dataset: &str,
    cache: &Path,
    n_train: usize,
    n_test: usize,
    seed: u64,
) -> Result<LabData, LabError> {
    load_with(dataset, cache, n_train, n_test, seed, true)
}

/// As [`load`]; with `standardise` false the pixels stay in [0, 1].
pub fn load_with(
    dataset: &str,
    cache: &Path,
    n_train: usize,
    n_test: usize,
    seed: u64,
    standardise: bool,
) -> Result<LabData, LabError> {
    let spec: DatasetSpec = dataset.parse()?;
    let sets = load_classification(&spec, cache)?;
    let shape = sets
        .shape
        .ok_or_else(|| LabError::Config(format!("{dataset}: images of mixed sizes")))?;
    let train_idx = sample(sets.train.len(), n_train, seed);
    let test_idx = sample(sets.test.len(), n_test, seed ^ 0x5eed);
    let (mut tx, ty, dim) = read(&*sets.train, &train_idx)?;
    let (mut vx, vy, _) = read(&*sets.test, &test_idx)?;
    let n = tx.len().max(1) as f64;
    let mean = tx.iter().map(|&v| v as f64).sum::<f64>() / n;
    let var = tx.iter().map(|&v| (v as f64 - mean).powi(2)).sum::<f64>() / n;
    let std = var.sqrt().max(1e-6);
    if standardise {
        for v in tx.iter_mut().chain(vx.iter_mut()) {
            *v = ((*v as f64 - mean) / std) as f32;
        }
    }
    Ok(LabData {
        name: sets.name,
        shape,
        classes: sets.classes.len(),
        train: Split { x: tx, y: ty, dim },
        test: Split { x: vx, y: vy, dim },
        stats: (mean as f32, std as f32),
    })
}

/// The batches of one epoch: a seeded permutation of `0..n` cut into chunks of `batch`.
pub fn epoch_batches(n: usize, batch: usize, seed: u64, epoch: usize) -> Vec<Vec<usize>> {
    let order = sample(n, n, seed.wrapping_add(epoch as u64 * 0x9e37_79b9));
    order.chunks(batch.max(1)).map(|c| c.to_vec()).collect()
}
