//! Batch norm's running statistics follow PyTorch's rule (running_var towards the unbiased batch
//! variance) on both paths of `model::ops::batch_norm`: our CPU kernels (Flex) and the tensor-op
//! fallback every other backend takes (NdArray here).

use burn::module::Module;
use burn::nn::{BatchNorm, BatchNormConfig};
use burn::tensor::{Device, Tensor, TensorData};
use model::ops::{self, Then};

fn values<const D: usize>(t: Tensor<D>) -> Vec<f32> {
    t.into_data().convert::<f32>().try_to_vec().unwrap()
}

/// One training call on `device` from fixed data; the output and the running mean and variance.
#[allow(deprecated)] // NdArray stands for "a backend without our kernels".
fn train_once(device: &Device, xs: &[f32], shape: [usize; 4]) -> (Vec<f32>, Vec<f32>, Vec<f32>) {
    let bn: BatchNorm = BatchNormConfig::new(shape[1]).init(device).train();
    let x = Tensor::<4>::from_data(TensorData::new(xs.to_vec(), shape), device);
    let y = ops::batch_norm(&bn, x, Then::Relu);
    (
        values(y),
        values(bn.running_mean.value_sync()),
        values(bn.running_var.value_sync()),
    )
}

#[test]
#[allow(deprecated)]
fn kernels_and_fallback_update_running_var_with_the_unbiased_variance() {
    let shape = [2, 3, 2, 3];
    let xs: Vec<f32> = (0..36).map(|i| ((i * 7 % 11) as f32) * 0.3 - 1.0).collect();
    let (y_k, mean_k, var_k) = train_once(&Device::flex().autodiff(), &xs, shape);
    let (y_f, mean_f, var_f) = train_once(&Device::ndarray().autodiff(), &xs, shape);
    for c in 0..3 {
        let v: Vec<f32> = (0..2)
            .flat_map(|b| xs[(b * 3 + c) * 6..(b * 3 + c + 1) * 6].to_vec())
            .collect();
        let n = v.len() as f32;
        let mean = v.iter().sum::<f32>() / n;
        let unbiased = v.iter().map(|x| (x - mean).powi(2)).sum::<f32>() / (n - 1.0);
        for (what, rm, rv) in [("kernels", &mean_k, &var_k), ("fallback", &mean_f, &var_f)] {
            assert!(
                (rm[c] - 0.1 * mean).abs() < 1e-6,
                "{what}: mean {} vs {}",
                rm[c],
                0.1 * mean
            );
            let want = 0.9 + 0.1 * unbiased;
            assert!(
                (rv[c] - want).abs() < 1e-6,
                "{what}: var {} vs {want}",
                rv[c]
            );
        }
    }
    let diff = y_k
        .iter()
        .zip(&y_f)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f32::max);
    assert!(diff < 1e-5, "outputs differ by {diff}");
}
