//! What a convolutional network's first layers hold: the convolution weights of any module (the
//! 4-D parameters in visiting order, each with the bias of its own layer), their feature maps on
//! an input, and numbers that tell a learned filter from a random one — how smooth it is (the
//! correlation of neighbouring weights: ≈ 0 for white noise, towards 1 for the blobs and edges
//! trained first layers show; Zeiler & Fergus 2014), how oriented (the coherence of its gradient
//! structure tensor), and how far it moved from its initial values.

use burn::module::{Module, ModuleVisitor, Param};
use burn::tensor::module::conv2d;
use burn::tensor::ops::ConvOptions;
use burn::tensor::{Device, Tensor, TensorData};

use super::error::LabError;
use super::probe::values;
use super::tiles::Tile;

/// One convolution's weights `[c_out, c_in, kh, kw]` and bias.
#[derive(Debug, Clone)]
pub struct ConvWeights {
    /// `[c_out, c_in, kh, kw]`.
    pub shape: [usize; 4],
    /// The weights, filter after filter.
    pub weight: Vec<f32>,
    /// One value per output channel, when the layer has a bias.
    pub bias: Option<Vec<f32>>,
}

#[derive(Default)]
struct Collect {
    layers: Vec<ConvWeights>,
    // Modules entered or left since the last 4-D parameter: a bias belongs to its weight's layer.
    moved: usize,
    error: Option<LabError>,
}

impl ModuleVisitor for Collect {
    fn enter_module(&mut self, _: &str, _: &str) {
        self.moved += 1;
    }
    fn exit_module(&mut self, _: &str, _: &str) {
        self.moved += 1;
    }
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        let tensor = param.val();
        let dims = tensor.dims().to_vec();
        if let Ok(shape) = <[usize; 4]>::try_from(dims.as_slice()) {
            match values(tensor) {
                Ok(weight) => self.layers.push(ConvWeights {
                    shape,
                    weight,
                    bias: None,
                }),
                Err(e) => self.error = Some(e),
            }
            self.moved = 0;
        } else if D == 1
            && self.moved == 0
            && let Some(last) = self.layers.last_mut().filter(|l| l.bias.is_none())
        {
            last.bias = values(tensor).ok().filter(|b| b.len() == last.shape[0]);
        }
    }
}

/// Every convolution of `model`, in the order the module declares them.
pub fn conv_layers<M: Module>(model: &M) -> Result<Vec<ConvWeights>, LabError> {
    let mut visitor = Collect::default();
    model.visit(&mut visitor);
    match visitor.error {
        Some(e) => Err(e),
        None => Ok(visitor.layers),
    }
}

impl ConvWeights {
    /// Values per filter.
    pub fn filter_len(&self) -> usize {
        self.shape[1] * self.shape[2] * self.shape[3]
    }

    /// Filter `o`'s weights `[c_in, kh, kw]`.
    pub fn filter(&self, o: usize) -> &[f32] {
        let n = self.filter_len();
        &self.weight[o * n..(o + 1) * n]
    }

    /// One tile per filter (colour when the layer reads three channels).
    pub fn tiles(&self) -> Vec<Tile> {
        let [c_out, c_in, kh, kw] = self.shape;
        (0..c_out)
            .map(|o| Tile::new(self.filter(o).to_vec(), [c_in, kh, kw]))
            .collect()
    }

    /// The layer applied to `x` `[n, c_in, h, w]` with `stride` and `padding`, on `device`.
    pub fn forward(
        &self,
        x: Tensor<4>,
        stride: usize,
        padding: usize,
        device: &Device,
    ) -> Tensor<4> {
        let weight = Tensor::from_data(TensorData::new(self.weight.clone(), self.shape), device);
        let bias = self
            .bias
            .as_ref()
            .map(|b| Tensor::from_data(TensorData::new(b.clone(), [b.len()]), device));
        let options = ConvOptions::new([stride, stride], [padding, padding], [1, 1], 1);
        conv2d(x.to_device(device), weight, bias, options)
    }
}

/// The maps of `t` `[1, c, h, w]` as tiles, the first `limit` of them.
pub fn map_tiles(t: Tensor<4>, limit: usize) -> Result<Vec<Tile>, LabError> {
    let [_, c, h, w] = t.dims();
    let v = values(t)?;
    Ok(v.chunks_exact(h * w)
        .take(limit.min(c))
        .map(|m| Tile::new(m.to_vec(), [1, h, w]))
        .collect())
}

fn centred(plane: &[f32]) -> Vec<f64> {
    let mean = plane.iter().map(|&v| v as f64).sum::<f64>() / plane.len().max(1) as f64;
    plane.iter().map(|&v| v as f64 - mean).collect()
}

