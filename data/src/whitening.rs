//! PCA and ZCA whitening (the lecture's preprocessing slides; ZCA as in Bell and Sejnowski, "The
//! 'independent components' of natural scenes are edge filters", Vision Research 1997, and Krizhevsky
//! 2009, §A): with the training covariance `Σ = U Λ Uᵀ`,
//! PCA whitening maps `x ↦ (Λ + εI)^{-1/2} Uᵀ (x − μ)` (decorrelated components, largest variance first)
//! and ZCA maps `x ↦ U (Λ + εI)^{-1/2} Uᵀ (x − μ)` (the whitened image closest to the original).
//! Either makes the covariance of held-out data close to the identity; ε keeps near-zero eigenvalues
//! from blowing up noise.

use burn::data::dataset::Dataset;
use serde::{Deserialize, Serialize};

use crate::eigen::symmetric_eigen;
use crate::error::{DataError, Result};
use crate::input::{InputSpec, convert_image};
use crate::item::ImageItem;

/// Which whitening.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WhiteningKind {
    /// Rotate onto the principal axes and scale each to unit variance.
    Pca,
    /// PCA whitening rotated back to pixel space.
    Zca,
}

/// A fitted whitening transform over `dim`-long vectors (flattened CHW inputs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Whitening {
    /// PCA or ZCA.
    pub kind: WhiteningKind,
    /// The ε added to each eigenvalue.
    pub epsilon: f32,
    /// Vector length.
    pub dim: usize,
    /// The training mean, `dim` values.
    pub mean: Vec<f32>,
    /// The `dim × dim` row-major matrix applied to `x − mean`.
    pub matrix: Vec<f32>,
}

impl Whitening {
    /// Fits on `samples` (each `dim` long); needs at least two samples.
    pub fn fit(samples: &[Vec<f32>], kind: WhiteningKind, epsilon: f32) -> Result<Self> {
        let mut acc = CovarianceAccumulator::new(samples.first().map_or(0, Vec::len));
        for s in samples {
            acc.add(s)?;
        }
        acc.finish(kind, epsilon)
    }

    /// Fits on the training split, each image converted by `spec`; at most `max_samples` images (the
    /// first ones) are used, as the covariance costs `dim²` per image.
    pub fn fit_dataset(
        train: &dyn Dataset<ImageItem>,
        spec: &InputSpec,
        kind: WhiteningKind,
        epsilon: f32,
        max_samples: usize,
    ) -> Result<Self> {
        spec.validate()?;
        let mut acc = CovarianceAccumulator::new(spec.numel());
        for i in 0..train.len().min(max_samples) {
            let item = train
                .get(i)
                .map_err(|e| DataError::Config(format!("item {i} of the training split: {e}")))?;
            acc.add(&convert_image(&item.pixels, item.shape, spec).data)?;
        }
        acc.finish(kind, epsilon)
    }

    /// Whitens one vector (values past `dim` are ignored, missing ones read as the mean).
    pub fn apply(&self, x: &[f32]) -> Vec<f32> {
        let centred: Vec<f32> = (0..self.dim)
            .map(|i| x.get(i).copied().unwrap_or(self.mean[i]) - self.mean[i])
            .collect();
        self.matrix
            .chunks_exact(self.dim.max(1))
            .map(|row| row.iter().zip(&centred).map(|(a, b)| a * b).sum())
            .collect()
    }
}

/// Streaming mean and covariance in `f64`.
#[derive(Debug, Clone)]
pub struct CovarianceAccumulator {
    dim: usize,
    n: usize,
    sum: Vec<f64>,
    /// Upper triangle of Σ x xᵀ, row-major full storage.
    outer: Vec<f64>,
}

impl CovarianceAccumulator {
    /// An empty accumulator for `dim`-long vectors.
    pub fn new(dim: usize) -> Self {
        Self {
            dim,
            n: 0,
            sum: vec![0.0; dim],
            outer: vec![0.0; dim * dim],
        }
    }

    /// Adds one vector.
    pub fn add(&mut self, x: &[f32]) -> Result<()> {
        if x.len() != self.dim {
            return Err(DataError::Config(format!(
                "whitening sample of length {} (expected {})",
                x.len(),
                self.dim
            )));
        }
        let d = self.dim;
        let xd: Vec<f64> = x.iter().map(|&v| f64::from(v)).collect();
        for i in 0..d {
            self.sum[i] += xd[i];
            let xi = xd[i];
            if xi == 0.0 {
                continue;
            }
            let row = &mut self.outer[i * d + i..(i + 1) * d];
            for (o, &xj) in row.iter_mut().zip(&xd[i..]) {
                *o += xi * xj;
            }
        }
        self.n += 1;
        Ok(())
    }

    /// The whitening transform of the data added so far.
    pub fn finish(&self, kind: WhiteningKind, epsilon: f32) -> Result<Whitening> {
        if self.n < 2 || self.dim == 0 {
            return Err(DataError::Config(format!(
                "whitening needs at least two non-empty samples, got {}",
                self.n
            )));
        }
        if !(epsilon >= 0.0 && epsilon.is_finite()) {
            return Err(DataError::Config(format!(
                "whitening epsilon {epsilon} must be ≥ 0"
            )));
        }
        let (d, n) = (self.dim, self.n as f64);
        let mean: Vec<f64> = self.sum.iter().map(|s| s / n).collect();
        let mut cov = vec![0.0; d * d];
        for i in 0..d {
            for j in i..d {
                let c = (self.outer[i * d + j] - n * mean[i] * mean[j]) / (n - 1.0);
                cov[i * d + j] = c;
                cov[j * d + i] = c;
            }
        }
        let (values, vectors) = symmetric_eigen(&cov, d);
        let scale: Vec<f64> = values
            .iter()
            .map(|&l| 1.0 / (l.max(0.0) + f64::from(epsilon)).sqrt())
            .collect();
        if scale.iter().any(|s| !s.is_finite()) {
            return Err(DataError::Config(
                "the covariance is singular: whiten with epsilon > 0".into(),
            ));
        }
        // PCA: row k = scale_k · u_kᵀ.
        let mut pca = vec![0.0f64; d * d];
        for k in 0..d {
            for j in 0..d {
                pca[k * d + j] = scale[k] * vectors[j * d + k];
            }
        }
        let matrix: Vec<f64> = match kind {
            WhiteningKind::Pca => pca,
            WhiteningKind::Zca => {
                // U · PCA.
                let mut z = vec![0.0f64; d * d];
                for i in 0..d {
                    for k in 0..d {
                        let u = vectors[i * d + k];
                        if u == 0.0 {
                            continue;
                        }
                        for j in 0..d {
                            z[i * d + j] += u * pca[k * d + j];
                        }
                    }
                }
                z
            }
        };
        Ok(Whitening {
            kind,
            epsilon,
            dim: d,
            mean: mean.iter().map(|&m| m as f32).collect(),
            matrix: matrix.iter().map(|&m| m as f32).collect(),
        })
    }
}