/// Smoothness of a filter `[c, kh, kw]`: the correlation of horizontally and vertically adjacent
/// weights (each channel centred), Σ w_a·w_b / Σ w² scaled to the number of pairs. About
/// −1/(n−1) for white noise, towards 1 for a smooth blob or edge, −1 for a checkerboard.
pub fn neighbour_correlation(filter: &[f32], kh: usize, kw: usize) -> f64 {
    let (mut pairs, mut prod, mut energy, mut cells) = (0usize, 0.0, 0.0, 0usize);
    for plane in filter.chunks_exact(kh * kw) {
        let z = centred(plane);
        for y in 0..kh {
            for x in 0..kw {
                let v = z[y * kw + x];
                energy += v * v;
                cells += 1;
                if x + 1 < kw {
                    prod += v * z[y * kw + x + 1];
                    pairs += 1;
                }
                if y + 1 < kh {
                    prod += v * z[(y + 1) * kw + x];
                    pairs += 1;
                }
            }
        }
    }
    if pairs == 0 || energy <= 0.0 {
        return 0.0;
    }
    (prod / pairs as f64) / (energy / cells as f64)
}

/// How oriented a filter `[c, kh, kw]` is: the coherence √((Jxx − Jyy)² + 4Jxy²) / (Jxx + Jyy) of
/// its gradient structure tensor J (finite differences, summed over the channels); 1 for a pure
/// edge or grating, lower for blobs and noise.
pub fn orientation_coherence(filter: &[f32], kh: usize, kw: usize) -> f64 {
    let (mut xx, mut yy, mut xy) = (0.0, 0.0, 0.0);
    for plane in filter.chunks_exact(kh * kw) {
        let at = |y: usize, x: usize| plane[y * kw + x] as f64;
        for y in 0..kh.saturating_sub(1) {
            for x in 0..kw.saturating_sub(1) {
                let gx = (at(y, x + 1) - at(y, x) + at(y + 1, x + 1) - at(y + 1, x)) / 2.0;
                let gy = (at(y + 1, x) - at(y, x) + at(y + 1, x + 1) - at(y, x + 1)) / 2.0;
                xx += gx * gx;
                yy += gy * gy;
                xy += gx * gy;
            }
        }
    }
    let trace = xx + yy;
    if trace <= 0.0 {
        return 0.0;
    }
    ((xx - yy).powi(2) + 4.0 * xy * xy).sqrt() / trace
}

/// Cosine similarity of two equally long vectors (0 when one is zero).
pub fn cosine(a: &[f32], b: &[f32]) -> f64 {
    let dot: f64 = a.iter().zip(b).map(|(&x, &y)| x as f64 * y as f64).sum();
    let na: f64 = a.iter().map(|&x| (x as f64).powi(2)).sum::<f64>().sqrt();
    let nb: f64 = b.iter().map(|&x| (x as f64).powi(2)).sum::<f64>().sqrt();
    if na == 0.0 || nb == 0.0 {
        0.0
    } else {
        dot / (na * nb)
    }
}

/// ‖a − b‖ / ‖b‖ (infinite when b is zero).
pub fn relative_change(a: &[f32], b: &[f32]) -> f64 {
    let diff: f64 = a
        .iter()
        .zip(b)
        .map(|(&x, &y)| (x as f64 - y as f64).powi(2))
        .sum::<f64>()
        .sqrt();
    let nb: f64 = b.iter().map(|&x| (x as f64).powi(2)).sum::<f64>().sqrt();
    if nb == 0.0 { f64::INFINITY } else { diff / nb }
}

/// Per-filter statistic `f` of every filter of `layer`.
pub fn per_filter(layer: &ConvWeights, f: impl Fn(&[f32], usize, usize) -> f64) -> Vec<f64> {
    let [c_out, _, kh, kw] = layer.shape;
    (0..c_out).map(|o| f(layer.filter(o), kh, kw)).collect()
}

/// The mean of `v` (NaN when empty).
pub fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

/// The median of `v` (NaN when empty).
pub fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(|a, b| a.total_cmp(b));
    match s.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => s[n / 2],
        n => (s[n / 2 - 1] + s[n / 2]) / 2.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smooth_filters_correlate_and_checkerboards_anticorrelate() {
        let ramp: Vec<f32> = (0..25).map(|i| (i % 5) as f32).collect();
        assert!(neighbour_correlation(&ramp, 5, 5) > 0.5);
        let checker: Vec<f32> = (0..25).map(|i| ((i / 5 + i % 5) % 2) as f32).collect();
        assert!(neighbour_correlation(&checker, 5, 5) < -0.9);
        assert!((orientation_coherence(&ramp, 5, 5) - 1.0).abs() < 1e-9);
    }

    #[test]
    fn change_and_cosine() {
        assert!((cosine(&[1.0, 0.0], &[2.0, 0.0]) - 1.0).abs() < 1e-12);
        assert!((relative_change(&[2.0, 0.0], &[1.0, 0.0]) - 1.0).abs() < 1e-12);
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
    }
}
